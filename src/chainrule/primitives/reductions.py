"""Reductions: sums, products, extrema, cumulative ops and the statistics built on them.

Registered primitives: ``sum``, ``prod``, ``max``, ``min``, ``cumsum``, ``cumprod`` and
the zero-derivative ``argmax``, ``argmin``, ``count_nonzero``, ``all``, ``any``. The
rest (``mean``, ``var``, ``std``, ``average``, ``ptp``, ``nansum``, ``nanmean``) are
compositions of these with elementwise ops, so their derivatives come for free.

Static parameters (``axis``, ``keepdims``) are keywords; ``axis`` is normalised to a
sorted tuple of non-negative ints (or ``None``) by the public wrappers, and the
cumulative ops take a single int.

Conventions at the awkward points:

* ``prod`` and ``cumprod`` never divide by the input where it holds a zero. When the
  input has no zero the rules use the cheap ``ans / x`` form; otherwise they build
  "product of all the others" explicitly (an ``n x n`` masked product along the
  reduced axis), which is exact, also at higher orders, but costs ``O(n^2)`` memory.
* ``max``/``min`` with ties split the cotangent evenly among the tied entries (like
  PyTorch's ``amax``); a slice whose maximum is NaN sends no gradient anywhere.
* ``std`` where the variance is exactly 0 uses the subgradient 0 (not NaN).
* ``argmax``/``argmin``/``count_nonzero`` are integer-valued: zero derivative.
"""

from __future__ import annotations

import builtins
import operator

import numpy as np

from chainrule.core.trace import unbox_all
from chainrule.primitives import elementwise as E
from chainrule.primitives import shape as S
from chainrule.primitives._helpers import defprimitive, defzero, dtype_of, ndim_of, shape_of

__all__ = [
    "sum",
    "prod",
    "max",
    "min",
    "amax",
    "amin",
    "mean",
    "var",
    "std",
    "ptp",
    "average",
    "cumsum",
    "cumprod",
    "nansum",
    "nanmean",
    "argmax",
    "argmin",
    "count_nonzero",
    "all",
    "any",
]


# -- argument handling --------------------------------------------------------------------
def normalize_axis(axis, ndim: int) -> tuple | None:
    """``None`` or a sorted tuple of non-negative axes (NumPy's AxisError when out of range)."""
    if axis is None:
        return None
    axes = (axis,) if not isinstance(axis, tuple | list) else tuple(axis)
    out = []
    for a in axes:
        a = operator.index(a)
        if not -ndim <= a < ndim:
            raise np.exceptions.AxisError(a, ndim)
        out.append(a % ndim)
    if len(set(out)) != len(out):
        raise ValueError(f"duplicate value in 'axis': {axis!r}")
    return tuple(sorted(out))


def normalize_one_axis(axis, ndim: int) -> int:
    a = operator.index(axis)
    if not -ndim <= a < ndim:
        raise np.exceptions.AxisError(a, ndim)
    return a % ndim


def _no_out(name: str, out=None, where=None) -> None:
    if out is not None:
        raise TypeError(
            f"chainrule.numpy.{name}: out= is not supported (arrays are immutable "
            "under differentiation); use the returned value"
        )


def _reduced_count(shape: tuple, axis) -> int:
    if axis is None:
        return int(np.prod(shape, dtype=np.int64))
    return int(np.prod([shape[a] for a in axis], dtype=np.int64))


def _keep_shape(shape: tuple, axis) -> tuple:
    """The shape of a reduction over ``axis`` with ``keepdims=True``."""
    if axis is None:
        return (1,) * len(shape)
    return tuple(1 if i in axis else n for i, n in enumerate(shape))


def _expand(g, shape: tuple, axis, keepdims: bool):
    """Broadcast a reduction's cotangent (or answer) back over the reduced axes."""
    if not keepdims:
        g = S.reshape_to(g, _keep_shape(shape, axis))
    return S.broadcast_to(g, shape)


def _keep(v, shape: tuple, axis, keepdims: bool):
    """``v`` (a reduction's result) in its ``keepdims=True`` shape."""
    return v if keepdims else S.reshape_to(v, _keep_shape(shape, axis))


def _conj_if_complex(d):
    return E.conj(d) if dtype_of(d).kind == "c" else d


def _has_zero(x) -> bool:
    return bool(np.any(np.asarray(unbox_all(x)) == 0))


# -- sum ----------------------------------------------------------------------------------
def _sum_impl(xp, x, axis=None, keepdims=False):
    return xp.sum(x, axis=axis, keepdims=keepdims)


