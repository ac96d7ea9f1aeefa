"""Trigonometric and hyperbolic functions, their inverses, ``hypot``, ``sinc``, the
angle conversions and ``angle``. Each record states the local derivative once
(:mod:`._helpers` makes the VJP and the JVP of it); the rules use the arithmetic of
:mod:`.elementwise`.
"""

from __future__ import annotations

import math

import numpy as np

from chainrule.core.trace import concrete_value
from chainrule.primitives import discrete as D
from chainrule.primitives._helpers import defbinary, deflinear, defunary, real_p, ufunc_function
from chainrule.primitives.elementwise import absolute, add, divide, imag_p, negative, sqrt, subtract
from chainrule.primitives.selection import where_p

__all__ = [
    "sin", "cos", "tan", "arcsin", "arccos", "arctan", "arctan2", "hypot",
    "deg2rad", "rad2deg", "radians", "degrees", "sinc",
    "sinh", "cosh", "tanh", "arcsinh", "arccosh", "arctanh", "angle",
]  # fmt: skip

# -- trigonometric ------------------------------------------------------------------------------
sin_p = defunary("sin", lambda xp, x: xp.sin(x), lambda ans, x: cos(x))
sin = ufunc_function(sin_p)
cos_p = defunary("cos", lambda xp, x: xp.cos(x), lambda ans, x: negative(sin(x)))
cos = ufunc_function(cos_p)
# d tan = sec² = 1 + tan²
tan_p = defunary("tan", lambda xp, x: xp.tan(x), lambda ans, x: 1.0 + ans * ans)
tan = ufunc_function(tan_p)
# d arcsin = 1/sqrt(1 - x²)
arcsin_p = defunary(
    "arcsin", lambda xp, x: xp.arcsin(x), lambda ans, x: 1.0 / sqrt(1.0 - x * x), singular=True
)
arcsin = ufunc_function(arcsin_p)
arccos_p = defunary(
    "arccos", lambda xp, x: xp.arccos(x), lambda ans, x: -1.0 / sqrt(1.0 - x * x), singular=True
)
arccos = ufunc_function(arccos_p)
arctan_p = defunary("arctan", lambda xp, x: xp.arctan(x), lambda ans, x: 1.0 / (1.0 + x * x))
arctan = ufunc_function(arctan_p)
# d atan2(y, x) = (x dy - y dx) / (x² + y²)
arctan2_p = defbinary(
    "arctan2",
    lambda xp, y, x: xp.arctan2(y, x),
    lambda ans, y, x: divide(x, add(x * x, y * y)),
    lambda ans, y, x: divide(negative(y), add(x * x, y * y)),
    singular=True,
)
arctan2 = ufunc_function(arctan2_p)
# d hypot(x, y)/dx = x / hypot, with the subgradient 0 at the origin
hypot_p = defbinary(
    "hypot",
    lambda xp, x, y: xp.hypot(x, y),
    lambda ans, x, y: x / where_p(D.equal(ans, 0.0), 1.0, ans),
    lambda ans, x, y: y / where_p(D.equal(ans, 0.0), 1.0, ans),
)
hypot = ufunc_function(hypot_p)
deg2rad_p = deflinear("deg2rad", lambda xp, x: xp.deg2rad(x), lambda g, ans, x: g * (np.pi / 180.0))
deg2rad = radians = ufunc_function(deg2rad_p)
rad2deg_p = deflinear("rad2deg", lambda xp, x: xp.rad2deg(x), lambda g, ans, x: g * (180.0 / np.pi))
rad2deg = degrees = ufunc_function(rad2deg_p)


def angle(z, deg=False):
    """The argument of a complex number: ``arctan2(imag z, real z)`` (0 or pi for
    real input, with derivative 0). Differentiable for complex input (autograd's
    convention)."""
    out = arctan2(imag_p(z), real_p(z))
    return rad2deg(out) if deg else out


# sinc'(x) = pi² x sum_k c_k (pi x)^(2k-2), c_k = (-1)^k 2k / (2k+1)!, for |x| < 0.1
_SINC_SERIES = [(-1) ** k * 2 * k / math.factorial(2 * k + 1) for k in range(6, 0, -1)]


def _sinc_deriv(ans, x):
    # d sinc x = (cos(pi x) - sinc x) / x. Near 0 the difference cancels (and every
    # derivative of the formula is 0/0 at 0), so there a Taylor series takes over:
    # exact at 0 to every order (sinc''(0) = -pi²/3).
    small = D.less(absolute(x), 0.1)
    far = divide(cos(np.pi * x) - ans, where_p(small, 1.0, x))
    if not np.any(concrete_value(small)):
        return far
    u = (np.pi * np.pi) * (x * x)
    near = _SINC_SERIES[0]
    for c in _SINC_SERIES[1:]:
        near = near * u + c
    return where_p(small, (np.pi * np.pi) * x * near, far)


sinc_p = defunary("sinc", lambda xp, x: xp.sinc(x), _sinc_deriv)


def sinc(x):
    """``sin(pi x) / (pi x)``, 1 at 0."""
    return sinc_p(x)


# -- hyperbolic -------------------------------------------------------------------------------
sinh_p = defunary("sinh", lambda xp, x: xp.sinh(x), lambda ans, x: cosh(x))
sinh = ufunc_function(sinh_p)
cosh_p = defunary("cosh", lambda xp, x: xp.cosh(x), lambda ans, x: sinh(x))
cosh = ufunc_function(cosh_p)
# d tanh = 1 - tanh²
tanh_p = defunary("tanh", lambda xp, x: xp.tanh(x), lambda ans, x: 1.0 - ans * ans)
tanh = ufunc_function(tanh_p)
arcsinh_p = defunary("arcsinh", lambda xp, x: xp.arcsinh(x), lambda ans, x: 1.0 / sqrt(x * x + 1.0))
arcsinh = ufunc_function(arcsinh_p)
arccosh_p = defunary(
    "arccosh", lambda xp, x: xp.arccosh(x), lambda ans, x: 1.0 / sqrt(x * x - 1.0), singular=True
)
arccosh = ufunc_function(arccosh_p)
arctanh_p = defunary(
    "arctanh",
    lambda xp, x: xp.arctanh(x),
    lambda ans, x: divide(1.0, subtract(1.0, x * x)),
    singular=True,
)
arctanh = ufunc_function(arctanh_p)
