"""``chainrule.scipy.stats.gamma``: differentiable distribution functions (re-exports of
:mod:`chainrule.primitives.stats_univariate`)."""

from chainrule.primitives.stats_univariate import (
    gamma_cdf as cdf,
)
from chainrule.primitives.stats_univariate import (
    gamma_logpdf as logpdf,
)
from chainrule.primitives.stats_univariate import (
    gamma_pdf as pdf,
)

__all__ = ["cdf", "logpdf", "pdf"]
