"""Elementwise primitives: arithmetic, powers, exponentials and logarithms,
trigonometric and hyperbolic functions, comparisons and rounding.

Each record states the local derivative once; :mod:`._helpers` turns it into both the
VJP and the JVP. Subgradients at kinks: ``abs``/``sign`` use 0 at 0. The selection ops
(``maximum``, ``minimum``, ``fmax``, ``fmin``, ``where``, ``clip``) live in
:mod:`.selection` and are re-exported here.
"""

from __future__ import annotations

import math
import operator

import numpy as np

from chainrule.core.primitive import defprimitive
from chainrule.core.trace import unbox_all
from chainrule.primitives._helpers import (
    _conj_if_complex,
    broadcast_like,
    defbinary,
    deflinear,
    defunary,
    defzero,
    dtype_of,
    unbroadcast,
    with_fast_path,
)

# Python floats, not NumPy scalars: they must not promote a float32 rule to float64.
_LN2 = math.log(2.0)
_LN10 = math.log(10.0)

# -- arithmetic ---------------------------------------------------------------------
add = defbinary("add", lambda xp, x, y: xp.add(x, y), lambda a, x, y: 1.0, lambda a, x, y: 1.0)
# Linear ops need no multiply by 1: override the rules with plain pass-through.
add.vjps = {
    0: lambda a, x, y: lambda g: unbroadcast(g, x),
    1: lambda a, x, y: lambda g: unbroadcast(g, y),
}
add.jvps = {0: lambda t, a, x, y: broadcast_like(t, a), 1: lambda t, a, x, y: broadcast_like(t, a)}

subtract = defbinary(
    "subtract", lambda xp, x, y: xp.subtract(x, y), lambda a, x, y: 1.0, lambda a, x, y: -1.0
)
subtract.vjps = {
    0: lambda a, x, y: lambda g: unbroadcast(g, x),
    1: lambda a, x, y: lambda g: unbroadcast(negative(g), y),
}
subtract.jvps = {
    0: lambda t, a, x, y: broadcast_like(t, a),
    1: lambda t, a, x, y: broadcast_like(negative(t), a),
}

multiply = defbinary(
    "multiply", lambda xp, x, y: xp.multiply(x, y), lambda a, x, y: y, lambda a, x, y: x
)
# d(x/y) = 1/y dx - x/y² dy
# Rules divide with ``divide``, never Python's ``/``: a primal may be a plain Python
# number, and ``1.0 / 0.0`` raises ZeroDivisionError where NumPy gives inf.
divide = defbinary(
    "divide",
    lambda xp, x, y: xp.divide(x, y),
    lambda a, x, y: divide(1.0, y),
    lambda a, x, y: divide(negative(a), y),
    singular=True,
)
true_divide = divide
negative = deflinear("negative", lambda xp, x: xp.negative(x), lambda g, a, x: negative(g))
positive = deflinear("positive", lambda xp, x: xp.positive(x), lambda g, a, x: g)


def _pow_dx(ans, x, y):
    # d x^y / dx = y x^(y-1); written this way (not y*ans/x) so that x = 0 is exact.
    # x^0 is the constant 1, so at y = 0 the derivative is 0, also at x = 0 where the
    # formula is 0 * 0^(-1) = NaN (PyTorch and JAX say 0 there too).
    d = y * power(x, y - 1.0)
    both_zero = logical_and(equal(x, 0), equal(y, 0))
    if np.any(unbox_all(both_zero)):
        d = where(both_zero, 0.0, d)
    return d


def _pow_dy(ans, x, y):
    # d x^y / dy = x^y log x; at x = 0 the product is 0 (x^y -> 0 faster than log x).
    safe_x = where(equal(x, 0.0), 1.0, x)
    return ans * log(safe_x)


power = defbinary("power", lambda xp, x, y: xp.power(x, y), _pow_dx, _pow_dy, singular=True)
float_power = defbinary(
    "float_power", lambda xp, x, y: xp.float_power(x, y), _pow_dx, _pow_dy, singular=True
)
square = defunary("square", lambda xp, x: xp.square(x), lambda a, x: 2.0 * x)
# d 1/x = -1/x²
reciprocal = defunary(
    "reciprocal", lambda xp, x: xp.reciprocal(x), lambda a, x: negative(a * a), singular=True
)
# d sqrt x = 1 / (2 sqrt x)
sqrt = defunary("sqrt", lambda xp, x: xp.sqrt(x), lambda a, x: 0.5 / a, singular=True)
# d cbrt x = 1 / (3 cbrt(x)²)
cbrt = defunary("cbrt", lambda xp, x: xp.cbrt(x), lambda a, x: 1.0 / (3.0 * a * a), singular=True)
# d|x| = sign(x), with the subgradient 0 at 0
# for complex z, d|z| pulls back to conj(z)/|z| (autograd's convention)
absolute = defunary(
    "absolute", lambda xp, x: xp.absolute(x), lambda a, x: _conj_if_complex(sign(x))
)


