"""``chainrule.scipy.stats.poisson``: differentiable distribution functions (re-exports of
:mod:`chainrule.primitives.stats_univariate`)."""

from chainrule.primitives.stats_univariate import (
    poisson_cdf as cdf,
)
from chainrule.primitives.stats_univariate import (
    poisson_logpmf as logpmf,
)
from chainrule.primitives.stats_univariate import (
    poisson_pmf as pmf,
)

__all__ = ["cdf", "logpmf", "pmf"]
