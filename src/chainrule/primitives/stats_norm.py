"""The normal distribution's functions (``scipy.stats.norm``'s ``pdf``, ``logpdf``,
``cdf``, ``logcdf``, ``sf``, ``logsf``), composed from differentiable ops: the
density is ``exp(-z²/2) / (σ √(2π))`` with ``z = (x - μ)/σ``, the distribution
function is ``ndtr(z)``. Differentiable in ``x``, ``loc`` and ``scale``."""

from __future__ import annotations

import math

from chainrule.primitives import elementwise as E
from chainrule.primitives.special import ndtr

__all__ = ["cdf", "logcdf", "logpdf", "logsf", "pdf", "sf"]

_HALF_LOG_2PI = 0.5 * math.log(2.0 * math.pi)


def logpdf(x, loc=0.0, scale=1.0):
    """Log density."""
    z = (x - loc) / scale
    return -0.5 * z * z - _HALF_LOG_2PI - E.log(scale)


def pdf(x, loc=0.0, scale=1.0):
    """Density."""
    return E.exp(logpdf(x, loc, scale))


def cdf(x, loc=0.0, scale=1.0):
    """Distribution function ``P(X <= x)``."""
    return ndtr((x - loc) / scale)


def logcdf(x, loc=0.0, scale=1.0):
    """Log of the distribution function."""
    return E.log(cdf(x, loc, scale))


def sf(x, loc=0.0, scale=1.0):
    """Survival function ``P(X > x)``, by symmetry ``ndtr(-z)``."""
    return ndtr((loc - x) / scale)


def logsf(x, loc=0.0, scale=1.0):
    """Log of the survival function."""
    return E.log(sf(x, loc, scale))