def _absolute_jvp(t, ans, x):
    # |z| is not holomorphic: its tangent is the real number Re(conj(z) dz) / |z|
    d = sign(x)
    if dtype_of(x).kind == "c":
        return broadcast_like(real(conj(d) * t), ans)
    return broadcast_like(t * d, ans)


absolute.jvps = {0: _absolute_jvp}
abs = absolute

# -- exponentials and logarithms ----------------------------------------------------
exp = defunary("exp", lambda xp, x: xp.exp(x), lambda a, x: a)
exp2 = defunary("exp2", lambda xp, x: xp.exp2(x), lambda a, x: a * _LN2)
expm1 = defunary("expm1", lambda xp, x: xp.expm1(x), lambda a, x: a + 1.0)
log = defunary("log", lambda xp, x: xp.log(x), lambda a, x: divide(1.0, x), singular=True)
log2 = defunary("log2", lambda xp, x: xp.log2(x), lambda a, x: divide(1.0 / _LN2, x), singular=True)
log10 = defunary(
    "log10", lambda xp, x: xp.log10(x), lambda a, x: divide(1.0 / _LN10, x), singular=True
)
log1p = defunary(
    "log1p", lambda xp, x: xp.log1p(x), lambda a, x: divide(1.0, add(x, 1.0)), singular=True
)


def _log_share(x, y, a, log_half):
    """``x - ans`` for ``logaddexp``: the log of x's share of the sum. Where x is
    infinite and so is the answer, that is inf - inf; the share is then 1/2 for a tie
    (both -inf, or both +inf) and 1 for x = +inf alone, never NaN."""
    d = subtract(x, a)
    stuck = logical_and(isnan(d), isinf(x))
    if not np.any(unbox_all(stuck)):
        return d
    return where(stuck, where(equal(x, y), log_half, 0.0), d)


# d logaddexp(x, y)/dx = e^x / (e^x + e^y) = exp(x - ans)
logaddexp = defbinary(
    "logaddexp",
    lambda xp, x, y: xp.logaddexp(x, y),
    lambda a, x, y: exp(_log_share(x, y, a, -_LN2)),
    lambda a, x, y: exp(_log_share(y, x, a, -_LN2)),
)
logaddexp2 = defbinary(
    "logaddexp2",
    lambda xp, x, y: xp.logaddexp2(x, y),
    lambda a, x, y: exp2(_log_share(x, y, a, -1.0)),
    lambda a, x, y: exp2(_log_share(y, x, a, -1.0)),
)

# -- trigonometric --------------------------------------------------------------------
sin = defunary("sin", lambda xp, x: xp.sin(x), lambda a, x: cos(x))
cos = defunary("cos", lambda xp, x: xp.cos(x), lambda a, x: negative(sin(x)))
# d tan = sec² = 1 + tan²
tan = defunary("tan", lambda xp, x: xp.tan(x), lambda a, x: 1.0 + a * a)
# d arcsin = 1/sqrt(1 - x²)
arcsin = defunary(
    "arcsin", lambda xp, x: xp.arcsin(x), lambda a, x: 1.0 / sqrt(1.0 - x * x), singular=True
)
arccos = defunary(
    "arccos", lambda xp, x: xp.arccos(x), lambda a, x: -1.0 / sqrt(1.0 - x * x), singular=True
)
arctan = defunary("arctan", lambda xp, x: xp.arctan(x), lambda a, x: 1.0 / (1.0 + x * x))
# d atan2(y, x) = (x dy - y dx) / (x² + y²)
arctan2 = defbinary(
    "arctan2",
    lambda xp, y, x: xp.arctan2(y, x),
    lambda a, y, x: divide(x, add(x * x, y * y)),
    lambda a, y, x: divide(negative(y), add(x * x, y * y)),
    singular=True,
)
# d hypot(x, y)/dx = x / hypot, with the subgradient 0 at the origin
hypot = defbinary(
    "hypot",
    lambda xp, x, y: xp.hypot(x, y),
    lambda a, x, y: x / where(equal(a, 0.0), 1.0, a),
    lambda a, x, y: y / where(equal(a, 0.0), 1.0, a),
)
deg2rad = deflinear("deg2rad", lambda xp, x: xp.deg2rad(x), lambda g, a, x: g * (np.pi / 180.0))
rad2deg = deflinear("rad2deg", lambda xp, x: xp.rad2deg(x), lambda g, a, x: g * (180.0 / np.pi))
radians = deg2rad
degrees = rad2deg


