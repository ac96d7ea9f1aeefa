"""Reductions: sums, products and the statistics built on them.

Records: ``prod`` and the zero-derivative ``count_nonzero``, ``all``, ``any`` (the
record of ``sum`` is in :mod:`._helpers`, since ``unbroadcast`` uses it). ``mean``,
``var``, ``std``, ``average``, ``nansum`` and ``nanmean`` are compositions of these with
elementwise ops, so their derivatives come for free. The extrema and the cumulative
reductions are in :mod:`.reductions_extrema` and :mod:`.reductions_cumulative`.

Conventions at the awkward points:

* ``prod`` never divides by the input where it holds a zero. When the input has no zero
  the rules use the cheap ``ans / x`` form; otherwise they build "product of all the
  others" explicitly (an ``n x n`` masked product along the reduced axis), which is
  exact, also at higher orders, but costs ``O(n^2)`` memory.
* ``std`` where the variance is exactly 0 uses the subgradient 0 (not NaN).
* ``count_nonzero``/``all``/``any`` are integer- or boolean-valued: zero derivative.

Static parameters (``axis``, ``keepdims``) are keywords of the records; ``axis`` is
normalised to a sorted tuple of non-negative ints (or ``None``).
"""

from __future__ import annotations

import builtins

import numpy as np

from chainrule.core.backend import namespace_dtype
from chainrule.core.primitive import defprimitive
from chainrule.core.trace import concrete_value, example_value
from chainrule.primitives import discrete as D
from chainrule.primitives import elementwise as E
from chainrule.primitives import shape as S
from chainrule.primitives._args import (
    has_zero,
    normalize_axis,
    plain_value,
    reduced_count,
    reject_out,
    ufunc_reduction_axis,
)
from chainrule.primitives._helpers import (
    defzero,
    dtype_of,
    expand_reduced,
    namespace_of,
    ndim_of,
    reshape_to,
    shape_of,
    sum_p,
)
from chainrule.primitives.selection import where_p

__all__ = [
    "sum", "prod", "mean", "var", "std", "average", "nansum", "nanmean",
    "count_nonzero", "all", "any",
]  # fmt: skip


# -- sum and mean -------------------------------------------------------------------------
def count_as(n, like):
    """A reduction's element count ``n`` (an int, or an integer array for masked
    reductions) ready to divide ``like`` by: an array count takes ``like``'s floating
    dtype, so that a float32 mean stays float32 (an int count is a weak Python scalar)."""
    if isinstance(n, int | float):
        return n
    dt = dtype_of(like)
    return E.astype(n, dt if dt.kind in "fc" else np.float64)


def _mask(where, a):
    """A ``where=`` argument as a plain boolean array (None when it selects everything)."""
    if where is None or where is True:
        return None
    example_value(where, "a where= mask")  # refuses a mask that differs per example
    xp, mask = plain_value(where)
    return mask if dtype_of(mask).kind == "b" else mask != 0


def sum(a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=None):
    """Sum of array elements over the given axes (``numpy.sum``)."""
    reject_out("sum", out)
    a = S.as_operand(a)
    if dtype is not None:
        a = E.astype(a, dtype)
    mask = _mask(where, a)
    if mask is not None:
        a = where_p(mask, a, 0)
    ax = ufunc_reduction_axis(axis, ndim_of(a))
    res = sum_p(a, axis=ax, keepdims=bool(keepdims))
    if initial is not None:
        res = E.add(res, initial)
    return res


def mean(a, axis=None, dtype=None, out=None, keepdims=False, *, where=None):
    """Arithmetic mean over the given axes (``numpy.mean``)."""
    reject_out("mean", out)
    a = S.as_operand(a)
    if dtype is not None:
        a = E.astype(a, dtype)
    ax = normalize_axis(axis, ndim_of(a))
    mask = _mask(where, a)
    if mask is not None:
        total = sum_p(where_p(mask, a, 0), axis=ax, keepdims=bool(keepdims))
        xp = namespace_of(mask)
        count = xp.sum(xp.broadcast_to(mask, shape_of(a)), axis=ax, keepdims=bool(keepdims))
        return E.divide(total, count_as(count, total))
    n = reduced_count(shape_of(a), ax)
    return E.divide(sum_p(a, axis=ax, keepdims=bool(keepdims)), n)


def nansum(a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=None):
    """Sum treating NaNs as zero; NaN entries get zero gradient."""
    reject_out("nansum", out)
    a = S.as_operand(a)
    a = where_p(D.isnan(a), 0.0, a) if dtype_of(a).kind in "fc" else a
    return sum(a, axis=axis, dtype=dtype, keepdims=keepdims, initial=initial, where=where)


