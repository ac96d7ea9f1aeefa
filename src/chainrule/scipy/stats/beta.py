"""``chainrule.scipy.stats.beta``: differentiable distribution functions (re-exports of
:mod:`chainrule.primitives.stats_univariate`)."""

from chainrule.primitives.stats_univariate import (
    beta_cdf as cdf,
)
from chainrule.primitives.stats_univariate import (
    beta_logpdf as logpdf,
)
from chainrule.primitives.stats_univariate import (
    beta_pdf as pdf,
)

__all__ = ["cdf", "logpdf", "pdf"]