# sinc'(x) = pi² x sum_k c_k (pi x)^(2k-2), c_k = (-1)^k 2k / (2k+1)!, for |x| < 0.1
_SINC_SERIES = [(-1) ** k * 2 * k / math.factorial(2 * k + 1) for k in range(6, 0, -1)]


def _sinc_deriv(a, x):
    # d sinc x = (cos(pi x) - sinc x) / x. Near 0 the difference cancels (and every
    # derivative of the formula is 0/0 at 0), so there a Taylor series takes over:
    # exact at 0 to every order (sinc''(0) = -pi²/3).
    small = less(absolute(x), 0.1)
    far = divide(cos(np.pi * x) - a, where(small, 1.0, x))
    if not np.any(unbox_all(small)):
        return far
    u = (np.pi * np.pi) * (x * x)
    near = _SINC_SERIES[0]
    for c in _SINC_SERIES[1:]:
        near = near * u + c
    return where(small, (np.pi * np.pi) * x * near, far)


sinc = defunary("sinc", lambda xp, x: xp.sinc(x), _sinc_deriv)

# -- hyperbolic -----------------------------------------------------------------------
sinh = defunary("sinh", lambda xp, x: xp.sinh(x), lambda a, x: cosh(x))
cosh = defunary("cosh", lambda xp, x: xp.cosh(x), lambda a, x: sinh(x))
# d tanh = 1 - tanh²
tanh = defunary("tanh", lambda xp, x: xp.tanh(x), lambda a, x: 1.0 - a * a)
arcsinh = defunary("arcsinh", lambda xp, x: xp.arcsinh(x), lambda a, x: 1.0 / sqrt(x * x + 1.0))
arccosh = defunary(
    "arccosh", lambda xp, x: xp.arccosh(x), lambda a, x: 1.0 / sqrt(x * x - 1.0), singular=True
)
arctanh = defunary(
    "arctanh",
    lambda xp, x: xp.arctanh(x),
    lambda a, x: divide(1.0, subtract(1.0, x * x)),
    singular=True,
)

# mod(x, y) = x - floor(x/y) y; fmod(x, y) = x - trunc(x/y) y
mod = defbinary(
    "mod",
    lambda xp, x, y: xp.mod(x, y),
    lambda a, x, y: 1.0,
    lambda a, x, y: negative(floor(divide(x, y))),
)
remainder = mod
fmod = defbinary(
    "fmod",
    lambda xp, x, y: xp.fmod(x, y),
    lambda a, x, y: 1.0,
    lambda a, x, y: negative(trunc(divide(x, y))),
)

# -- complex parts ----------------------------------------------------------------------
real = deflinear("real", lambda xp, x: xp.real(x), lambda g, a, x: g)
# imag's transpose: a real cotangent g on imag(x) is the complex cotangent -i g on x
# (autograd's convention: for a real function L of z = a + ib the cotangent of z is
# dL/da - i dL/db, and holomorphic ops pass it on as g * f'(z)).
# (imag of a real x is the constant 0: its cotangent is a real zero, not -i g)
imag = deflinear(
    "imag",
    lambda xp, x: xp.imag(x),
    lambda g, a, x: -1j * g if dtype_of(x).kind == "c" else g * 0.0,
)
conj = deflinear("conj", lambda xp, x: xp.conj(x), lambda g, a, x: conj(g))
conjugate = conj


def _astype_impl(xp, x, dtype):
    return xp.asarray(x).astype(dtype, copy=False)


astype = defprimitive(
    "astype",
    _astype_impl,
    vjp={0: lambda a, x, dtype: lambda g: _astype_back(g, x)},
    jvp={0: lambda t, a, x, dtype: astype(t, dtype) if np.dtype(dtype).kind in "fc" else None},
)


def _astype_back(g, x):
    target = dtype_of(x)
    if target.kind not in "fc":
        return None
    if dtype_of(g).kind == "c" and target.kind == "f":
        g = real(g)
    return astype(g, target)


# nan_to_num replaces NaN/±inf by finite numbers: derivative 1 where x is finite, else 0
nan_to_num = defunary(
    "nan_to_num",
    lambda xp, x, copy=True, nan=0.0, posinf=None, neginf=None: xp.nan_to_num(
        x, copy=True, nan=nan, posinf=posinf, neginf=neginf
    ),
    lambda a, x, **kw: where(isfinite(x), 1.0, 0.0),
)


def angle(z, deg=False):
    """The argument of a complex number: ``arctan2(imag z, real z)`` (0 or pi for
    real input, with derivative 0). Differentiable for complex input (autograd's
    convention)."""
    out = arctan2(imag(z), real(z))
    return rad2deg(out) if deg else out


