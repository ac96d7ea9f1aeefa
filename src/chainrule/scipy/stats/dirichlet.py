"""``chainrule.scipy.stats.dirichlet``: the Dirichlet distribution's ``logpdf``, ``pdf``
and ``rvs`` (re-exports of :mod:`chainrule.primitives.stats_multivariate`)."""

from chainrule.primitives.stats_multivariate import dirichlet_logpdf as logpdf
from chainrule.primitives.stats_multivariate import dirichlet_pdf as pdf
from chainrule.primitives.stats_multivariate import dirichlet_rvs as rvs

__all__ = ["logpdf", "pdf", "rvs"]
