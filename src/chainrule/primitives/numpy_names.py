"""The rest of NumPy's differentiable names, composed from the families above (no new
rules): NumPy 2's aliases (``acos``, ``concat``, ``pow``, ``permute_dims`` ...),
selections (``select``, ``partition``, ``delete``, ``compress``, ``extract``),
differences (``gradient``, ``ediff1d``, ``trapezoid``), vector products (``vecdot``,
``matvec``, ``vecmat``), autograd's ``make_diagonal``, and NumPy's index-building
constants (``mgrid``, ``ogrid``, ``s_``, ``ix_`` ...), which hold no traced values.
"""

from __future__ import annotations

import numpy as np

# index-building constants: no traced values in them
from numpy import index_exp, ix_, mgrid, ndenumerate, ndindex, ogrid, s_  # noqa: F401

from chainrule.core.trace import concrete_value, example_value, visible_shape
from chainrule.primitives import discrete as D
from chainrule.primitives import elementwise as E
from chainrule.primitives import joining as J
from chainrule.primitives import reductions_cumulative as C
from chainrule.primitives import shape as S
from chainrule.primitives import trigonometric as T
from chainrule.primitives._args import all_true, as_array, normalize_one_axis, plain_value
from chainrule.primitives._helpers import dtype_of
from chainrule.primitives.indexing import take, take_along_axis
from chainrule.primitives.products_diagonal import diag
from chainrule.primitives.selection import where

__all__ = [
    "acos", "acosh", "asin", "asinh", "atan", "atan2", "atanh", "concat", "pow",
    "permute_dims", "matrix_transpose", "row_stack", "rollaxis", "fabs", "copy",
    "asarray_chkfinite", "asfortranarray", "require", "cumulative_sum", "cumulative_prod",
    "select", "partition", "delete", "compress", "extract", "real_if_close", "copysign",
    "ldexp", "heaviside", "divmod", "diagflat", "ediff1d",
    "mgrid", "ogrid", "s_", "index_exp", "ix_", "ndindex", "ndenumerate",
]  # fmt: skip

acos, acosh, asin, asinh = T.arccos, T.arccosh, T.arcsin, T.arcsinh
atan, atan2, atanh = T.arctan, T.arctan2, T.arctanh
concat, pow, permute_dims, row_stack = J.concatenate, E.power, S.transpose, J.vstack


def _shape(x) -> tuple:
    return visible_shape(x)


def matrix_transpose(x, /):
    """Swap the last two axes."""
    return S.swapaxes(x, -1, -2)


def rollaxis(a, axis, start=0):
    """Roll ``axis`` backwards until it lies before position ``start`` (NumPy's older
    ``moveaxis``)."""
    n = len(_shape(a))
    axis = normalize_one_axis(axis, n)
    if not -n <= start <= n:
        raise np.exceptions.AxisError(f"rollaxis: start {start} out of range for {n} dims")
    start = start + n if start < 0 else start
    return S.moveaxis(a, axis, start - 1 if axis < start else start)


def fabs(x, /):
    """Absolute value of real numbers (complex input is refused, as in NumPy)."""
    if dtype_of(x).kind == "c":
        raise TypeError("fabs: complex input is not supported; use cnp.abs")
    return E.abs(x)


def copy(a, order="K", subok=False):
    """A copy (the identity to every trace)."""
    return as_array(a) + 0


def asarray_chkfinite(a, dtype=None, order=None):
    """``asarray`` that refuses NaN and infinity."""
    xp, value = plain_value(a)
    if not all_true(xp.isfinite(value)):
        raise ValueError("array must not contain infs or NaNs")
    return as_array(a)


def asfortranarray(a, dtype=None, *, like=None):
    """The array itself (memory layout carries no derivative)."""
    return as_array(a)


def require(a, dtype=None, requirements=None, *, like=None):
    """The array itself (memory layout carries no derivative)."""
    return as_array(a)


