"""Special functions whose forwards are SciPy's (``scipy.special``, imported when first
called): the gamma and beta functions, the incomplete gamma and beta functions, the
Bessel functions, the inverse complementary error function and the normal quantile.

Each rule is written with differentiable ops, mostly records of this family again, so
derivatives of any order exist:

* ``Γ' = Γ ψ``; ``(1/Γ)' = -ψ/Γ``; ``B(a, b)`` and ``ln B`` through ``ψ``;
* the regularised incomplete functions are differentiated in ``x`` only (their
  density: ``x^(a-1) e^(-x) / Γ(a)``, ``x^(a-1) (1-x)^(b-1) / B(a, b)``);
* Bessel functions by their recurrences, e.g. ``J_v' = (J_(v-1) - J_(v+1)) / 2``,
  ``I_v' = (I_(v-1) + I_(v+1)) / 2``;
* inverse functions by the reciprocal of the forward's derivative at the answer.

Orders (``v``, ``n``) and the shape parameters ``a``, ``b`` of the incomplete functions
have no derivative in SciPy; a traced one is refused with an error that names it.
"""

from __future__ import annotations

import math

from chainrule.core.primitive import defprimitive
from chainrule.primitives import discrete as D
from chainrule.primitives import elementwise as E
from chainrule.primitives._helpers import broadcast_like, defbinary, defunary, defzero, unbroadcast
from chainrule.primitives._scipy import no_derivative, scipy_module
from chainrule.primitives.special import digamma_p, gammaln

__all__ = [
    "beta", "betainc", "betaln", "erfcinv", "gamma", "gammainc", "gammaincc", "gammasgn",
    "i0", "i1", "iv", "ive", "j0", "j1", "jn", "jv", "log_ndtr", "multigammaln", "ndtri",
    "rgamma", "stdtr", "y0", "y1", "yn", "yv",
]  # fmt: skip

_SQRT_2PI = math.sqrt(2.0 * math.pi)
_HALF_SQRT_PI = 0.5 * math.sqrt(math.pi)


def _scipy(name: str):
    """The forward ``scipy.special.<name>`` (looked up at call time)."""

    def impl(xp, *args):
        return getattr(scipy_module("special", f"chainrule.scipy.special.{name}"), name)(*args)

    impl.__qualname__ = f"chainrule.scipy.special.{name}"
    return impl


# -- gamma and beta ---------------------------------------------------------------------
# d Γ = Γ ψ;  d (1/Γ) = -ψ / Γ
gamma_p = defunary("gamma", _scipy("gamma"), lambda ans, x: ans * digamma_p(x))
rgamma_p = defunary("rgamma", _scipy("rgamma"), lambda ans, x: -ans * digamma_p(x), singular=True)
gammasgn_p = defzero("gammasgn", _scipy("gammasgn"))
# d B(a, b) / da = B (ψ(a) - ψ(a + b)), and the same for ln B without the factor B
beta_p = defbinary(
    "beta",
    _scipy("beta"),
    lambda ans, a, b: ans * (digamma_p(a) - digamma_p(a + b)),
    lambda ans, a, b: ans * (digamma_p(b) - digamma_p(a + b)),
)
betaln_p = defbinary(
    "betaln",
    _scipy("betaln"),
    lambda ans, a, b: digamma_p(a) - digamma_p(a + b),
    lambda ans, a, b: digamma_p(b) - digamma_p(a + b),
)


def gamma(z):
    """The gamma function ``Γ(z)``."""
    return gamma_p(z)


def rgamma(z):
    """``1 / Γ(z)`` (0 at the poles of Γ)."""
    return rgamma_p(z)


def gammasgn(x):
    """The sign of ``Γ(x)`` (derivative zero)."""
    return gammasgn_p(x)


def beta(a, b):
    """The beta function ``Γ(a) Γ(b) / Γ(a + b)``."""
    return beta_p(a, b)


def betaln(a, b):
    """``ln |B(a, b)|``."""
    return betaln_p(a, b)


