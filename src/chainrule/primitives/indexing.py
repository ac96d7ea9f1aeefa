"""Indexing: ``x[index]`` and its transpose, a functional ``x[index] = values``, and the
gathers built on them (``take``, ``take_along_axis``).

Records:

* ``getitem_p(x, index=...)``: NumPy indexing with ints, slices, ``Ellipsis``, ``None``,
  integer arrays, boolean masks and tuples of these. ``Box.__getitem__`` calls
  :func:`getitem`.
* ``scatter_add_p(x, shape=..., index=...)``: zeros of ``shape`` with ``x`` added at
  ``index``; the transpose of ``getitem``. With integer arrays an entry picked several
  times receives the sum of its cotangents (``numpy.add.at``), so repeated indices are
  handled. ``getitem`` and ``scatter_add`` are each other's transposes, which closes
  the pair under differentiation to any order.
* ``index_update_p(x, values, index=...)``: a copy of ``x`` with ``x[index] = values``
  (what ``Tensor.__setitem__`` records). Its cotangent for ``x`` is ``g`` with the
  overwritten entries zeroed; for ``values`` it is ``g[index]`` summed back to the
  shape of ``values``. With repeated integer indices NumPy keeps the last written
  value; only that one receives the cotangent (use :func:`index_add` to accumulate
  instead).

The index is static: it is a keyword argument, normalised once by the public wrappers
(traced or ``Tensor`` index arrays are unboxed, lists become arrays, boolean masks
become the integer arrays of their ``nonzero()``, which NumPy defines as equivalent).
"""

from __future__ import annotations

import operator

import numpy as np

from chainrule.core.batching import index_part, is_batched
from chainrule.core.primitive import defprimitive
from chainrule.core.trace import Box, concrete_value, example_value, unbox_all
from chainrule.primitives._args import normalize_one_axis, reject_out
from chainrule.primitives._helpers import (
    dtype_of,
    namespace_of,
    shape_of,
    tuple_getitem_p,
    unbroadcast,
)
from chainrule.primitives.elementwise import add
from chainrule.primitives.shape import as_operand, broadcast_to, ravel

__all__ = ["take", "take_along_axis", "index_update", "index_add"]


# -- static index normalisation --------------------------------------------------------
def _plain(v):
    """Strip boxes from an index component (nested lists included)."""
    if isinstance(v, Box):
        return example_value(v, "an index array")
    if isinstance(v, list):
        return [_plain(item) for item in v]
    return v


def _index_array(v) -> np.ndarray:
    arr = np.asarray(_plain(v))
    if arr.size == 0 and arr.dtype.kind == "f":  # NumPy reads [] as an empty int index
        arr = arr.astype(np.intp)
    if arr.dtype.kind not in "iub":
        raise IndexError(
            "only integers, slices (`:`), ellipsis (`...`), numpy.newaxis (`None`) and "
            f"integer or boolean arrays are valid indices (got an array of {arr.dtype})"
        )
    return arr


def _scalar_index(v):
    """A plain int for any integer-like slice bound or scalar index."""
    return None if v is None else operator.index(concrete_value(v))


def _batched_index_array(item):
    """A per-example index array (under ``vmap``), kept boxed for the batching rule."""
    item = index_part(item)
    kind = dtype_of(item).kind
    if kind == "b":
        raise NotImplementedError(
            "vmap: a boolean mask that differs per example selects a different number of "
            "entries in each example; use cnp.where(mask, x, 0) instead"
        )
    if kind not in "iu":
        raise IndexError(f"index arrays must hold integers, got dtype {dtype_of(item)}")
    return item