def _with_initial(result, axis, value):
    first = take(result, [0], axis=axis)
    return J.concatenate([first * 0 + value, result], axis=axis)


def cumulative_sum(x, /, *, axis=None, dtype=None, out=None, include_initial=False):
    """Array-API cumulative sum (``include_initial`` prepends a zero)."""
    ax = 0 if axis is None else axis
    result = C.cumsum(x, axis=ax)
    return _with_initial(result, ax, 0.0) if include_initial else result


def cumulative_prod(x, /, *, axis=None, dtype=None, out=None, include_initial=False):
    """Array-API cumulative product (``include_initial`` prepends a one)."""
    ax = 0 if axis is None else axis
    result = C.cumprod(x, axis=ax)
    return _with_initial(result, ax, 1.0) if include_initial else result


def select(condlist, choicelist, default=0):
    """Elements from the first choice whose condition holds, else ``default``."""
    if len(condlist) != len(choicelist):
        raise ValueError("select: condlist and choicelist must have the same length")
    result = default
    for cond, choice in zip(reversed(condlist), reversed(choicelist)):
        result = where(cond, choice, result)
    return result


def partition(a, kth, axis=-1, kind="introselect", order=None):
    """NumPy's partition, taking the values in the positions NumPy's ordering gives
    (so the gradient goes back to each value's source)."""
    idx = np.argpartition(concrete_value(a), kth, axis=axis)
    if axis is None:
        return take(S.ravel(a), idx)
    return take_along_axis(a, idx, axis=axis)


def delete(arr, obj, axis=None):
    """The array without the entries ``obj`` along ``axis``."""
    if axis is None:
        arr, axis = S.ravel(arr), 0
    n = _shape(arr)[axis]
    keep = np.delete(np.arange(n), concrete_value(obj))
    return take(arr, keep, axis=axis)


def compress(condition, a, axis=None, out=None):
    """The slices of ``a`` along ``axis`` where ``condition`` holds."""
    kept = np.flatnonzero(concrete_value(condition))
    return take(S.ravel(a) if axis is None else a, kept, axis=0 if axis is None else axis)


def extract(condition, arr):
    """The entries of ``arr`` where ``condition`` holds, flattened."""
    return compress(np.ravel(example_value(condition, "extract's condition")), arr)


def real_if_close(a, tol=100):
    """The real part when every imaginary part is within ``tol`` machine epsilons."""
    xp, value = plain_value(a)
    dtype = dtype_of(value)
    if dtype.kind != "c":
        return a
    limit = tol * np.finfo(dtype).eps if tol > 1 else tol
    return E.real(a) if all_true(xp.abs(xp.imag(value)) < limit) else a


def copysign(x1, x2, /):
    """``|x1|`` with the sign of ``x2`` (``x2`` has zero derivative)."""
    return where(D.signbit(x2), -E.abs(x1), E.abs(x1))


def ldexp(x1, x2, /):
    """``x1 * 2**x2`` for integer ``x2``."""
    xp, exponent = plain_value(x2)  # integers: no gradient
    return x1 * xp.exp2(exponent)


def heaviside(x1, x2, /):
    """0 below zero, 1 above, ``x2`` at zero (``x1`` has zero derivative)."""
    step = where(D.greater(x1, 0), 1.0, 0.0)
    return where(D.equal(x1, 0), x2, step)


def divmod(x1, x2, /):
    """``(floor_divide, mod)``."""
    return D.floor_divide(x1, x2), E.mod(x1, x2)


def diagflat(v, k=0):
    """A 2-D array with the flattened input on diagonal ``k``."""
    return diag(S.ravel(v), k)


def ediff1d(ary, to_end=None, to_begin=None):
    """Differences of consecutive flattened elements, with optional ends."""
    parts = [S.ravel(as_array(to_begin))] if to_begin is not None else []
    parts.append(J.diff(S.ravel(ary)))
    if to_end is not None:
        parts.append(S.ravel(as_array(to_end)))
    return J.concatenate(parts) if len(parts) > 1 else parts[0]
