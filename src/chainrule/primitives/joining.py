"""Joining and splitting arrays, and building bigger arrays from one: concatenate, the
stack family, append, the split family, tile, repeat and diff (``pad`` is in
:mod:`.padding`).

Public functions only: the records of ``concatenate`` and ``split`` are in :mod:`.shape`
(``as_operand`` stacks with them). ``stack`` and friends are reshapes plus
``concatenate``, ``tile``/``repeat`` are reshapes of a broadcast, and ``diff`` subtracts
shifted slices.
"""

from __future__ import annotations

import builtins
import operator

import numpy as np

from chainrule.core.trace import Box, concrete_value, example_value
from chainrule.primitives import discrete as D
from chainrule.primitives import elementwise as E
from chainrule.primitives._args import normalize_one_axis, reject_out
from chainrule.primitives._helpers import (
    dtype_of,
    namespace_of,
    ndim_of,
    reshape_to,
    shape_of,
    split_results,
)
from chainrule.primitives.indexing import getitem, take
from chainrule.primitives.shape import (
    as_operand,
    atleast_1d,
    atleast_2d,
    atleast_3d,
    broadcast_to,
    concatenate_p,
    ravel,
    split_p,
    stack_pieces,
)

__all__ = [
    "concatenate", "stack", "vstack", "hstack", "dstack", "column_stack", "append",
    "split", "array_split", "hsplit", "vsplit", "dsplit", "tile", "repeat", "diff",
]  # fmt: skip


def _sequence(arrays, name: str) -> list:
    if isinstance(arrays, Box | np.ndarray):
        # NumPy iterates over the first axis of an array argument
        return [arrays[i] for i in range(shape_of(arrays)[0])]
    try:
        seq = [as_operand(a) for a in arrays]
    except TypeError:
        raise TypeError(
            f"{name}: expected a sequence of arrays, got {type(arrays).__name__}"
        ) from None
    if not seq:
        raise ValueError(f"{name}: need at least one array")
    return seq


# -- concatenate and stack --------------------------------------------------------------------
def concatenate(arrays, axis=0, out=None, dtype=None, casting="same_kind"):
    """Join arrays along an existing axis (flattened first when ``axis`` is None)."""
    reject_out("concatenate", out)
    seq = _sequence(arrays, "concatenate")
    if axis is None:
        seq = [ravel(a) for a in seq]
        axis = 0
    shapes = [shape_of(a) for a in seq]
    nd = len(shapes[0])
    if nd == 0:
        raise ValueError("concatenate: zero-dimensional arrays cannot be concatenated")
    ax = normalize_one_axis(axis, nd)
    for s in shapes[1:]:
        if len(s) != nd or builtins.any(s[i] != shapes[0][i] for i in range(nd) if i != ax):
            raise ValueError(f"concatenate: shapes {shapes} don't match outside axis {ax}")
    if dtype is not None:
        bad = [dtype_of(a) for a in seq if not np.can_cast(dtype_of(a), dtype, casting)]
        if bad:
            raise TypeError(f"concatenate: can't cast {bad[0]} to {dtype} by rule {casting!r}")
        seq = [E.astype(a, dtype) for a in seq]
    return concatenate_p(*seq, axis=ax)


def append(arr, values, axis=None):
    """``arr`` with ``values`` appended (both flattened when ``axis`` is None)."""
    if axis is None:
        return concatenate([ravel(arr), ravel(values)], axis=0)
    return concatenate([arr, values], axis=axis)


def stack(arrays, axis=0, out=None, *, dtype=None, casting="same_kind"):
    """Join same-shaped arrays along a new axis."""
    reject_out("stack", out)
    pieces, ax = stack_pieces(_sequence(arrays, "stack"), axis)
    return concatenate(pieces, axis=ax, dtype=dtype, casting=casting)


def vstack(tup, *, dtype=None, casting="same_kind"):
    seq = [atleast_2d(a) for a in _sequence(tup, "vstack")]
    return concatenate(seq, axis=0, dtype=dtype, casting=casting)


def hstack(tup, *, dtype=None, casting="same_kind"):
    seq = [atleast_1d(a) for a in _sequence(tup, "hstack")]
    return concatenate(seq, axis=0 if ndim_of(seq[0]) == 1 else 1, dtype=dtype, casting=casting)


def dstack(tup):
    return concatenate([atleast_3d(a) for a in _sequence(tup, "dstack")], axis=2)


def column_stack(tup):
    seq = []
    for a in _sequence(tup, "column_stack"):
        if ndim_of(a) < 2:
            a = reshape_to(a, (shape_of(a)[0], 1) if ndim_of(a) == 1 else (1, 1))
        seq.append(a)
    return concatenate(seq, axis=1)


