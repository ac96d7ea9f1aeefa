"""``chainrule.scipy.stats.chi2``: differentiable distribution functions (re-exports of
:mod:`chainrule.primitives.stats_univariate`)."""

from chainrule.primitives.stats_univariate import (
    chi2_cdf as cdf,
)
from chainrule.primitives.stats_univariate import (
    chi2_logpdf as logpdf,
)
from chainrule.primitives.stats_univariate import (
    chi2_pdf as pdf,
)

__all__ = ["cdf", "logpdf", "pdf"]
