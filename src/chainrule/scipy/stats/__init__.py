"""``chainrule.scipy.stats``: differentiable distribution functions (re-exports only):
``norm``, ``t``, ``chi2``, ``gamma``, ``beta``, ``poisson``, ``multivariate_normal`` and
``dirichlet``, each a module of SciPy's function names."""

from chainrule.scipy.stats import (
    beta,
    chi2,
    dirichlet,
    gamma,
    multivariate_normal,
    norm,
    poisson,
    t,
)

__all__ = ["beta", "chi2", "dirichlet", "gamma", "multivariate_normal", "norm", "poisson", "t"]
