"""Elementwise arithmetic: sums and products, powers, exponentials and logarithms,
remainders, complex parts, casts. (Trigonometric and hyperbolic functions are in
:mod:`.trigonometric`, the discrete-valued ops in :mod:`.discrete`, the selection ops in
:mod:`.selection`.)

Each record states the local derivative once; :mod:`._helpers` turns it into both the
VJP and the JVP. ``abs`` uses the subgradient 0 at 0. Rules divide with ``divide``,
never Python's ``/``: a primal may be a plain Python number, and ``1.0 / 0.0`` raises
ZeroDivisionError where NumPy gives inf.
"""

from __future__ import annotations

import math

import numpy as np

from chainrule.core.trace import concrete_value
from chainrule.primitives import discrete as D
from chainrule.primitives._args import inf_minus_inf
from chainrule.primitives._helpers import (
    astype_p,
    broadcast_like,
    conj_if_complex,
    conj_p,
    defbinary,
    deflinear,
    defunary,
    dtype_of,
    real_p,
    ufunc_function,
)
from chainrule.primitives.selection import where_p

__all__ = [
    "add", "subtract", "multiply", "divide", "true_divide", "negative", "positive",
    "power", "float_power", "square", "reciprocal", "sqrt", "cbrt", "absolute", "abs",
    "exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "logaddexp", "logaddexp2",
    "mod", "remainder", "fmod", "real", "imag", "conj", "conjugate", "astype", "nan_to_num",
]  # fmt: skip

# Python floats, not NumPy scalars: they must not promote a float32 rule to float64.
_LN2 = math.log(2.0)
_LN10 = math.log(10.0)

# -- arithmetic -------------------------------------------------------------------------------
add_p = defbinary("add", lambda xp, x, y: xp.add(x, y), 1.0, 1.0)
add = ufunc_function(add_p)
subtract_p = defbinary("subtract", lambda xp, x, y: xp.subtract(x, y), 1.0, -1.0)
subtract = ufunc_function(subtract_p)
multiply_p = defbinary(
    "multiply", lambda xp, x, y: xp.multiply(x, y), lambda ans, x, y: y, lambda ans, x, y: x
)
multiply = ufunc_function(multiply_p)
# d(x/y) = 1/y dx - x/y² dy
divide_p = defbinary(
    "divide",
    lambda xp, x, y: xp.divide(x, y),
    lambda ans, x, y: divide(1.0, y),
    lambda ans, x, y: divide(negative(ans), y),
    singular=True,
)
divide = true_divide = ufunc_function(divide_p)
negative_p = deflinear("negative", lambda xp, x: xp.negative(x), lambda g, ans, x: negative(g))
negative = ufunc_function(negative_p)
positive_p = deflinear("positive", lambda xp, x: xp.positive(x), lambda g, ans, x: g)
positive = ufunc_function(positive_p)
# mod(x, y) = x - floor(x/y) y; fmod(x, y) = x - trunc(x/y) y
mod_p = defbinary(
    "mod",
    lambda xp, x, y: xp.mod(x, y),
    1.0,
    lambda ans, x, y: negative(D.floor(divide(x, y))),
)
mod = remainder = ufunc_function(mod_p)
fmod_p = defbinary(
    "fmod",
    lambda xp, x, y: xp.fmod(x, y),
    1.0,
    lambda ans, x, y: negative(D.trunc(divide(x, y))),
)
fmod = ufunc_function(fmod_p)


# -- powers -----------------------------------------------------------------------------------
def _pow_dx(ans, x, y):
    # d x^y / dx = y x^(y-1); written this way (not y*ans/x) so that x = 0 is exact.
    # x^0 is the constant 1, so at y = 0 the derivative is 0, also at x = 0 where the
    # formula is 0 * 0^(-1) = NaN (PyTorch and JAX say 0 there too); there the base is
    # taken as 1, so that 0^(-1) is not even evaluated.
    both_zero = D.logical_and(D.equal(x, 0), D.equal(y, 0))
    if not np.any(concrete_value(both_zero)):
        return y * power(x, y - 1.0)
    return where_p(both_zero, 0.0, y * power(where_p(both_zero, 1.0, x), y - 1.0))


def _pow_dy(ans, x, y):
    # d x^y / dy = x^y log x; at x = 0 the product is 0 (x^y -> 0 faster than log x).
    return ans * log(where_p(D.equal(x, 0.0), 1.0, x))


power_p = defbinary("power", lambda xp, x, y: xp.power(x, y), _pow_dx, _pow_dy, singular=True)
power = ufunc_function(power_p)
float_power_p = defbinary(
    "float_power", lambda xp, x, y: xp.float_power(x, y), _pow_dx, _pow_dy, singular=True
)
float_power = ufunc_function(float_power_p)
square_p = defunary("square", lambda xp, x: xp.square(x), lambda ans, x: 2.0 * x)
square = ufunc_function(square_p)
# d 1/x = -1/x²
reciprocal_p = defunary(
    "reciprocal", lambda xp, x: xp.reciprocal(x), lambda ans, x: negative(ans * ans), singular=True
)
reciprocal = ufunc_function(reciprocal_p)
# d sqrt x = 1 / (2 sqrt x)
sqrt_p = defunary("sqrt", lambda xp, x: xp.sqrt(x), lambda ans, x: 0.5 / ans, singular=True)
sqrt = ufunc_function(sqrt_p)
# d cbrt x = 1 / (3 cbrt(x)²)
cbrt_p = defunary(
    "cbrt", lambda xp, x: xp.cbrt(x), lambda ans, x: 1.0 / (3.0 * ans * ans), singular=True
)
cbrt = ufunc_function(cbrt_p)


