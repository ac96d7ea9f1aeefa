"""``chainrule.scipy.stats.norm``: the normal distribution's functions (re-exports of
:mod:`chainrule.primitives.stats_norm`)."""

from chainrule.primitives.stats_norm import cdf, logcdf, logpdf, logsf, pdf, sf

__all__ = ["cdf", "logcdf", "logpdf", "logsf", "pdf", "sf"]
