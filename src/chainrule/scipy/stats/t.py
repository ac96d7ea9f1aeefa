"""``chainrule.scipy.stats.t``: differentiable distribution functions (re-exports of
:mod:`chainrule.primitives.stats_univariate`)."""

from chainrule.primitives.stats_univariate import (
    t_cdf as cdf,
)
from chainrule.primitives.stats_univariate import (
    t_logcdf as logcdf,
)
from chainrule.primitives.stats_univariate import (
    t_logpdf as logpdf,
)
from chainrule.primitives.stats_univariate import (
    t_logsf as logsf,
)
from chainrule.primitives.stats_univariate import (
    t_pdf as pdf,
)
from chainrule.primitives.stats_univariate import (
    t_sf as sf,
)

__all__ = ["cdf", "logcdf", "logpdf", "logsf", "pdf", "sf"]