# sum is linear: its transpose broadcasts the cotangent back over the summed axes.
_sum = defprimitive(
    "sum",
    _sum_impl,
    vjp={
        0: lambda ans, x, axis=None, keepdims=False: (
            lambda g: _expand(g, shape_of(x), axis, keepdims)
        )
    },
    jvp={0: lambda t, ans, x, axis=None, keepdims=False: _sum(t, axis=axis, keepdims=keepdims)},
)


def sum(a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=None):
    """Sum of array elements over the given axes (``numpy.sum``)."""
    _no_out("sum", out)
    a = S.as_operand(a)
    if dtype is not None:
        a = E.astype(a, dtype)
    if where is not None and where is not True:
        a = E.where(unbox_all(where), a, 0)
    ax = normalize_axis(axis, ndim_of(a))
    res = _sum(a, axis=ax, keepdims=bool(keepdims))
    if initial is not None:
        res = E.add(res, initial)
    return res


def mean(a, axis=None, dtype=None, out=None, keepdims=False, *, where=None):
    """Arithmetic mean over the given axes (``numpy.mean``)."""
    _no_out("mean", out)
    a = S.as_operand(a)
    if dtype is not None:
        a = E.astype(a, dtype)
    ax = normalize_axis(axis, ndim_of(a))
    if where is not None and where is not True:
        mask = unbox_all(where)
        total = _sum(E.where(mask, a, 0), axis=ax, keepdims=bool(keepdims))
        count = np.sum(np.broadcast_to(mask, shape_of(a)), axis=ax, keepdims=bool(keepdims))
        return E.divide(total, count)
    n = _reduced_count(shape_of(a), ax)
    return E.divide(_sum(a, axis=ax, keepdims=bool(keepdims)), n)


def nansum(a, axis=None, dtype=None, out=None, keepdims=False):
    """Sum treating NaNs as zero; NaN entries get zero gradient."""
    _no_out("nansum", out)
    a = S.as_operand(a)
    a = E.where(E.isnan(a), 0.0, a) if dtype_of(a).kind in "fc" else a
    return sum(a, axis=axis, dtype=dtype, keepdims=keepdims)


def nanmean(a, axis=None, dtype=None, out=None, keepdims=False):
    """Mean of the non-NaN entries; NaN entries get zero gradient."""
    _no_out("nanmean", out)
    a = S.as_operand(a)
    if dtype is not None:
        a = E.astype(a, dtype)
    ax = normalize_axis(axis, ndim_of(a))
    present = ~np.isnan(np.asarray(unbox_all(a)))
    total = nansum(a, axis=ax, keepdims=keepdims)
    return E.divide(total, np.sum(present, axis=ax, keepdims=bool(keepdims)))


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
    xm = S.reshape_to(S.transpose(x, perm), batch_shape + (n,))

    def undo(y):
        y = S.reshape_to(y, batch_shape + red_shape)
        return S.transpose(y, tuple(np.argsort(perm)))

    return xm, undo


def _others_along_last(xm):
    """For each entry of the last axis, the product of all the other entries there.

    ``o[..., i] = prod_{j != i} x[..., j]``, built as a product over an ``n x n`` copy
    with the diagonal set to 1, so it never divides (exact when ``x`` has zeros).
    """
    n = shape_of(xm)[-1]
    rows = E.where(np.eye(n, dtype=bool), 1.0, S.expand_dims(xm, -2))
    return _prod(rows, axis=(ndim_of(rows) - 1,), keepdims=False)


def _prod_others(ans, x, axis, keepdims):
    """d prod(x) / dx_i = product of the other entries of x_i's slice, as x's shape."""
    if not _has_zero(x):
        return E.divide(_expand(ans, shape_of(x), axis, keepdims), x)
    xm, undo = _moved_to_last(x, axis)
    return undo(_others_along_last(xm))


def _prod_vjp(ans, x, axis=None, keepdims=False):
    d = _conj_if_complex(_prod_others(ans, x, axis, keepdims))
    return lambda g: E.multiply(_expand(g, shape_of(x), axis, keepdims), d)


def _prod_jvp(t, ans, x, axis=None, keepdims=False):
    return _sum(E.multiply(t, _prod_others(ans, x, axis, keepdims)), axis=axis, keepdims=keepdims)


_prod = defprimitive(
    "prod",
    lambda xp, x, axis=None, keepdims=False: xp.prod(x, axis=axis, keepdims=keepdims),
    vjp={0: _prod_vjp},
    jvp={0: _prod_jvp},
)


