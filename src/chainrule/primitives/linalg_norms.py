"""Norms and condition numbers (part of ``chainrule.numpy.linalg``): ``norm``,
``vector_norm``, ``matrix_norm`` and ``cond``.

One primitive, ``vector_norm`` for a finite p-norm, carries a rule; every other norm
(1, inf, 0, Frobenius, nuclear, spectral, ...) composes it with ``svdvals``, reductions
and ``abs``. At the zero vector the gradient is the subgradient 0, never NaN.
"""

from __future__ import annotations

import operator

import numpy as np

from chainrule.core.primitive import defprimitive
from chainrule.core.trace import concrete_value
from chainrule.primitives import discrete as D
from chainrule.primitives import elementwise as E
from chainrule.primitives import reductions as R
from chainrule.primitives import reductions_extrema as X
from chainrule.primitives import shape as S
from chainrule.primitives._args import keepdims_shape, normalize_one_axis
from chainrule.primitives._helpers import ndim_of, shape_of
from chainrule.primitives.linalg_common import (
    LinAlgError,
    check_matrix,
    floating_dtype,
    matrix_operand,
)
from chainrule.primitives.linalg_decomp import svdvals_p
from chainrule.primitives.linalg_solve import inv
from chainrule.primitives.selection import where_p

__all__ = ["cond", "matrix_norm", "norm", "vector_norm"]


# -- vector norms -----------------------------------------------------------------------------
def _vector_norm_impl(xp, x, *, ord, axis, keepdims):
    if ord == 2:
        sq = xp.real(x * xp.conj(x)) if xp.iscomplexobj(x) else x * x
        return xp.sqrt(xp.sum(sq, axis=axis, keepdims=keepdims))
    return xp.sum(xp.abs(x) ** ord, axis=axis, keepdims=keepdims) ** (1.0 / ord)


def _norm_weights(ans, x, ord, axis, keepdims):
    """d‖x‖ₚ/dx = sign(x) |x|ᵖ⁻¹ / ‖x‖ₚᵖ⁻¹, taken as 0 where x = 0 or ‖x‖ = 0 (the
    subgradient at the zero vector), with no 0/0 anywhere."""
    ans_k = S.reshape(ans, keepdims_shape(shape_of(x), axis))
    safe = where_p(D.equal(ans_k, 0.0), 1.0, ans_k)
    if ord == 2:
        return E.divide(x, safe)
    ax = E.absolute(x)
    safe_ax = where_p(D.equal(ax, 0.0), 1.0, ax)
    return D.sign(x) * E.power(safe_ax, ord - 1.0) / E.power(safe, ord - 1.0)


def _vector_norm_vjp(ans, x, *, ord, axis, keepdims):
    w = _norm_weights(ans, x, ord, axis, keepdims)
    return lambda g: w * S.reshape(g, keepdims_shape(shape_of(x), axis))


def _vector_norm_jvp(g, ans, x, *, ord, axis, keepdims):
    w = _norm_weights(ans, x, ord, axis, keepdims)
    return R.sum(w * g, axis=axis, keepdims=keepdims)


# ‖x‖ₚ for a finite p ≠ 0 (1, inf, -inf and 0 are compositions in ``vector_norm``).
vector_norm_p = defprimitive(
    "vector_norm", _vector_norm_impl, vjp={0: _vector_norm_vjp}, jvp={0: _vector_norm_jvp}
)


# -- norms and condition numbers --------------------------------------------------------------
def _normalize_axes(axis, nd):
    """The axes of a norm, normalised (a repeat is left for the norm to report)."""
    return tuple(normalize_one_axis(ax, nd) for ax in axis)


def _restore_dims(ret, shape, axis, keepdims):
    return S.reshape(ret, keepdims_shape(shape, axis)) if keepdims else ret


