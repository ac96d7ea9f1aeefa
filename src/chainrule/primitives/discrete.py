"""Discrete-valued elementwise ops: signs, rounding, comparisons, logic and the float
predicates (``isnan``, ...). Each is piecewise constant (or boolean), so its derivative
is zero and its output is a constant to every trace. ``sign`` is 0 at 0.

The rules of the other elementwise modules use these ops, so this module comes first.
"""

from __future__ import annotations

import operator

from chainrule.primitives._args import reject_out
from chainrule.primitives._helpers import defzero, ufunc_function

__all__ = [
    "sign", "floor", "ceil", "rint", "trunc", "fix", "round", "around",
    "greater", "greater_equal", "less", "less_equal", "equal", "not_equal",
    "logical_and", "logical_or", "logical_xor", "logical_not",
    "isnan", "isinf", "isfinite", "signbit", "floor_divide",
]  # fmt: skip

sign_p = defzero("sign", lambda xp, x: xp.sign(x))
sign = ufunc_function(sign_p)
floor_p = defzero("floor", lambda xp, x: xp.floor(x))
floor = ufunc_function(floor_p)
ceil_p = defzero("ceil", lambda xp, x: xp.ceil(x))
ceil = ufunc_function(ceil_p)
rint_p = defzero("rint", lambda xp, x: xp.rint(x))
rint = ufunc_function(rint_p)
trunc_p = defzero("trunc", lambda xp, x: xp.trunc(x))
trunc = ufunc_function(trunc_p)
fix_p = defzero("fix", lambda xp, x: xp.fix(x))
round_p = defzero("round", lambda xp, x, decimals=0: xp.round(x, decimals))
floor_divide_p = defzero("floor_divide", lambda xp, x, y: xp.floor_divide(x, y))
floor_divide = ufunc_function(floor_divide_p)


def fix(x, out=None):
    """Round towards zero (piecewise constant: zero derivative)."""
    reject_out("fix", out)
    return fix_p(x)


def round(a, decimals=0, out=None):  # noqa: A001 (NumPy's name)
    """Round to ``decimals`` decimals (piecewise constant: zero derivative)."""
    reject_out("round", out)
    return round_p(a, decimals=operator.index(decimals))


around = round

# -- comparisons and logic ----------------------------------------------------------------
greater_p = defzero("greater", lambda xp, x, y: xp.greater(x, y))
greater = ufunc_function(greater_p)
greater_equal_p = defzero("greater_equal", lambda xp, x, y: xp.greater_equal(x, y))
greater_equal = ufunc_function(greater_equal_p)
less_p = defzero("less", lambda xp, x, y: xp.less(x, y))
less = ufunc_function(less_p)
less_equal_p = defzero("less_equal", lambda xp, x, y: xp.less_equal(x, y))
less_equal = ufunc_function(less_equal_p)
equal_p = defzero("equal", lambda xp, x, y: xp.equal(x, y))
equal = ufunc_function(equal_p)
not_equal_p = defzero("not_equal", lambda xp, x, y: xp.not_equal(x, y))
not_equal = ufunc_function(not_equal_p)
logical_and_p = defzero("logical_and", lambda xp, x, y: xp.logical_and(x, y))
logical_and = ufunc_function(logical_and_p)
logical_or_p = defzero("logical_or", lambda xp, x, y: xp.logical_or(x, y))
logical_or = ufunc_function(logical_or_p)
logical_xor_p = defzero("logical_xor", lambda xp, x, y: xp.logical_xor(x, y))
logical_xor = ufunc_function(logical_xor_p)
logical_not_p = defzero("logical_not", lambda xp, x: xp.logical_not(x))
logical_not = ufunc_function(logical_not_p)

# -- float predicates -------------------------------------------------------------------------
isnan_p = defzero("isnan", lambda xp, x: xp.isnan(x))
isnan = ufunc_function(isnan_p)
isinf_p = defzero("isinf", lambda xp, x: xp.isinf(x))
isinf = ufunc_function(isinf_p)
isfinite_p = defzero("isfinite", lambda xp, x: xp.isfinite(x))
isfinite = ufunc_function(isfinite_p)
signbit_p = defzero("signbit", lambda xp, x: xp.signbit(x))
signbit = ufunc_function(signbit_p)