def nanmean(a, axis=None, dtype=None, out=None, keepdims=False, *, where=None):
    """Mean of the non-NaN entries; NaN entries get zero gradient."""
    reject_out("nanmean", out)
    a = S.as_operand(a)
    if dtype is not None:
        a = E.astype(a, dtype)
    ax = ufunc_reduction_axis(axis, ndim_of(a))
    # the count is an integer-valued primitive: a constant to derivatives, batched by vmap
    present = D.logical_not(D.isnan(a))
    mask = _mask(where, a)
    if mask is not None:
        present = D.logical_and(present, mask)
    total = nansum(a, axis=ax, keepdims=keepdims, where=mask)
    count = count_nonzero_p(present, axis=ax, keepdims=bool(keepdims))
    dt = dtype_of(total)
    return E.divide(total, E.astype(count, dt if dt.kind in "fc" else np.float64))


# -- prod ---------------------------------------------------------------------------------
def _moved_to_last(x, axis):
    """``x`` with the axes in ``axis`` flattened into one last axis, and how to undo it."""
    shape = shape_of(x)
    nd = len(shape)
    red = tuple(range(nd)) if axis is None else axis
    batch = tuple(i for i in range(nd) if i not in red)
    perm = batch + red
    batch_shape = tuple(shape[i] for i in batch)
    red_shape = tuple(shape[i] for i in red)
    n = int(np.prod(red_shape, dtype=np.int64))
    xm = reshape_to(S.transpose(x, perm), batch_shape + (n,))

    def undo(y):
        y = reshape_to(y, batch_shape + red_shape)
        return S.transpose(y, tuple(np.argsort(perm)))

    return xm, undo


def others_grid(xm):
    """``n`` copies of the last axis of ``xm`` (of length ``n``), stacked before it, with
    the diagonal set to 1: ``rows[..., i, j] = x[..., j]`` for ``j != i``, else 1. A
    product (or cumulative product) along its last axis leaves each entry out in turn."""
    n = shape_of(xm)[-1]
    return where_p(namespace_of(xm).eye(n, dtype=bool), 1.0, S.expand_dims(xm, -2))


def others_along_last(xm):
    """For each entry of the last axis, the product of all the other entries there
    (``o[..., i] = prod_{j != i} x[..., j]``); it never divides, so it is exact when
    ``x`` has zeros."""
    rows = others_grid(xm)
    return prod_p(rows, axis=(ndim_of(rows) - 1,), keepdims=False)


def _prod_others(ans, x, axis, keepdims):
    """d prod(x) / dx_i = product of the other entries of x_i's slice, as x's shape."""
    if not has_zero(x):
        return E.divide(expand_reduced(ans, shape_of(x), axis, keepdims), x)
    xm, undo = _moved_to_last(x, axis)
    return undo(others_along_last(xm))


def _prod_vjp(ans, x, axis=None, keepdims=False):
    d = _prod_others(ans, x, axis, keepdims)
    return lambda g: E.multiply(expand_reduced(g, shape_of(x), axis, keepdims), d)


def _prod_jvp(g, ans, x, axis=None, keepdims=False):
    return sum_p(E.multiply(g, _prod_others(ans, x, axis, keepdims)), axis=axis, keepdims=keepdims)


prod_p = defprimitive(
    "prod",
    lambda xp, x, axis=None, keepdims=False: xp.prod(x, axis=axis, keepdims=keepdims),
    vjp={0: _prod_vjp},
    jvp={0: _prod_jvp},
)


def prod(a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=None):
    """Product of array elements over the given axes (``numpy.prod``)."""
    reject_out("prod", out)
    a = S.as_operand(a)
    if dtype is not None:
        a = E.astype(a, dtype)
    if where is not None and where is not True:
        a = where_p(concrete_value(where), a, 1)
    ax = ufunc_reduction_axis(axis, ndim_of(a))
    res = prod_p(a, axis=ax, keepdims=bool(keepdims))
    if initial is not None:
        res = E.multiply(res, initial)
    return res


# -- variance and standard deviation --------------------------------------------------------
def _ddof(ddof, correction):
    if correction is not None:
        if ddof not in (0, None):
            raise ValueError("var/std: ddof and correction can't be provided simultaneously")
        return correction
    return ddof


_mean = mean  # var's ``mean=`` keyword (NumPy's name) shadows the function there


def var(
    a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, where=None, mean=None,
    correction=None,
):  # fmt: skip
    """Variance: mean squared deviation, divided by ``n - ddof``. ``where=`` restricts it
    to the selected entries; ``mean=`` supplies the mean (keepdims shape), as in NumPy."""
    reject_out("var", out)
    a = S.as_operand(a)
    if dtype is not None:
        a = E.astype(a, dtype)
    if dtype_of(a).kind not in "fc":
        a = E.astype(a, np.float64)
    ddof = _ddof(ddof, correction)
    ax = normalize_axis(axis, ndim_of(a))
    mask = _mask(where, a)
    if mask is not None:
        mask = namespace_of(mask).broadcast_to(mask, shape_of(a))
    if mean is None:
        mean = _mean(a, axis=ax, keepdims=True, where=mask)
    dev = E.subtract(a, mean)
    sq = E.real(E.multiply(dev, E.conj(dev))) if dtype_of(a).kind == "c" else E.square(dev)
    if mask is None:
        n = builtins.max(reduced_count(shape_of(a), ax) - ddof, 0)
    else:
        sq = where_p(mask, sq, 0.0)
        xp = namespace_of(mask)
        n = xp.maximum(xp.sum(mask, axis=ax, keepdims=bool(keepdims)) - ddof, 0)
    total = sum_p(sq, axis=ax, keepdims=bool(keepdims))
    return E.divide(total, count_as(n, total))