def multigammaln(a, d):
    """The log of the multivariate gamma function of dimension ``d`` (an integer):
    ``d(d-1)/4 ln π + Σ_j ln Γ(a - j/2)``, j = 0 .. d-1."""
    if not isinstance(d, int) or isinstance(d, bool) or d < 1:
        raise ValueError(f"multigammaln: d must be a positive integer, got {d!r}")
    total = 0.25 * d * (d - 1) * math.log(math.pi)
    for j in range(d):
        total = total + gammaln(a - 0.5 * j)
    return total


# -- the regularised incomplete gamma and beta functions ------------------------------------
def _gamma_density(a, x):
    return E.exp((a - 1.0) * E.log(x) - x - gammaln(a))


# d P(a, x)/dx = x^(a-1) e^(-x) / Γ(a);  Q = 1 - P
gammainc_p = defbinary(
    "gammainc",
    _scipy("gammainc"),
    lambda ans, a, x: no_derivative("gammainc", "a"),
    lambda ans, a, x: _gamma_density(a, x),
)
gammaincc_p = defbinary(
    "gammaincc",
    _scipy("gammaincc"),
    lambda ans, a, x: no_derivative("gammaincc", "a"),
    lambda ans, a, x: -_gamma_density(a, x),
)


def gammainc(a, x):
    """The regularised lower incomplete gamma function ``P(a, x)``."""
    return gammainc_p(a, x)


def gammaincc(a, x):
    """The regularised upper incomplete gamma function ``Q(a, x) = 1 - P(a, x)``."""
    return gammaincc_p(a, x)


def _beta_density(a, b, x):
    # x^(a-1) (1-x)^(b-1) / B(a, b)
    return E.exp((a - 1.0) * E.log(x) + (b - 1.0) * E.log1p(-x) - betaln_p(a, b))


betainc_p = defprimitive(
    "betainc",
    _scipy("betainc"),
    vjp={
        0: lambda ans, a, b, x: no_derivative("betainc", "a"),
        1: lambda ans, a, b, x: no_derivative("betainc", "b"),
        2: lambda ans, a, b, x: lambda g: unbroadcast(g * _beta_density(a, b, x), x),
    },
    jvp={
        0: lambda g, ans, a, b, x: no_derivative("betainc", "a"),
        1: lambda g, ans, a, b, x: no_derivative("betainc", "b"),
        2: lambda g, ans, a, b, x: broadcast_like(g * _beta_density(a, b, x), ans),
    },
)


def betainc(a, b, x):
    """The regularised incomplete beta function ``I_x(a, b)``."""
    return betainc_p(a, b, x)


def _student_density(df, t):
    # Γ((ν+1)/2) / (√(νπ) Γ(ν/2)) (1 + t²/ν)^(-(ν+1)/2)
    log_norm = gammaln(0.5 * (df + 1.0)) - gammaln(0.5 * df) - 0.5 * E.log(df * math.pi)
    return E.exp(log_norm - 0.5 * (df + 1.0) * E.log1p(t * t / df))


# d stdtr(ν, t)/dt = the density of Student's t
stdtr_p = defbinary(
    "stdtr",
    _scipy("stdtr"),
    lambda ans, df, t: no_derivative("stdtr", "df"),
    lambda ans, df, t: _student_density(df, t),
)


def stdtr(df, t):
    """The distribution function of Student's t with ``df`` degrees of freedom."""
    return stdtr_p(df, t)


# -- inverses: 1 / f'(ans) ------------------------------------------------------------------
# erfc(y) = x:  dy/dx = -√π/2 e^(y²)
erfcinv_p = defunary(
    "erfcinv", _scipy("erfcinv"), lambda ans, x: -_HALF_SQRT_PI * E.exp(ans * ans), singular=True
)
# ndtr(y) = x:  dy/dx = √(2π) e^(y²/2)
ndtri_p = defunary(
    "ndtri", _scipy("ndtri"), lambda ans, x: _SQRT_2PI * E.exp(0.5 * ans * ans), singular=True
)
# d log Φ(x) = φ(x) / Φ(x) = e^(-x²/2 - log Φ(x)) / √(2π)
log_ndtr_p = defunary(
    "log_ndtr", _scipy("log_ndtr"), lambda ans, x: E.exp(-0.5 * x * x - ans) / _SQRT_2PI
)