def _absolute_jvp(g, ans, x):
    # |z| is not holomorphic: its tangent is the real number Re(conj(z) dz) / |z|
    d = D.sign(x)
    if dtype_of(x).kind == "c":
        return broadcast_like(real_p(conj_p(d) * g), ans)
    return broadcast_like(g * d, ans)


# d|x| = sign(x), with the subgradient 0 at 0; for complex z, d|z| pulls back to
# conj(z)/|z| (autograd's convention)
absolute_p = defunary(
    "absolute",
    lambda xp, x: xp.absolute(x),
    lambda ans, x: conj_if_complex(D.sign(x)),
    jvp=_absolute_jvp,
)
absolute = abs = ufunc_function(absolute_p)

# -- exponentials and logarithms --------------------------------------------------------------
exp_p = defunary("exp", lambda xp, x: xp.exp(x), lambda ans, x: ans)
exp = ufunc_function(exp_p)
exp2_p = defunary("exp2", lambda xp, x: xp.exp2(x), lambda ans, x: ans * _LN2)
exp2 = ufunc_function(exp2_p)
expm1_p = defunary("expm1", lambda xp, x: xp.expm1(x), lambda ans, x: ans + 1.0)
expm1 = ufunc_function(expm1_p)
log_p = defunary("log", lambda xp, x: xp.log(x), lambda ans, x: divide(1.0, x), singular=True)
log = ufunc_function(log_p)
log2_p = defunary(
    "log2", lambda xp, x: xp.log2(x), lambda ans, x: divide(1.0 / _LN2, x), singular=True
)
log2 = ufunc_function(log2_p)
log10_p = defunary(
    "log10", lambda xp, x: xp.log10(x), lambda ans, x: divide(1.0 / _LN10, x), singular=True
)
log10 = ufunc_function(log10_p)
log1p_p = defunary(
    "log1p", lambda xp, x: xp.log1p(x), lambda ans, x: divide(1.0, add(x, 1.0)), singular=True
)
log1p = ufunc_function(log1p_p)


def _log_share(x, y, ans, log_half):
    """``x - ans`` for ``logaddexp``: the log of x's share of the sum. Where x is
    infinite and so is the answer, that is inf - inf; the share is then 1/2 for a tie
    (both -inf, or both +inf) and 1 for x = +inf alone, never NaN."""
    stuck = inf_minus_inf(x, ans)
    if not np.any(stuck):
        return subtract(x, ans)
    d = subtract(where_p(stuck, 0.0, x), where_p(stuck, 0.0, ans))
    return where_p(stuck, where_p(D.equal(x, y), log_half, 0.0), d)


# d logaddexp(x, y)/dx = e^x / (e^x + e^y) = exp(x - ans)
logaddexp_p = defbinary(
    "logaddexp",
    lambda xp, x, y: xp.logaddexp(x, y),
    lambda ans, x, y: exp(_log_share(x, y, ans, -_LN2)),
    lambda ans, x, y: exp(_log_share(y, x, ans, -_LN2)),
)
logaddexp = ufunc_function(logaddexp_p)
logaddexp2_p = defbinary(
    "logaddexp2",
    lambda xp, x, y: xp.logaddexp2(x, y),
    lambda ans, x, y: exp2(_log_share(x, y, ans, -1.0)),
    lambda ans, x, y: exp2(_log_share(y, x, ans, -1.0)),
)
logaddexp2 = ufunc_function(logaddexp2_p)

# -- complex parts (the records of real and conj are in _helpers: unbroadcast uses them) ----
# imag's transpose: a real cotangent g on imag(x) is the complex cotangent -i g on x
# (autograd's convention: for a real function L of z = a + ib the cotangent of z is
# dL/da - i dL/db, and holomorphic ops pass it on as g * f'(z)). The imaginary part of
# a real x is the constant 0: its cotangent is a real zero, not -i g.
imag_p = deflinear(
    "imag",
    lambda xp, x: xp.imag(x),
    lambda g, ans, x: -1j * g if dtype_of(x).kind == "c" else g * 0.0,
)
conj = conjugate = ufunc_function(conj_p)


def real(val):
    """The real part (the array itself for real input)."""
    return real_p(val)


def imag(val):
    """The imaginary part (zeros for real input)."""
    return imag_p(val)


def astype(x, dtype, /, *, copy=True, device=None):
    """``x`` converted to ``dtype``; the gradient is converted back."""
    return astype_p(x, np.dtype(dtype))


# nan_to_num replaces NaN/±inf by finite numbers: derivative 1 where x is finite, else 0
nan_to_num_p = defunary(
    "nan_to_num",
    lambda xp, x, nan=0.0, posinf=None, neginf=None: xp.nan_to_num(
        x, copy=True, nan=nan, posinf=posinf, neginf=neginf
    ),
    lambda ans, x, **kw: where_p(D.isfinite(x), 1.0, 0.0),
)


def nan_to_num(x, copy=True, nan=0.0, posinf=None, neginf=None):
    """NaN and infinities replaced by finite numbers; derivative 1 where x is finite."""
    return nan_to_num_p(x, nan=nan, posinf=posinf, neginf=neginf)