# -- split ------------------------------------------------------------------------------------
def _split_at(ary, indices: tuple, axis: int) -> list:
    n = shape_of(ary)[axis]
    # each index is a slice bound: negative counts from the end, then clamp to [0, n]
    bounds = [builtins.min(builtins.max(i + n if i < 0 else i, 0), n) for i in indices]
    if bounds != sorted(bounds):
        # overlapping pieces don't tile the axis: slice each one out separately
        lead = (slice(None),) * axis
        edges = [None, *indices, None]
        return [
            getitem(ary, lead + (slice(lo, hi),))
            for lo, hi in zip(edges[:-1], edges[1:], strict=True)
        ]
    return list(split_results(split_p(ary, indices=tuple(bounds), axis=axis), len(bounds) + 1))


def _section_bounds(name: str, n: int, k: int, equal: bool) -> tuple:
    """Where to cut an axis of length ``n`` into ``k`` sections: equal ones (``split``),
    or ones whose lengths differ by at most one, the longer first (``array_split``)."""
    if equal and (k <= 0 or n % k):
        raise ValueError(f"{name}: an axis of length {n} does not split into {k} equal sections")
    if k <= 0:
        raise ValueError(f"{name}: number of sections must be larger than 0")
    each, extra = divmod(n, k)
    return tuple(i * each + min(i, extra) for i in range(1, k))


def _split_along(name, ary, indices_or_sections, axis, equal):
    ary = as_operand(ary)
    shape = shape_of(ary)
    ax = normalize_one_axis(axis, len(shape))
    if isinstance(indices_or_sections, int | np.integer):
        indices = _section_bounds(name, shape[ax], int(indices_or_sections), equal)
    else:
        indices = tuple(int(i) for i in concrete_value(indices_or_sections))
    return _split_at(ary, indices, ax)


def split(ary, indices_or_sections, axis=0):
    """Split into equal sections, or at the given indices; returns a list of arrays."""
    return _split_along("split", ary, indices_or_sections, axis, equal=True)


def array_split(ary, indices_or_sections, axis=0):
    """Like :func:`split`, but sections may differ in length by one."""
    return _split_along("array_split", ary, indices_or_sections, axis, equal=False)


def hsplit(ary, indices_or_sections):
    return split(ary, indices_or_sections, axis=1 if ndim_of(ary) > 1 else 0)


def vsplit(ary, indices_or_sections):
    return split(ary, indices_or_sections, axis=0)


def dsplit(ary, indices_or_sections):
    return split(ary, indices_or_sections, axis=2)


# -- tile and repeat ------------------------------------------------------------------------
def tile(A, reps):
    """Repeat the whole array ``reps`` times along each axis: a broadcast, reshaped."""
    A = as_operand(A)
    reps = (reps,) if not isinstance(reps, tuple | list) else tuple(reps)
    reps = tuple(operator.index(r) for r in reps)
    shape = shape_of(A)
    d = builtins.max(len(shape), len(reps))
    shape = (1,) * (d - len(shape)) + shape
    reps = (1,) * (d - len(reps)) + reps
    # (1, s0, 1, s1, ...) -> (r0, s0, r1, s1, ...) -> (r0 s0, r1 s1, ...)
    spread = reshape_to(A, tuple(v for n in shape for v in (1, n)))
    spread = broadcast_to(
        spread, tuple(v for r, n in zip(reps, shape, strict=True) for v in (r, n))
    )
    return reshape_to(spread, tuple(r * n for r, n in zip(reps, shape, strict=True)))


def repeat(a, repeats, axis=None):
    """Repeat each element ``repeats`` times (per element when ``repeats`` is an array)."""
    a = as_operand(a)
    if axis is None:
        a = ravel(a)
        axis = 0
    shape = shape_of(a)
    ax = normalize_one_axis(axis, len(shape))
    reps = np.asarray(example_value(repeats, "repeat's counts"))
    if reps.ndim == 0 or reps.size == 1:
        r = int(reps.reshape(()))
        if r < 0:
            raise ValueError("repeat: repeats may not contain negative values")
        spread = reshape_to(a, shape[: ax + 1] + (1,) + shape[ax + 1 :])
        spread = broadcast_to(spread, shape[: ax + 1] + (r,) + shape[ax + 1 :])
        return reshape_to(spread, shape[:ax] + (shape[ax] * r,) + shape[ax + 1 :])
    source = np.repeat(np.arange(shape[ax]), reps)
    return take(a, source, axis=ax)


def diff(a, n=1, axis=-1, prepend=None, append=None):
    """n-th discrete difference along an axis."""
    a = as_operand(a)
    ax = normalize_one_axis(axis, ndim_of(a))
    if prepend is not None or append is not None:
        parts = []
        for extra in (prepend, a, append):
            if extra is None:
                continue
            if extra is not a and ndim_of(extra) == 0:
                if not isinstance(extra, Box):  # a constant: made in a's library
                    extra = namespace_of(a).asarray(extra)
                s = list(shape_of(a))
                s[ax] = 1
                extra = broadcast_to(extra, tuple(s))
            parts.append(extra)
        a = concatenate(parts, axis=ax)
    lead = (slice(None),) * ax
    # booleans differ where they change (NumPy's diff uses not_equal for them)
    step = D.not_equal if dtype_of(a).kind == "b" else E.subtract
    for _ in range(n):
        a = step(getitem(a, lead + (slice(1, None),)), getitem(a, lead + (slice(None, -1),)))
    return a
