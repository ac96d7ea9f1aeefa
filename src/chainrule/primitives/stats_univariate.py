"""Distribution functions of ``scipy.stats``' ``t``, ``chi2``, ``gamma``, ``beta`` and
``poisson``, composed from differentiable ops (no records of their own), with SciPy's
argument names, defaults and broadcasting.

Every continuous one is a location-scale family: with ``y = (x - loc) / scale``,
``logpdf(x) = logpdf₀(y) - log(scale)`` and ``cdf(x) = cdf₀(y)``. Outside the support
``logpdf`` is ``-inf`` and ``cdf`` 0 or 1, as in SciPy; the formula is evaluated at a
point inside the support there, so no NaN reaches a gradient.

Derivatives exist in ``x``, ``loc``, ``scale`` and every shape parameter of the
densities. A distribution function is differentiable in ``x``, ``loc`` and ``scale``;
its shape parameters (degrees of freedom, ``a``, ``b``) go through the incomplete
gamma and beta functions, which refuse them. Poisson's ``k`` is a count: the formulas
read it through ``floor`` (derivative 0).
"""

from __future__ import annotations

import math

from chainrule.primitives import discrete as D
from chainrule.primitives import elementwise as E
from chainrule.primitives.selection import where
from chainrule.primitives.special import gammaln, xlog1py, xlogy
from chainrule.primitives.special_scipy import betainc, betaln, gammainc, gammaincc, stdtr

__all__ = [
    "beta_cdf", "beta_logpdf", "beta_pdf",
    "chi2_cdf", "chi2_logpdf", "chi2_pdf",
    "gamma_cdf", "gamma_logpdf", "gamma_pdf",
    "poisson_cdf", "poisson_logpmf", "poisson_pmf",
    "t_cdf", "t_logcdf", "t_logpdf", "t_logsf", "t_pdf", "t_sf",
]  # fmt: skip

_LOG_2 = math.log(2.0)
_NEG_INF = -math.inf


def _standard(x, loc, scale):
    return (x - loc) / scale


def _on_support(inside, y, safe, logpdf0):
    """``logpdf0(y)`` where ``inside``, ``-inf`` elsewhere (evaluated at ``safe`` there)."""
    return where(inside, logpdf0(where(inside, y, safe)), _NEG_INF)


# -- Student's t ----------------------------------------------------------------------------
def t_logpdf(x, df, loc=0.0, scale=1.0):
    """Log density of Student's t with ``df`` degrees of freedom."""
    y = _standard(x, loc, scale)
    log_norm = gammaln(0.5 * (df + 1.0)) - gammaln(0.5 * df) - 0.5 * E.log(df * math.pi)
    return log_norm - 0.5 * (df + 1.0) * E.log1p(y * y / df) - E.log(scale)


def t_pdf(x, df, loc=0.0, scale=1.0):
    """Density of Student's t."""
    return E.exp(t_logpdf(x, df, loc, scale))


def t_cdf(x, df, loc=0.0, scale=1.0):
    """Distribution function of Student's t."""
    return stdtr(df, _standard(x, loc, scale))


def t_logcdf(x, df, loc=0.0, scale=1.0):
    """Log of the distribution function of Student's t."""
    return E.log(t_cdf(x, df, loc, scale))


def t_sf(x, df, loc=0.0, scale=1.0):
    """Survival function of Student's t, by symmetry ``cdf(-y)``."""
    return stdtr(df, _standard(loc, x, scale))


def t_logsf(x, df, loc=0.0, scale=1.0):
    """Log of the survival function of Student's t."""
    return E.log(t_sf(x, df, loc, scale))


# -- gamma and chi-squared ------------------------------------------------------------------
def _gamma_logpdf0(a):
    return lambda y: xlogy(a - 1.0, y) - y - gammaln(a)


def gamma_logpdf(x, a, loc=0.0, scale=1.0):
    """Log density of the gamma distribution of shape ``a``."""
    y = _standard(x, loc, scale)
    return _on_support(D.greater_equal(y, 0.0), y, 1.0, _gamma_logpdf0(a)) - E.log(scale)


def gamma_pdf(x, a, loc=0.0, scale=1.0):
    """Density of the gamma distribution."""
    return E.exp(gamma_logpdf(x, a, loc, scale))


def gamma_cdf(x, a, loc=0.0, scale=1.0):
    """Distribution function of the gamma distribution, ``P(a, y)``."""
    y = _standard(x, loc, scale)
    inside = D.greater_equal(y, 0.0)
    return where(inside, gammainc(a, where(inside, y, 1.0)), 0.0)


def chi2_logpdf(x, df, loc=0.0, scale=1.0):
    """Log density of the chi-squared distribution: gamma with shape ``df/2``, scale 2."""
    return gamma_logpdf(x, 0.5 * df, loc, 2.0 * scale)


def chi2_pdf(x, df, loc=0.0, scale=1.0):
    """Density of the chi-squared distribution."""
    return E.exp(chi2_logpdf(x, df, loc, scale))


def chi2_cdf(x, df, loc=0.0, scale=1.0):
    """Distribution function of the chi-squared distribution."""
    return gamma_cdf(x, 0.5 * df, loc, 2.0 * scale)


# -- beta -----------------------------------------------------------------------------------
def beta_logpdf(x, a, b, loc=0.0, scale=1.0):
    """Log density of the beta distribution on [loc, loc + scale]."""
    y = _standard(x, loc, scale)
    inside = D.logical_and(D.greater_equal(y, 0.0), D.less_equal(y, 1.0))
    log0 = _on_support(
        inside, y, 0.5, lambda y: xlogy(a - 1.0, y) + xlog1py(b - 1.0, -y) - betaln(a, b)
    )
    return log0 - E.log(scale)


def beta_pdf(x, a, b, loc=0.0, scale=1.0):
    """Density of the beta distribution."""
    return E.exp(beta_logpdf(x, a, b, loc, scale))


def beta_cdf(x, a, b, loc=0.0, scale=1.0):
    """Distribution function of the beta distribution, ``I_y(a, b)``."""
    y = _standard(x, loc, scale)
    inside = D.logical_and(D.greater(y, 0.0), D.less(y, 1.0))
    return where(
        inside, betainc(a, b, where(inside, y, 0.5)), where(D.less_equal(y, 0.0), 0.0, 1.0)
    )


# -- Poisson --------------------------------------------------------------------------------
def poisson_logpmf(k, mu, loc=0):
    """Log probability of the count ``k`` under a Poisson distribution of mean ``mu``."""
    k = k - loc
    n = D.floor(k)
    inside = D.logical_and(D.equal(k, n), D.greater_equal(n, 0.0))
    n = where(inside, n, 0.0)
    return where(inside, xlogy(n, mu) - gammaln(n + 1.0) - mu, _NEG_INF)


def poisson_pmf(k, mu, loc=0):
    """Probability of the count ``k``."""
    return E.exp(poisson_logpmf(k, mu, loc))


def poisson_cdf(k, mu, loc=0):
    """``P(K <= k) = Q(floor(k) + 1, mu)``."""
    n = D.floor(k - loc)
    inside = D.greater_equal(n, 0.0)
    return where(inside, gammaincc(where(inside, n, 0.0) + 1.0, mu), 0.0)
