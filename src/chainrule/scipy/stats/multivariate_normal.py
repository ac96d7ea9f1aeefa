"""``chainrule.scipy.stats.multivariate_normal``: the multivariate normal's ``logpdf``,
``pdf`` and ``entropy`` (re-exports of :mod:`chainrule.primitives.stats_multivariate`)."""

from chainrule.primitives.stats_multivariate import mvn_entropy as entropy
from chainrule.primitives.stats_multivariate import mvn_logpdf as logpdf
from chainrule.primitives.stats_multivariate import mvn_pdf as pdf

__all__ = ["entropy", "logpdf", "pdf"]