def normalize_index(index) -> tuple:
    """The static form of an index: a tuple of ints, slices, None, Ellipsis, bool
    scalars and integer arrays (boolean masks of rank >= 1 expanded by ``nonzero``)."""
    items = index if isinstance(index, tuple) else (index,)
    out = []
    for item in items:
        if is_batched(item):  # an index array that differs per example: vmap's rule
            out.append(_batched_index_array(item))
            continue
        if isinstance(item, Box) or isinstance(item, list):
            item = _index_array(item)
            if item.ndim == 0 and item.dtype.kind in "iu":
                item = int(item)
        if item is None or item is Ellipsis:
            out.append(item)
        elif isinstance(item, slice):
            out.append(
                slice(_scalar_index(item.start), _scalar_index(item.stop), _scalar_index(item.step))
            )
        elif isinstance(item, bool | np.bool_):
            out.append(bool(item))
        elif isinstance(item, int | np.integer):
            out.append(int(item))
        else:
            arr = _index_array(item)
            if arr.dtype.kind == "b" and arr.ndim > 0:
                out.extend(arr.nonzero())
            elif arr.dtype.kind == "b":
                out.append(bool(arr))
            elif arr.ndim == 0:
                out.append(int(arr))
            else:
                out.append(arr)
    return tuple(out)


def _is_basic(index: tuple) -> bool:
    """Basic indexing picks each entry at most once, so assignment can replace add.at."""
    return all(i is None or i is Ellipsis or isinstance(i, slice) or type(i) is int for i in index)


# -- getitem and its transpose -------------------------------------------------------------
def _getitem_impl(xp, x, index):
    return xp.asarray(x)[index]


def _scatter_add_impl(xp, x, shape, index):
    x = xp.asarray(x)
    out = xp.zeros(shape, dtype=x.dtype)
    if _is_basic(index):
        out[index] = x
    else:
        xp.add.at(out, index, x)
    return out


getitem_p = defprimitive(
    "getitem",
    _getitem_impl,
    boxed_kwargs=("index",),
    vjp={
        0: lambda ans, x, index: (
            lambda g: unbroadcast(scatter_add_p(g, shape=shape_of(x), index=index), x)
        )
    },
    jvp={0: lambda g, ans, x, index: getitem_p(g, index=index)},
)

scatter_add_p = defprimitive(
    "scatter_add",
    _scatter_add_impl,
    boxed_kwargs=("index",),
    vjp={0: lambda ans, x, shape, index: lambda g: getitem_p(g, index=index)},
    jvp={0: lambda g, ans, x, shape, index: scatter_add_p(g, shape=shape, index=index)},
)


def getitem(x, index):
    """``x[index]`` for a traced value or Tensor (what ``Box.__getitem__`` calls)."""
    if isinstance(unbox_all(x), tuple):  # the traced result of a multiple-result op
        return tuple_getitem_p(x, operator.index(index))
    return getitem_p(x, index=normalize_index(index))


def _sub_shape(shape: tuple, index: tuple) -> tuple:
    return np.empty(shape, dtype=np.bool_)[index].shape


# -- functional assignment --------------------------------------------------------------------
def _index_update_impl(xp, x, values, index):
    out = xp.array(x, copy=True)
    out[index] = values
    return out


# d(x with x[i] = v) = dx with dx[i] = 0, plus dv placed at i.
index_update_p = defprimitive(
    "index_update",
    _index_update_impl,
    boxed_kwargs=("index",),
    vjp={
        0: lambda ans, x, values, index: (
            lambda g: unbroadcast(index_update_p(g, 0.0, index=index), x)
        ),
        1: lambda ans, x, values, index: _values_vjp(x, values, index),
    },
    jvp={
        0: lambda g, ans, x, values, index: index_update_p(g, 0.0, index=index),
        1: lambda g, ans, x, values, index: index_update_p(
            namespace_of(ans).zeros(shape_of(ans), dtype_of(ans)), g, index=index
        ),
    },
)


def _surviving_writes(x_shape, index):
    """Mask over ``x[index]``'s shape: True where that write is the one NumPy keeps.

    With repeated integer indices only the last write to an entry survives, so only
    that value receives the cotangent (the others had no effect on the output).
    Returns None when there are no repeats (every write survives)."""
    sub = _sub_shape(x_shape, index)
    ids = np.arange(int(np.prod(sub, dtype=np.int64))).reshape(sub)
    probe = np.full(x_shape, -1, dtype=np.int64)
    probe[index] = ids
    survivors = np.unique(probe[index])
    if survivors.size == ids.size:
        return None
    return np.isin(ids, survivors)


