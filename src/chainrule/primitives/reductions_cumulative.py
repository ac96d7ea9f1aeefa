"""Cumulative reductions: ``cumsum`` and ``cumprod`` along one axis (of the flattened
array when ``axis`` is None). Re-exported by ``reductions``, the family's public face.

``cumsum`` is linear: its transpose is the cumulative sum taken from the other end.
``cumprod`` never divides by the input where it holds a zero. When the input has no zero
the rules use the cheap ``ans / x`` form; otherwise they build the ``n x n`` Jacobian of
the scan explicitly, which is exact, also at higher orders, but costs ``O(n^2)`` memory.
"""

from __future__ import annotations

import numpy as np

from chainrule.primitives import elementwise as E
from chainrule.primitives import shape as S
from chainrule.primitives._helpers import defprimitive, ndim_of, shape_of
from chainrule.primitives.reductions_common import (
    _has_zero,
    _no_out,
    _sum,
    normalize_one_axis,
)

__all__ = ["cumsum", "cumprod"]


# -- cumulative sum and product -------------------------------------------------------------
def _reverse_cumsum(g, axis):
    return S.flip(_cumsum(S.flip(g, axis=(axis,)), axis=axis), axis=(axis,))


# cumsum is linear; its transpose is the cumulative sum taken from the other end.
_cumsum = defprimitive(
    "cumsum",
    lambda xp, x, axis=0: xp.cumsum(x, axis=axis),
    vjp={0: lambda ans, x, axis=0: lambda g: _reverse_cumsum(g, axis)},
    jvp={0: lambda t, ans, x, axis=0: _cumsum(t, axis=axis)},
)


def _cumprod_jacobian(x, axis):
    """J[..., i, k] = d y_k / d x_i = prod_{j <= k, j != i} x_j for i <= k (else 0), with
    the cumulative axis moved last. Exact with zeros; O(n^2) memory."""
    xm = S.moveaxis(x, axis, -1)
    n = shape_of(xm)[-1]
    rows = E.where(np.eye(n, dtype=bool), 1.0, S.expand_dims(xm, -2))
    partial = _cumprod(rows, axis=ndim_of(rows) - 1)
    return E.where(np.triu(np.ones((n, n), dtype=bool)), partial, 0.0)


def _cumprod_vjp(ans, x, axis=0):
    if not _has_zero(x):
        # dy_k/dx_i = y_k / x_i for i <= k: a reverse cumulative sum of g y, over x
        d = E.reciprocal(x)
        a = ans
        return lambda g: E.multiply(_reverse_cumsum(E.multiply(g, a), axis), d)
    jac = _cumprod_jacobian(x, axis)

    def pull(g):
        gm = S.expand_dims(S.moveaxis(g, axis, -1), -2)
        return S.moveaxis(_sum(E.multiply(jac, gm), axis=(ndim_of(jac) - 1,)), -1, axis)

    return pull


def _cumprod_jvp(t, ans, x, axis=0):
    if not _has_zero(x):
        return E.multiply(ans, _cumsum(E.divide(t, x), axis=axis))
    jac = _cumprod_jacobian(x, axis)
    tm = S.expand_dims(S.moveaxis(t, axis, -1), -1)
    return S.moveaxis(_sum(E.multiply(jac, tm), axis=(ndim_of(jac) - 2,)), -1, axis)


_cumprod = defprimitive(
    "cumprod",
    lambda xp, x, axis=0: xp.cumprod(x, axis=axis),
    vjp={0: _cumprod_vjp},
    jvp={0: _cumprod_jvp},
)


def _cumulative(prim, name, a, axis, dtype, out):
    _no_out(name, out)
    a = S.as_operand(a)
    if dtype is not None:
        a = E.astype(a, dtype)
    if axis is None:
        a = S.ravel(a)
        axis = 0
    elif ndim_of(a) == 0:
        a = S.reshape_to(a, (1,))
    return prim(a, axis=normalize_one_axis(axis, ndim_of(a)))


def cumsum(a, axis=None, dtype=None, out=None):
    """Cumulative sum along an axis (of the flattened array when ``axis`` is None)."""
    return _cumulative(_cumsum, "cumsum", a, axis, dtype, out)


def cumprod(a, axis=None, dtype=None, out=None):
    """Cumulative product along an axis; exact with zeros in the input."""
    return _cumulative(_cumprod, "cumprod", a, axis, dtype, out)