# -- zero-derivative ops ----------------------------------------------------------------
sign = defzero("sign", lambda xp, x: xp.sign(x))
floor = defzero("floor", lambda xp, x: xp.floor(x))
ceil = defzero("ceil", lambda xp, x: xp.ceil(x))
rint = defzero("rint", lambda xp, x: xp.rint(x))
trunc = defzero("trunc", lambda xp, x: xp.trunc(x))
fix = defzero("fix", lambda xp, x: xp.fix(x))
round = defzero("round", lambda xp, x, decimals=0: xp.round(x, decimals))
around = round
greater = defzero("greater", lambda xp, x, y: xp.greater(x, y))
greater_equal = defzero("greater_equal", lambda xp, x, y: xp.greater_equal(x, y))
less = defzero("less", lambda xp, x, y: xp.less(x, y))
less_equal = defzero("less_equal", lambda xp, x, y: xp.less_equal(x, y))
equal = defzero("equal", lambda xp, x, y: xp.equal(x, y))
not_equal = defzero("not_equal", lambda xp, x, y: xp.not_equal(x, y))
logical_and = defzero("logical_and", lambda xp, x, y: xp.logical_and(x, y))
logical_or = defzero("logical_or", lambda xp, x, y: xp.logical_or(x, y))
logical_xor = defzero("logical_xor", lambda xp, x, y: xp.logical_xor(x, y))
logical_not = defzero("logical_not", lambda xp, x: xp.logical_not(x))
isnan = defzero("isnan", lambda xp, x: xp.isnan(x))
isinf = defzero("isinf", lambda xp, x: xp.isinf(x))
isfinite = defzero("isfinite", lambda xp, x: xp.isfinite(x))
signbit = defzero("signbit", lambda xp, x: xp.signbit(x))
floor_divide = defzero("floor_divide", lambda xp, x, y: xp.floor_divide(x, y))

__all__ = [
    "add", "subtract", "multiply", "divide", "true_divide", "negative", "positive",
    "power", "float_power", "square", "reciprocal", "sqrt", "cbrt", "absolute", "abs",
    "exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "logaddexp", "logaddexp2",
    "sin", "cos", "tan", "arcsin", "arccos", "arctan", "arctan2", "hypot",
    "deg2rad", "rad2deg", "radians", "degrees", "sinc",
    "sinh", "cosh", "tanh", "arcsinh", "arccosh", "arctanh",
    "maximum", "minimum", "fmax", "fmin", "where", "clip", "mod", "remainder", "fmod",
    "real", "imag", "conj", "conjugate", "astype", "nan_to_num", "angle",
    "sign", "floor", "ceil", "rint", "trunc", "fix", "round", "around",
    "greater", "greater_equal", "less", "less_equal", "equal", "not_equal",
    "logical_and", "logical_or", "logical_xor", "logical_not",
    "isnan", "isinf", "isfinite", "signbit", "floor_divide",
]  # fmt: skip

# The selection ops live in their own module (it uses the comparisons above); the rules
# here that call ``where`` find it through this import, which comes last for that reason.
from chainrule.primitives.selection import (  # noqa: E402
    clip,
    fmax,
    fmin,
    maximum,
    minimum,
    where,
)

# Public functions: ufunc-backed primitives get a fast path for untraced arrays.
for _name in __all__:
    globals()[_name] = with_fast_path(globals()[_name])


# -- NumPy's signatures for the names whose NumPy versions are not ufuncs --------------------
# (a primitive's own __call__ takes *args, **kwargs: no keywords by name, no out=None)
_round_p, _fix_p, _sinc_p, _astype_p = round, fix, sinc, astype
_real_p, _imag_p, _nan_to_num_p = real, imag, nan_to_num


def _no_out(name, out):
    if out is not None:
        raise TypeError(f"chainrule.numpy.{name}: out= is not supported; use the returned value")


def round(a, decimals=0, out=None):  # noqa: A001 (NumPy's name)
    """Round to ``decimals`` decimals (piecewise constant: zero derivative)."""
    _no_out("round", out)
    return _round_p(a, decimals=operator.index(decimals))


around = round


def fix(x, out=None):
    """Round towards zero (piecewise constant: zero derivative)."""
    _no_out("fix", out)
    return _fix_p(x)


def sinc(x):
    """``sin(pi x) / (pi x)``, 1 at 0."""
    return _sinc_p(x)


def real(val):
    """The real part (the array itself for real input)."""
    return _real_p(val)


def imag(val):
    """The imaginary part (zeros for real input)."""
    return _imag_p(val)


def nan_to_num(x, copy=True, nan=0.0, posinf=None, neginf=None):
    """NaN and infinities replaced by finite numbers; derivative 1 where x is finite."""
    return _nan_to_num_p(x, nan=nan, posinf=posinf, neginf=neginf)


def astype(x, dtype, /, *, copy=True, device=None):
    """``x`` converted to ``dtype``; the gradient is converted back."""
    return _astype_p(x, np.dtype(dtype))