def _values_vjp(x, values, index):
    mask = _surviving_writes(shape_of(x), index)

    def pull(g):
        picked = getitem_p(g, index=index)
        if mask is not None:
            picked = picked * mask
        return unbroadcast(picked, values)

    return pull


def index_update(x, index, values):
    """A copy of ``x`` with ``x[index] = values`` (JAX's ``x.at[index].set(values)``);
    differentiable in ``x`` and ``values``."""
    idx = normalize_index(index)
    if any(is_batched(i) for i in idx):
        raise NotImplementedError(
            "vmap: index_update at positions that differ per example is not batched yet; "
            "use cnp.where with a mask built from the positions"
        )
    sub = _sub_shape(shape_of(x), idx)
    vshape = shape_of(values)
    try:
        np.broadcast_to(np.empty(vshape, dtype=np.bool_), sub)
    except ValueError:
        raise ValueError(
            f"index_update: values of shape {vshape} can't be assigned to x[index] "
            f"of shape {sub} (x has shape {shape_of(x)})"
        ) from None
    return index_update_p(x, values, index=idx)


def index_add(x, index, values):
    """``x`` with ``values`` added at ``index`` (JAX's ``x.at[index].add(values)``);
    repeated indices accumulate, like ``numpy.add.at``."""
    idx = normalize_index(index)
    if any(is_batched(i) for i in idx):
        raise NotImplementedError(
            "vmap: index_update at positions that differ per example is not batched yet; "
            "use cnp.where with a mask built from the positions"
        )
    sub = _sub_shape(shape_of(x), idx)
    spread = broadcast_to(values, sub) if shape_of(values) != sub else values
    return add(x, scatter_add_p(spread, shape=shape_of(x), index=idx))


# -- gathers ---------------------------------------------------------------------------------
def take(a, indices, axis=None, out=None, mode="raise"):
    """Entries of ``a`` at ``indices`` along ``axis`` (of the flattened array when None);
    repeated indices get their cotangents summed."""
    reject_out("take", out)
    a = as_operand(a)
    if axis is None:
        a = ravel(a)
        axis = 0
    ax = normalize_one_axis(axis, len(shape_of(a)))
    if is_batched(indices) and mode == "raise":  # per-example indices under vmap
        return getitem_p(a, index=(slice(None),) * ax + (_batched_index_array(indices),))
    idx = _index_array(indices)
    n = shape_of(a)[ax]
    if mode == "wrap":
        idx = np.mod(idx, n)
    elif mode == "clip":
        idx = np.clip(idx, 0, n - 1)
    elif mode != "raise":
        raise ValueError(f"take: mode must be 'raise', 'wrap' or 'clip', got {mode!r}")
    item = int(idx) if idx.ndim == 0 else idx
    return getitem_p(a, index=(slice(None),) * ax + (item,))


def take_along_axis(arr, indices, axis=-1):
    """Pick values along an axis at matching index positions (``numpy.take_along_axis``)."""
    arr = as_operand(arr)
    # (per-example indices under vmap stay boxed: the batching rule of getitem reads them)
    idx = _batched_index_array(indices) if is_batched(indices) else _index_array(indices)
    if axis is None:
        if idx.ndim != 1:
            raise ValueError("take_along_axis: with axis=None the indices must be 1-d")
        arr = ravel(arr)
        axis = 0
    shape = shape_of(arr)
    if idx.ndim != len(shape):
        raise ValueError(
            f"take_along_axis: indices of shape {idx.shape} must have as many dims as the "
            f"array (shape {shape})"
        )
    ax = normalize_one_axis(axis, len(shape))
    grid = []
    for d, n in enumerate(shape):
        if d == ax:
            grid.append(idx)
        else:
            grid.append(np.arange(n).reshape(tuple(-1 if i == d else 1 for i in range(len(shape)))))
    return getitem_p(arr, index=tuple(grid))