def prod(a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=None):
    """Product of array elements over the given axes (``numpy.prod``)."""
    _no_out("prod", out)
    a = S.as_operand(a)
    if dtype is not None:
        a = E.astype(a, dtype)
    if where is not None and where is not True:
        a = E.where(unbox_all(where), a, 1)
    ax = normalize_axis(axis, ndim_of(a))
    res = _prod(a, axis=ax, keepdims=bool(keepdims))
    if initial is not None:
        res = E.multiply(res, initial)
    return res


# -- max / min ----------------------------------------------------------------------------
def _extremum_weights(ans, x, axis, keepdims):
    """1/k on each of the k entries equal to their slice's extremum, 0 elsewhere."""
    shape = shape_of(x)
    hit = E.equal(x, _keep(ans, shape, axis, keepdims))
    count = E.maximum(_sum(hit, axis=axis, keepdims=True), 1)
    w = E.divide(hit, count)
    target = dtype_of(x)
    return E.astype(w, target) if target.kind in "fc" else w


def _extremum_vjp(ans, x, axis=None, keepdims=False):
    w = _extremum_weights(ans, x, axis, keepdims)
    return lambda g: E.multiply(_expand(g, shape_of(x), axis, keepdims), w)


def _extremum_jvp(t, ans, x, axis=None, keepdims=False):
    w = _extremum_weights(ans, x, axis, keepdims)
    return _sum(E.multiply(t, w), axis=axis, keepdims=keepdims)


# d max = the cotangent, split evenly among the entries attaining the maximum
_max = defprimitive(
    "max",
    lambda xp, x, axis=None, keepdims=False: xp.max(x, axis=axis, keepdims=keepdims),
    vjp={0: _extremum_vjp},
    jvp={0: _extremum_jvp},
)
_min = defprimitive(
    "min",
    lambda xp, x, axis=None, keepdims=False: xp.min(x, axis=axis, keepdims=keepdims),
    vjp={0: _extremum_vjp},
    jvp={0: _extremum_jvp},
)


def _extremum(prim, name, a, axis, out, keepdims, initial, where):
    _no_out(name, out)
    if where is not None and where is not True:
        raise TypeError(f"chainrule.numpy.{name}: where= is not supported")
    a = S.as_operand(a)
    ax = normalize_axis(axis, ndim_of(a))
    res = prim(a, axis=ax, keepdims=bool(keepdims))
    if initial is not None:
        res = (E.maximum if prim is _max else E.minimum)(res, initial)
    return res


def max(a, axis=None, out=None, keepdims=False, initial=None, where=None):
    """Maximum over the given axes; ties share the gradient evenly."""
    return _extremum(_max, "max", a, axis, out, keepdims, initial, where)


def min(a, axis=None, out=None, keepdims=False, initial=None, where=None):
    """Minimum over the given axes; ties share the gradient evenly."""
    return _extremum(_min, "min", a, axis, out, keepdims, initial, where)


amax = max
amin = min


def ptp(a, axis=None, out=None, keepdims=False):
    """Range (maximum - minimum) over the given axes."""
    _no_out("ptp", out)
    return E.subtract(max(a, axis=axis, keepdims=keepdims), min(a, axis=axis, keepdims=keepdims))


# -- variance and standard deviation --------------------------------------------------------
def _ddof(ddof, correction):
    if correction is not None:
        if ddof not in (0, None):
            raise ValueError("var/std: ddof and correction can't be provided simultaneously")
        return correction
    return ddof


def var(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, correction=None):
    """Variance: mean squared deviation, divided by ``n - ddof``."""
    _no_out("var", out)
    a = S.as_operand(a)
    if dtype is not None:
        a = E.astype(a, dtype)
    if dtype_of(a).kind not in "fc":
        a = E.astype(a, np.float64)
    ddof = _ddof(ddof, correction)
    ax = normalize_axis(axis, ndim_of(a))
    dev = E.subtract(a, mean(a, axis=ax, keepdims=True))
    sq = E.real(E.multiply(dev, E.conj(dev))) if dtype_of(a).kind == "c" else E.square(dev)
    n = _reduced_count(shape_of(a), ax)
    return E.divide(_sum(sq, axis=ax, keepdims=bool(keepdims)), builtins.max(n - ddof, 0))


