"""Special functions with SciPy's names and signatures (``scipy.special``), SciPy-free:
the elementwise ones. (``logsumexp``, ``softmax`` and ``log_softmax`` are in
:mod:`.special_reductions`; ``chainrule.scipy.special`` re-exports both modules.)

The forwards (in :mod:`.special_kernels`) use NumPy only, in float64 (float32/float16
inputs get results of their own dtype; complex inputs of ``erf``/``erfc`` go to SciPy's):

* ``erf``/``erfc``: the everywhere-positive series
  ``erf x = 2/sqrt(pi) e^(-x²) sum_k 2^k x^(2k+1) / (1·3···(2k+1))`` for ``|x| < 1.5``,
  Laplace's continued fraction for ``erfc`` beyond (no cancellation in either);
  ``erfinv`` refines a closed-form first guess with Newton steps on ``erf``/``erfc``.
* ``gammaln``, ``digamma`` and ``polygamma``: the recurrence ``f(x) = f(x + 1) - ...``
  shifts the argument to ``x >= 10``, where the Stirling / Euler-Maclaurin series (with
  Bernoulli numbers) is accurate to a few ulps. Negative arguments use the reflection
  formula, differentiated n times for ``polygamma`` (the derivatives of cot are
  polynomials in cot). Accuracy: about 1e-14 absolute for ``gammaln`` near its zeros,
  1e-15 relative elsewhere (near the poles better than SciPy's own).

Derivatives chain through the family: gammaln' = digamma, digamma' = polygamma(1, ·),
polygamma(n, ·)' = polygamma(n + 1, ·), so derivatives of every order exist.
``polygamma``'s order ``n`` is a static integer (not differentiable).
"""

from __future__ import annotations

import math

import numpy as np

from chainrule.core.trace import concrete_value
from chainrule.primitives import discrete as D
from chainrule.primitives import elementwise as E
from chainrule.primitives._args import as_array
from chainrule.primitives._helpers import defbinary, defunary, dtype_of
from chainrule.primitives._scipy import scipy_module
from chainrule.primitives.selection import where_p
from chainrule.primitives.special_kernels import (
    as_floating,
    digamma_impl,
    erf_impl,
    erfc_impl,
    erfinv_impl,
    expit_impl,
    gammaln_impl,
    logit_impl,
    polygamma_impl,
)

__all__ = [
    "digamma", "erf", "erfc", "erfinv", "expit", "gammaln", "log_expit", "logit", "ndtr",
    "polygamma", "psi", "xlog1py", "xlogy",
]  # fmt: skip

_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)


# -- the error function and its inverse -------------------------------------------------------
def _complex_by_scipy(impl, name):
    """The forward ``impl`` for real inputs; complex ones go to SciPy's ``name``."""

    def forward(xp, x):
        if dtype_of(x).kind == "c":
            return getattr(scipy_module("special", f"chainrule.scipy.special.{name}"), name)(x)
        return impl(xp, x)

    return forward


# d erf = 2/sqrt(pi) e^(-x²) (holomorphic: the same rule for complex x)
erf_p = defunary(
    "erf", _complex_by_scipy(erf_impl, "erf"), lambda ans, x: _TWO_OVER_SQRT_PI * E.exp(-(x * x))
)
erfc_p = defunary(
    "erfc",
    _complex_by_scipy(erfc_impl, "erfc"),
    lambda ans, x: -_TWO_OVER_SQRT_PI * E.exp(-(x * x)),
)
# d erfinv = sqrt(pi)/2 e^(erfinv(x)²)  (infinite at ±1)
erfinv_p = defunary(
    "erfinv",
    erfinv_impl,
    lambda ans, x: (0.5 * math.sqrt(math.pi)) * E.exp(ans * ans),
    singular=True,
)


def erf(x):
    """The error function ``2/sqrt(pi) ∫₀ˣ e^(-t²) dt``."""
    return erf_p(x)


def erfc(x):
    """The complementary error function ``1 - erf(x)``, accurate in the tail."""
    return erfc_p(x)


def erfinv(y):
    """The inverse of ``erf`` on (-1, 1) (±inf at ±1, NaN outside)."""
    return erfinv_p(y)