def std(
    a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, where=None, mean=None,
    correction=None,
):  # fmt: skip
    """Standard deviation. Where the variance is exactly 0 the gradient is 0 (a
    subgradient), not the NaN that d sqrt(v) = 1 / (2 sqrt v) would give."""
    reject_out("std", out)
    v = var(
        a, axis=axis, dtype=dtype, ddof=ddof, keepdims=keepdims, where=where, mean=mean,
        correction=correction,
    )  # fmt: skip
    flat = D.equal(v, 0.0)
    # the double where keeps the untaken sqrt branch's infinite slope out of the product
    return where_p(flat, 0.0, E.sqrt(where_p(flat, 1.0, v)))


# -- average --------------------------------------------------------------------------------
def average(a, axis=None, weights=None, returned=False, *, keepdims=False):
    """Weighted average (``numpy.average``); differentiable in ``a`` and ``weights``."""
    a = S.as_operand(a)
    shape = shape_of(a)
    if weights is None:
        ax = normalize_axis(axis, len(shape))
        avg = mean(a, axis=ax, keepdims=keepdims)
        xp = namespace_of(avg)
        dtype = namespace_dtype(xp, dtype_of(avg))
        scl = xp.full(shape_of(avg), reduced_count(shape, ax) / 1.0, dtype=dtype)
        return (avg, scl) if returned else avg
    w = S.as_operand(weights)
    wshape = shape_of(w)
    if wshape != shape:
        if axis is None:
            raise TypeError(
                f"average: axis must be given when a (shape {shape}) and weights (shape "
                f"{wshape}) differ in shape"
            )
        axes = normalize_axis(axis, len(shape))
        if len(wshape) != len(axes) or wshape != tuple(shape[i] for i in axes):
            raise ValueError(
                f"average: weights of shape {wshape} don't match a of shape {shape} "
                f"along axis {axis}"
            )
        # lay the weights along their axes, ones elsewhere, then broadcast
        w = reshape_to(w, tuple(shape[i] if i in axes else 1 for i in range(len(shape))))
        w = S.broadcast_to(w, shape)
    ax = normalize_axis(axis, len(shape))
    scl = sum_p(w, axis=ax, keepdims=bool(keepdims))
    if has_zero(scl):
        raise ZeroDivisionError("average: weights sum to zero, can't be normalized")
    avg = E.divide(sum_p(E.multiply(a, w), axis=ax, keepdims=bool(keepdims)), scl)
    if returned:
        if shape_of(scl) != shape_of(avg):
            scl = S.broadcast_to(scl, shape_of(avg))
        return avg, scl
    return avg


# -- zero-derivative reductions -------------------------------------------------------------
count_nonzero_p = defzero(
    "count_nonzero",
    lambda xp, x, axis=None, keepdims=False: xp.count_nonzero(x, axis=axis, keepdims=keepdims),
)
all_p = defzero(
    "all", lambda xp, x, axis=None, keepdims=False: xp.all(x, axis=axis, keepdims=keepdims)
)
any_p = defzero(
    "any", lambda xp, x, axis=None, keepdims=False: xp.any(x, axis=axis, keepdims=keepdims)
)


def count_nonzero(a, axis=None, *, keepdims=False):
    """Number of non-zero entries (integer-valued: no gradient)."""
    a = S.as_operand(a)
    ax = ufunc_reduction_axis(axis, ndim_of(a))
    return count_nonzero_p(a, axis=ax, keepdims=bool(keepdims))


def _truth(prim, name, a, axis, out, keepdims, where):
    reject_out(name, out)
    a = S.as_operand(a)
    if where is not None and where is not True:
        # entries left out count as true for all, as false for any
        mask = concrete_value(where)
        a = D.logical_or(a, D.logical_not(mask)) if prim is all_p else D.logical_and(a, mask)
    return prim(a, axis=ufunc_reduction_axis(axis, ndim_of(a)), keepdims=bool(keepdims))


def all(a, axis=None, out=None, keepdims=False, *, where=None):
    """Whether every entry is true (boolean: no gradient)."""
    return _truth(all_p, "all", a, axis, out, keepdims, where)


def any(a, axis=None, out=None, keepdims=False, *, where=None):
    """Whether some entry is true (boolean: no gradient)."""
    return _truth(any_p, "any", a, axis, out, keepdims, where)