def erfcinv(y):
    """The inverse of ``erfc`` on (0, 2)."""
    return erfcinv_p(y)


def ndtri(y):
    """The standard normal quantile, the inverse of ``ndtr``."""
    return ndtri_p(y)


def log_ndtr(x):
    """``log Φ(x)``, accurate far in the lower tail."""
    return log_ndtr_p(x)


# -- Bessel functions ---------------------------------------------------------------------
# J_v' = (J_(v-1) - J_(v+1)) / 2, and Y_v likewise; J_0' = -J_1
jv_p = defbinary(
    "jv",
    _scipy("jv"),
    lambda ans, v, x: no_derivative("jv", "v"),
    lambda ans, v, x: 0.5 * (jv_p(v - 1.0, x) - jv_p(v + 1.0, x)),
)
yv_p = defbinary(
    "yv",
    _scipy("yv"),
    lambda ans, v, x: no_derivative("yv", "v"),
    lambda ans, v, x: 0.5 * (yv_p(v - 1.0, x) - yv_p(v + 1.0, x)),
)
j0_p = defunary("j0", _scipy("j0"), lambda ans, x: -j1_p(x))
j1_p = defunary("j1", _scipy("j1"), lambda ans, x: 0.5 * (j0_p(x) - jv_p(2.0, x)))
y0_p = defunary("y0", _scipy("y0"), lambda ans, x: -y1_p(x))
y1_p = defunary("y1", _scipy("y1"), lambda ans, x: 0.5 * (y0_p(x) - yv_p(2.0, x)))
# I_v' = (I_(v-1) + I_(v+1)) / 2; ive = iv e^(-|x|), so ive' = that for ive - sign(x) ive
iv_p = defbinary(
    "iv",
    _scipy("iv"),
    lambda ans, v, x: no_derivative("iv", "v"),
    lambda ans, v, x: 0.5 * (iv_p(v - 1.0, x) + iv_p(v + 1.0, x)),
)
ive_p = defbinary(
    "ive",
    _scipy("ive"),
    lambda ans, v, x: no_derivative("ive", "v"),
    lambda ans, v, x: 0.5 * (ive_p(v - 1.0, x) + ive_p(v + 1.0, x)) - D.sign(x) * ans,
)
i0_p = defunary("i0", _scipy("i0"), lambda ans, x: i1_p(x))
i1_p = defunary("i1", _scipy("i1"), lambda ans, x: 0.5 * (i0_p(x) + iv_p(2.0, x)))


def jv(v, z):
    """The Bessel function of the first kind of real order ``v``."""
    return jv_p(v, z)


def jn(n, x):
    """The Bessel function of the first kind of integer order ``n``."""
    return jv_p(n, x)


def yv(v, z):
    """The Bessel function of the second kind of real order ``v``."""
    return yv_p(v, z)


def yn(n, x):
    """The Bessel function of the second kind of integer order ``n``."""
    return yv_p(n, x)


def j0(x):
    """``J_0(x)``."""
    return j0_p(x)


def j1(x):
    """``J_1(x)``."""
    return j1_p(x)


def y0(x):
    """``Y_0(x)``."""
    return y0_p(x)


def y1(x):
    """``Y_1(x)``."""
    return y1_p(x)


def iv(v, z):
    """The modified Bessel function of the first kind of real order ``v``."""
    return iv_p(v, z)


def ive(v, z):
    """``iv(v, z) e^(-|z|)``, which does not overflow for large ``z``."""
    return ive_p(v, z)


def i0(x):
    """``I_0(x)``."""
    return i0_p(x)


def i1(x):
    """``I_1(x)``."""
    return i1_p(x)