def ndtr(x):
    """The standard normal CDF, ``erfc(-x / sqrt 2) / 2``."""
    return 0.5 * erfc(x * (-1.0 / math.sqrt(2.0)))


# -- the gamma family ---------------------------------------------------------------------------
# d lnΓ = ψ
gammaln_p = defunary("gammaln", gammaln_impl, lambda ans, x: digamma_p(x))
# d ψ = ψ⁽¹⁾
digamma_p = defunary("digamma", digamma_impl, lambda ans, x: polygamma_p(x, n=1))
# d ψ⁽ⁿ⁾ = ψ⁽ⁿ⁺¹⁾
polygamma_p = defunary("polygamma", polygamma_impl, lambda ans, x, n: polygamma_p(x, n=n + 1))


def gammaln(x):
    """``ln |Γ(x)|``."""
    return gammaln_p(x)


def digamma(x):
    """``ψ(x) = d/dx ln Γ(x)``."""
    return digamma_p(x)


psi = digamma


def polygamma(n, x):
    """The n-th derivative of digamma; ``n`` must be a non-negative integer."""
    n_val = concrete_value(n)
    if isinstance(n_val, np.ndarray):
        if n_val.ndim != 0:
            raise TypeError("polygamma: n must be one integer (arrays of orders are not supported)")
        n_val = n_val.item()
    if isinstance(n_val, float) and n_val.is_integer():
        n_val = int(n_val)
    if not isinstance(n_val, int | np.integer) or n_val < 0:
        raise ValueError(f"polygamma: n must be a non-negative integer, got {n!r}")
    return polygamma_p(x, n=int(n_val))


# -- the logistic function ----------------------------------------------------------------------
# d expit = expit (1 - expit); d logit = 1/(p (1 - p)), with ``divide``, not ``/``: p may be
# a plain Python 0.0, where NumPy gives inf
expit_p = defunary("expit", expit_impl, lambda ans, x: ans * (1.0 - ans))
logit_p = defunary("logit", logit_impl, lambda ans, p: E.divide(1.0, p * (1.0 - p)), singular=True)


def expit(x):
    """The logistic sigmoid ``1 / (1 + e^-x)``, stable for large |x|."""
    return expit_p(x)


def logit(p):
    """``log(p / (1 - p))``, the inverse of ``expit``."""
    return logit_p(p)


def log_expit(x):
    """``log(expit(x)) = -logaddexp(0, -x)``, stable for large |x|."""
    with np.errstate(invalid="ignore"):  # NumPy's logaddexp warns at NaN; SciPy's does not
        return -E.logaddexp(0.0, -as_array(x, floating=True))


# -- x log y ------------------------------------------------------------------------------------
def _x_over(x, y):
    """x / y, taken as 0 wherever x == 0 (even where y == 0)."""
    zero = D.equal(x, 0.0)
    return where_p(zero, 0.0, x / where_p(zero, 1.0, y))


def _x_times(log):
    """The forward of ``x log(y)``-like functions: 0 where x = 0, unless y is NaN."""

    def impl(xp, x, y):
        x, y = as_floating(xp, x), as_floating(xp, y)
        with np.errstate(divide="ignore", invalid="ignore"):
            r = x * getattr(xp, log)(y)
        return xp.where(xp.logical_and(xp.equal(x, 0), ~xp.isnan(y)), 0.0, r)[()]

    return impl


# d(x log y) = log y dx + x/y dy
xlogy_p = defbinary(
    "xlogy",
    _x_times("log"),
    lambda ans, x, y: E.log(y),
    lambda ans, x, y: _x_over(x, y),
    singular=True,
)
xlog1py_p = defbinary(
    "xlog1py",
    _x_times("log1p"),
    lambda ans, x, y: E.log1p(y),
    lambda ans, x, y: _x_over(x, 1.0 + y),
    singular=True,
)


def xlogy(x, y):
    """``x log(y)``, 0 where x = 0 (even where y = 0)."""
    return xlogy_p(x, y)


def xlog1py(x, y):
    """``x log(1 + y)``, 0 where x = 0 (even where y = -1)."""
    return xlog1py_p(x, y)
