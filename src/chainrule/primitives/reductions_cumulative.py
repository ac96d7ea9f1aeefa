"""Cumulative reductions: ``cumsum`` and ``cumprod`` along one axis (of the flattened
array when ``axis`` is None).

``cumsum`` is linear: its transpose is the cumulative sum taken from the other end.
``cumprod`` never divides by the input where it holds a zero. When the input has no zero
the rules use the cheap ``ans / x`` form; otherwise they build the ``n x n`` Jacobian of
the scan explicitly, which is exact, also at higher orders, but costs ``O(n^2)`` memory.
"""

from __future__ import annotations

from chainrule.core.primitive import defprimitive
from chainrule.primitives import elementwise as E
from chainrule.primitives import shape as S
from chainrule.primitives._args import has_zero, normalize_one_axis, reject_out
from chainrule.primitives._helpers import namespace_of, ndim_of, reshape_to, shape_of, sum_p
from chainrule.primitives.ordering import flip
from chainrule.primitives.reductions import others_grid
from chainrule.primitives.selection import where_p

__all__ = ["cumsum", "cumprod"]


# -- cumulative sum and product -------------------------------------------------------------
def _reverse_cumsum(g, axis):
    return flip(cumsum_p(flip(g, axis=(axis,)), axis=axis), axis=(axis,))


# cumsum is linear; its transpose is the cumulative sum taken from the other end.
cumsum_p = defprimitive(
    "cumsum",
    lambda xp, x, axis=0: xp.cumsum(x, axis=axis),
    vjp={0: lambda ans, x, axis=0: lambda g: _reverse_cumsum(g, axis)},
    jvp={0: lambda g, ans, x, axis=0: cumsum_p(g, axis=axis)},
)


def _cumprod_jacobian(x, axis):
    """J[..., i, k] = d y_k / d x_i = prod_{j <= k, j != i} x_j for i <= k (else 0), with
    the cumulative axis moved last. Exact with zeros; O(n^2) memory."""
    rows = others_grid(S.moveaxis(x, axis, -1))
    partial = cumprod_p(rows, axis=ndim_of(rows) - 1)
    n = shape_of(rows)[-1]
    xp = namespace_of(x)
    return where_p(xp.triu(xp.ones((n, n), dtype=bool)), partial, 0.0)


def _cumprod_vjp(ans, x, axis=0):
    if not has_zero(x):
        # dy_k/dx_i = y_k / x_i for i <= k: a reverse cumulative sum of g y, over x
        d = E.reciprocal(x)
        return lambda g: E.multiply(_reverse_cumsum(E.multiply(g, ans), axis), d)
    jac = _cumprod_jacobian(x, axis)

    def pull(g):
        gm = S.expand_dims(S.moveaxis(g, axis, -1), -2)
        return S.moveaxis(sum_p(E.multiply(jac, gm), axis=(ndim_of(jac) - 1,)), -1, axis)

    return pull


def _cumprod_jvp(g, ans, x, axis=0):
    if not has_zero(x):
        return E.multiply(ans, cumsum_p(E.divide(g, x), axis=axis))
    jac = _cumprod_jacobian(x, axis)
    gm = S.expand_dims(S.moveaxis(g, axis, -1), -1)
    return S.moveaxis(sum_p(E.multiply(jac, gm), axis=(ndim_of(jac) - 2,)), -1, axis)


cumprod_p = defprimitive(
    "cumprod",
    lambda xp, x, axis=0: xp.cumprod(x, axis=axis),
    vjp={0: _cumprod_vjp},
    jvp={0: _cumprod_jvp},
)


def _cumulative(prim, name, a, axis, dtype, out):
    reject_out(name, out)
    a = S.as_operand(a)
    if dtype is not None:
        a = E.astype(a, dtype)
    if axis is None:
        a = S.ravel(a)
        axis = 0
    elif ndim_of(a) == 0:
        a = reshape_to(a, (1,))
    return prim(a, axis=normalize_one_axis(axis, ndim_of(a)))


def cumsum(a, axis=None, dtype=None, out=None):
    """Cumulative sum along an axis (of the flattened array when ``axis`` is None)."""
    return _cumulative(cumsum_p, "cumsum", a, axis, dtype, out)


def cumprod(a, axis=None, dtype=None, out=None):
    """Cumulative product along an axis; exact with zeros in the input."""
    return _cumulative(cumprod_p, "cumprod", a, axis, dtype, out)