def std(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, correction=None):
    """Standard deviation. Where the variance is exactly 0 the gradient is 0 (a
    subgradient), not the NaN that d sqrt(v) = 1 / (2 sqrt v) would give."""
    _no_out("std", out)
    v = var(a, axis=axis, dtype=dtype, ddof=ddof, keepdims=keepdims, correction=correction)
    flat = E.equal(v, 0.0)
    # the double where keeps the untaken sqrt branch's infinite slope out of the product
    return E.where(flat, 0.0, E.sqrt(E.where(flat, 1.0, v)))


# -- average --------------------------------------------------------------------------------
def average(a, axis=None, weights=None, returned=False, *, keepdims=False):
    """Weighted average (``numpy.average``); differentiable in ``a`` and ``weights``."""
    a = S.as_operand(a)
    shape = shape_of(a)
    if weights is None:
        ax = normalize_axis(axis, len(shape))
        avg = mean(a, axis=ax, keepdims=keepdims)
        scl = np.asarray(_reduced_count(shape, ax) / 1.0)
        scl = np.broadcast_to(scl, shape_of(avg)).astype(dtype_of(avg), copy=True)
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
        w = S.reshape_to(w, tuple(shape[i] if i in axes else 1 for i in range(len(shape))))
        w = S.broadcast_to(w, shape)
    ax = normalize_axis(axis, len(shape))
    scl = _sum(w, axis=ax, keepdims=bool(keepdims))
    if np.any(np.asarray(unbox_all(scl)) == 0):
        raise ZeroDivisionError("average: weights sum to zero, can't be normalized")
    avg = E.divide(_sum(E.multiply(a, w), axis=ax, keepdims=bool(keepdims)), scl)
    if returned:
        if shape_of(scl) != shape_of(avg):
            scl = S.broadcast_to(scl, shape_of(avg))
        return avg, scl
    return avg


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
        d = _conj_if_complex(E.reciprocal(x))
        a = _conj_if_complex(ans)
        return lambda g: E.multiply(_reverse_cumsum(E.multiply(g, a), axis), d)
    jac = _conj_if_complex(_cumprod_jacobian(x, axis))

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


# -- zero-derivative reductions -------------------------------------------------------------
_argmax = defzero(
    "argmax", lambda xp, x, axis=None, keepdims=False: xp.argmax(x, axis=axis, keepdims=keepdims)
)
_argmin = defzero(
    "argmin", lambda xp, x, axis=None, keepdims=False: xp.argmin(x, axis=axis, keepdims=keepdims)
)
_count_nonzero = defzero(
    "count_nonzero",
    lambda xp, x, axis=None, keepdims=False: xp.count_nonzero(x, axis=axis, keepdims=keepdims),
)
_all = defzero(
    "all", lambda xp, x, axis=None, keepdims=False: xp.all(x, axis=axis, keepdims=keepdims)
)
_any = defzero(
    "any", lambda xp, x, axis=None, keepdims=False: xp.any(x, axis=axis, keepdims=keepdims)
)


def _index_reduction(prim, name, a, axis, out, keepdims):
    _no_out(name, out)
    a = S.as_operand(a)
    if axis is not None:
        axis = normalize_one_axis(axis, ndim_of(a))
    return prim(a, axis=axis, keepdims=bool(keepdims))


def argmax(a, axis=None, out=None, *, keepdims=False):
    """Index of the maximum (integer-valued: no gradient)."""
    return _index_reduction(_argmax, "argmax", a, axis, out, keepdims)


def argmin(a, axis=None, out=None, *, keepdims=False):
    """Index of the minimum (integer-valued: no gradient)."""
    return _index_reduction(_argmin, "argmin", a, axis, out, keepdims)


def count_nonzero(a, axis=None, *, keepdims=False):
    """Number of non-zero entries (integer-valued: no gradient)."""
    a = S.as_operand(a)
    return _count_nonzero(a, axis=normalize_axis(axis, ndim_of(a)), keepdims=bool(keepdims))


def all(a, axis=None, out=None, keepdims=False, *, where=None):
    """Whether every entry is true (boolean: no gradient)."""
    _no_out("all", out)
    a = S.as_operand(a)
    if where is not None and where is not True:
        a = E.logical_or(a, E.logical_not(unbox_all(where)))
    return _all(a, axis=normalize_axis(axis, ndim_of(a)), keepdims=bool(keepdims))


def any(a, axis=None, out=None, keepdims=False, *, where=None):
    """Whether some entry is true (boolean: no gradient)."""
    _no_out("any", out)
    a = S.as_operand(a)
    if where is not None and where is not True:
        a = E.logical_and(a, unbox_all(where))
    return _any(a, axis=normalize_axis(axis, ndim_of(a)), keepdims=bool(keepdims))