def _vector_norm(x, ord, axis, keepdims):
    if isinstance(ord, str):
        raise ValueError(f"Invalid norm order {ord!r} for vectors")
    if ord == np.inf:
        return X.amax(E.absolute(x), axis=axis, keepdims=keepdims)
    if ord == -np.inf:
        return X.amin(E.absolute(x), axis=axis, keepdims=keepdims)
    if ord == 0:  # the number of nonzero entries: piecewise constant
        real_dtype = np.finfo(floating_dtype(x)).dtype  # float32 (or complex64) input: float32
        nonzero = E.astype(D.not_equal(x, 0.0), real_dtype)
        return R.sum(nonzero, axis=axis, keepdims=keepdims)
    if ord == 1:
        return R.sum(E.absolute(x), axis=axis, keepdims=keepdims)
    return vector_norm_p(x, ord=float(ord), axis=axis, keepdims=keepdims)


def _matrix_norm(x, ord, axes, keepdims):
    row, col = axes
    if row == col:
        raise ValueError("Duplicate axes given.")
    if ord is None or ord in ("fro", "f"):
        return vector_norm_p(x, ord=2.0, axis=tuple(sorted(axes)), keepdims=keepdims)
    if ord == "nuc" or (not isinstance(ord, str) and ord in (2, -2)):
        s = svdvals_p(S.moveaxis(x, (row, col), (-2, -1)))
        reduce = {"nuc": R.sum, 2: X.amax, -2: X.amin}[ord]
        ret = reduce(s, axis=-1)
    elif not isinstance(ord, str) and ord in (1, -1, np.inf, -np.inf):
        reduce = X.amax if ord > 0 else X.amin
        if ord in (1, -1):  # max (min) over columns of the column sums
            summed, other = row, (col - 1 if col > row else col)
        else:  # max (min) over rows of the row sums
            summed, other = col, (row - 1 if row > col else row)
        ret = reduce(R.sum(E.absolute(x), axis=summed), axis=other)
    else:
        raise ValueError(f"Invalid norm order {ord!r} for matrices")
    return _restore_dims(ret, shape_of(x), axes, keepdims)


def norm(x, ord=None, axis=None, keepdims=False):  # noqa: A002 (NumPy's name)
    """NumPy's ``linalg.norm``; at the zero vector the gradient is 0 (a subgradient)."""
    x = matrix_operand(x)
    nd = ndim_of(x)
    if axis is None:
        two = ord is None or (nd == 2 and ord in ("f", "fro")) or (nd == 1 and ord == 2)
        if two:
            return vector_norm_p(x, ord=2.0, axis=None, keepdims=keepdims)
        axis = tuple(range(nd))
    elif not isinstance(axis, tuple):
        try:
            axis = (operator.index(axis),)
        except TypeError:
            raise TypeError("'axis' must be None, an integer or a tuple of integers") from None
    axis = _normalize_axes(axis, nd)
    if len(axis) == 1:
        return _vector_norm(x, 2 if ord is None else ord, axis, keepdims)
    if len(axis) == 2:
        return _matrix_norm(x, ord, axis, keepdims)
    raise ValueError(f"Improper number of dimensions to norm: axis={axis} for shape {shape_of(x)}")


def vector_norm(x, /, *, axis=None, keepdims=False, ord=2):  # noqa: A002
    x = matrix_operand(x)
    if axis is not None:
        axis = _normalize_axes(axis if isinstance(axis, tuple) else (axis,), ndim_of(x))
    return _vector_norm(x, ord, axis, keepdims)


def matrix_norm(x, /, *, keepdims=False, ord="fro"):  # noqa: A002
    x = matrix_operand(x)
    check_matrix(x, "matrix_norm", square=False)
    return _matrix_norm(x, ord, _normalize_axes((-2, -1), ndim_of(x)), keepdims)


def cond(x, p=None):
    """Condition number: s_max / s_min for p None, 2 (-2: the inverse); otherwise
    ``norm(x, p) * norm(inv(x), p)``."""
    x = matrix_operand(x)
    check_matrix(x, "cond", square=p not in (None, 2, -2))
    if p in (None, 2, -2):
        s = svdvals_p(x)
        big, small = X.amax(s, axis=-1), X.amin(s, axis=-1)
        return big / small if p != -2 else small / big
    axes = (-2, -1)
    try:
        x_inv = inv(x)
    except LinAlgError:
        # singular: the condition number is inf (NumPy's answer), a constant
        return np.linalg.cond(np.asarray(concrete_value(x)), p)
    return norm(x, p, axis=axes) * norm(x_inv, p, axis=axes)
