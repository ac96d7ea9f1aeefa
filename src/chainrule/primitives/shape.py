"""Shape manipulation: reshaping, transposing, broadcasting, joining, splitting,
tiling, flipping, rolling, padding and sorting.

Registered primitives (all linear, so each VJP is the transposed op and each JVP is
the op itself): ``reshape``, ``transpose``, ``broadcast_to``, ``concatenate``,
``split`` (one primitive with several results), ``flip``, ``roll``, ``pad`` (constant
mode), plus the zero-derivative ``argsort``, ``zeros_like``, ``ones_like`` and
``full_like``. Everything else is a composition: ``ravel``/``squeeze``/``expand_dims``
are reshapes, ``swapaxes``/``moveaxis`` are transposes, ``stack`` and friends are
reshapes plus ``concatenate``, ``tile``/``repeat`` are reshapes of a broadcast, the
index-based ``pad`` modes and ``sort`` are gathers (``indexing.getitem``), which route
the gradient back to where each entry came from.

Sequence-taking functions pass their arrays positionally to a variadic primitive
(``_concatenate(*arrays, axis=...)``), so every array is a traced argument.
"""

from __future__ import annotations

import builtins
import operator

import numpy as np

from chainrule.core.primitive import defprimitive
from chainrule.core.trace import Box, unbox_all
from chainrule.primitives import elementwise as E
from chainrule.primitives._helpers import (
    deflinear,
    defzero,
    dtype_of,
    ndim_of,
    shape_of,
    split_results,
    unbroadcast,
)

__all__ = [
    "reshape",
    "ravel",
    "transpose",
    "swapaxes",
    "moveaxis",
    "expand_dims",
    "squeeze",
    "broadcast_to",
    "atleast_1d",
    "atleast_2d",
    "atleast_3d",
    "concatenate",
    "stack",
    "vstack",
    "hstack",
    "dstack",
    "column_stack",
    "append",
    "split",
    "array_split",
    "hsplit",
    "vsplit",
    "dsplit",
    "tile",
    "repeat",
    "flip",
    "fliplr",
    "flipud",
    "rot90",
    "roll",
    "pad",
    "diff",
    "sort",
    "argsort",
    "zeros_like",
    "ones_like",
    "full_like",
    "shape",
    "ndim",
    "size",
]


# -- helpers --------------------------------------------------------------------------------
def _contains_box(seq) -> bool:
    for item in seq:
        if isinstance(item, Box):
            return True
        if isinstance(item, list | tuple) and _contains_box(item):
            return True
    return False


def as_operand(a):
    """A nested list/tuple holding traced values becomes one traced array (by stacking);
    anything else is returned unchanged."""
    if isinstance(a, list | tuple) and _contains_box(a):
        return stack([as_operand(item) for item in a])
    return a


def _axis(axis, ndim: int) -> int:
    a = operator.index(axis)
    if not -ndim <= a < ndim:
        raise np.exceptions.AxisError(a, ndim)
    return a % ndim


def _axes(axis, ndim: int) -> tuple:
    axes = tuple(axis) if isinstance(axis, tuple | list) else (axis,)
    out = tuple(_axis(a, ndim) for a in axes)
    if len(set(out)) != len(out):
        raise ValueError(f"repeated axis in {axis!r}")
    return out


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


# -- reshape --------------------------------------------------------------------------------
_reshape = deflinear(
    "reshape",
    lambda xp, x, shape: xp.reshape(x, shape),
    lambda g, ans, x, shape: _reshape(g, shape=shape_of(x)),
)


def _resolve_shape(old: tuple, new) -> tuple:
    new = (new,) if not isinstance(new, tuple | list) else tuple(new)
    new = tuple(operator.index(n) for n in new)
    size = int(np.prod(old, dtype=np.int64))
    unknown = [i for i, n in enumerate(new) if n == -1]
    if len(unknown) > 1 or builtins.any(n < -1 for n in new):
        raise ValueError(f"can only specify one unknown dimension (-1) in shape {new}")
    known = int(np.prod([n for n in new if n != -1], dtype=np.int64))
    if unknown:
        if known == 0 or size % known:
            raise ValueError(f"cannot reshape array of shape {old} (size {size}) into shape {new}")
        new = new[: unknown[0]] + (size // known,) + new[unknown[0] + 1 :]
    elif known != size:
        raise ValueError(f"cannot reshape array of shape {old} (size {size}) into shape {new}")
    return new


def reshape_to(x, shape: tuple):
    """Internal: reshape to a fully known shape, skipping the no-op."""
    if shape_of(x) == tuple(shape):
        return x
    return _reshape(x, shape=tuple(shape))


def reshape(a, shape=None, order="C", *, newshape=None, copy=None):
    """Give an array a new shape without changing its data (``numpy.reshape``)."""
    if shape is None:
        shape = newshape
    if shape is None:
        raise TypeError("reshape: missing the new shape")
    a = as_operand(a)
    new = _resolve_shape(shape_of(a), shape)
    if order in ("C", "A"):
        return _reshape(a, shape=new)
    if order == "F":
        # Fortran order is C order on the reversed axes
        flipped = _reshape(transpose(a), shape=new[::-1])
        return transpose(flipped)
    raise ValueError(f"reshape: order must be 'C', 'F' or 'A', got {order!r}")


def ravel(a, order="C"):
    """The array flattened to one dimension."""
    return reshape(a, (-1,), order=order)


def expand_dims(a, axis):
    """Insert length-1 axes at the given positions of the result."""
    a = as_operand(a)
    shape = shape_of(a)
    axes = _axes(axis, len(shape) + (len(axis) if isinstance(axis, tuple | list) else 1))
    it = iter(shape)
    new = tuple(1 if i in axes else next(it) for i in range(len(shape) + len(axes)))
    return _reshape(a, shape=new)


def squeeze(a, axis=None):
    """Remove length-1 axes (all of them, or those named)."""
    a = as_operand(a)
    shape = shape_of(a)
    if axis is None:
        axes = tuple(i for i, n in enumerate(shape) if n == 1)
    else:
        axes = _axes(axis, len(shape))
        bad = [i for i in axes if shape[i] != 1]
        if bad:
            raise ValueError(
                f"squeeze: cannot select axis {bad[0]} of shape {shape}: its size is not one"
            )
    return _reshape(a, shape=tuple(n for i, n in enumerate(shape) if i not in axes))


def atleast_1d(*arys):
    out = [reshape_to(a, (1,)) if ndim_of(a) == 0 else a for a in map(as_operand, arys)]
    return out[0] if len(out) == 1 else tuple(out)


def atleast_2d(*arys):
    out = []
    for a in map(as_operand, arys):
        shape = shape_of(a)
        out.append(reshape_to(a, (1,) * (2 - len(shape)) + shape) if len(shape) < 2 else a)
    return out[0] if len(out) == 1 else tuple(out)


def atleast_3d(*arys):
    out = []
    for a in map(as_operand, arys):
        shape = shape_of(a)
        if len(shape) == 0:
            a = reshape_to(a, (1, 1, 1))
        elif len(shape) == 1:
            a = reshape_to(a, (1, shape[0], 1))
        elif len(shape) == 2:
            a = reshape_to(a, shape + (1,))
        out.append(a)
    return out[0] if len(out) == 1 else tuple(out)


# -- transpose ------------------------------------------------------------------------------
_transpose = deflinear(
    "transpose",
    lambda xp, x, axes: xp.transpose(x, axes),
    lambda g, ans, x, axes: _transpose(g, axes=tuple(int(i) for i in np.argsort(axes))),
)


def transpose(a, axes=None):
    """Permute the axes (reverse them when ``axes`` is None)."""
    a = as_operand(a)
    nd = ndim_of(a)
    if axes is None:
        perm = tuple(range(nd))[::-1]
    else:
        perm = tuple(_axis(i, nd) for i in axes)
        if sorted(perm) != list(range(nd)):
            raise ValueError(f"transpose: axes {tuple(axes)} don't match an array of {nd} dims")
    return _transpose(a, axes=perm)


def swapaxes(a, axis1, axis2):
    a = as_operand(a)
    nd = ndim_of(a)
    perm = list(range(nd))
    i, j = _axis(axis1, nd), _axis(axis2, nd)
    perm[i], perm[j] = perm[j], perm[i]
    return _transpose(a, axes=tuple(perm))


def moveaxis(a, source, destination):
    """Move axes to new positions; the others keep their order."""
    a = as_operand(a)
    nd = ndim_of(a)
    src = _axes(source, nd)
    dst = _axes(destination, nd)
    if len(src) != len(dst):
        raise ValueError("moveaxis: source and destination must have the same number of axes")
    order = [i for i in range(nd) if i not in src]
    for d, s in sorted(zip(dst, src, strict=True)):
        order.insert(d, s)
    return _transpose(a, axes=tuple(order))


# -- broadcast_to ---------------------------------------------------------------------------
# The transpose of broadcasting is summing over the broadcast axes (unbroadcast).
# The forward copies, so gradients handed to users are ordinary writable arrays.
_broadcast_to = deflinear(
    "broadcast_to",
    lambda xp, x, shape: xp.array(xp.broadcast_to(x, shape)),
    lambda g, ans, x, shape: unbroadcast(g, x),
)


def broadcast_to(array, shape, subok=False):
    """Broadcast an array to a shape (a copy, not a read-only view)."""
    array = as_operand(array)
    shape = (shape,) if not isinstance(shape, tuple | list) else tuple(shape)
    shape = tuple(operator.index(n) for n in shape)
    old = shape_of(array)
    try:
        ok = np.broadcast_shapes(old, shape) == shape
    except ValueError:
        ok = False
    if not ok:
        raise ValueError(f"broadcast_to: can't broadcast an array of shape {old} to {shape}")
    return _broadcast_to(array, shape=shape)


# -- concatenate and split ------------------------------------------------------------------
def _offsets(sizes) -> list:
    return [0, *np.cumsum(sizes).tolist()]


def _concatenate_vjp(argnums, ans, *arrays, axis):
    from chainrule.primitives import indexing

    offsets = _offsets([shape_of(a)[axis] for a in arrays])
    lead = (slice(None),) * axis

    def pull(g):
        return [
            unbroadcast(indexing.getitem(g, lead + (slice(offsets[i], offsets[i + 1]),)), arrays[i])
            for i in argnums
        ]

    return pull


def _concatenate_jvp(tangents, ans, *arrays, axis):
    dtype = dtype_of(ans)
    full = [
        np.zeros(shape_of(a), dtype) if t is None else t
        for t, a in zip(tangents, arrays, strict=True)
    ]
    return _concatenate(*full, axis=axis)


_concatenate = defprimitive(
    "concatenate",
    lambda xp, *arrays, axis: xp.concatenate(arrays, axis=axis),
    vjp_joint=_concatenate_vjp,
    jvp_joint=_concatenate_jvp,
)


def concatenate(arrays, axis=0, out=None, dtype=None, casting="same_kind"):
    """Join arrays along an existing axis (flattened first when ``axis`` is None)."""
    if out is not None:
        raise TypeError("concatenate: out= is not supported; use the returned value")
    seq = _sequence(arrays, "concatenate")
    if axis is None:
        seq = [ravel(a) for a in seq]
        axis = 0
    shapes = [shape_of(a) for a in seq]
    nd = len(shapes[0])
    if nd == 0:
        raise ValueError("concatenate: zero-dimensional arrays cannot be concatenated")
    ax = _axis(axis, nd)
    for s in shapes[1:]:
        if len(s) != nd or builtins.any(s[i] != shapes[0][i] for i in range(nd) if i != ax):
            raise ValueError(f"concatenate: shapes {shapes} don't match outside axis {ax}")
    if dtype is not None:
        seq = [E.astype(a, dtype) for a in seq]
    return _concatenate(*seq, axis=ax)


def append(arr, values, axis=None):
    """``arr`` with ``values`` appended (both flattened when ``axis`` is None)."""
    if axis is None:
        return concatenate([ravel(arr), ravel(values)], axis=0)
    return concatenate([arr, values], axis=axis)


def stack(arrays, axis=0, out=None, *, dtype=None):
    """Join same-shaped arrays along a new axis."""
    if out is not None:
        raise TypeError("stack: out= is not supported; use the returned value")
    seq = _sequence(arrays, "stack")
    shapes = {shape_of(a) for a in seq}
    if len(shapes) != 1:
        raise ValueError(f"stack: all input arrays must have the same shape, got {sorted(shapes)}")
    shape = shapes.pop()
    ax = _axis(axis, len(shape) + 1)
    new = shape[:ax] + (1,) + shape[ax:]
    return concatenate([reshape_to(a, new) for a in seq], axis=ax, dtype=dtype)


def vstack(tup, *, dtype=None):
    return concatenate([atleast_2d(a) for a in _sequence(tup, "vstack")], axis=0, dtype=dtype)


def hstack(tup, *, dtype=None):
    seq = [atleast_1d(a) for a in _sequence(tup, "hstack")]
    return concatenate(seq, axis=0 if ndim_of(seq[0]) == 1 else 1, dtype=dtype)


def dstack(tup):
    return concatenate([atleast_3d(a) for a in _sequence(tup, "dstack")], axis=2)


def column_stack(tup):
    seq = []
    for a in _sequence(tup, "column_stack"):
        if ndim_of(a) < 2:
            a = reshape_to(a, (shape_of(a)[0], 1) if ndim_of(a) == 1 else (1, 1))
        seq.append(a)
    return concatenate(seq, axis=1)


def _split_shapes(shape: tuple, indices: tuple, axis: int) -> list:
    n = shape[axis]
    bounds = [0, *(builtins.min(builtins.max(i, 0), n) for i in indices), n]
    out = []
    for lo, hi in zip(bounds[:-1], bounds[1:], strict=True):
        out.append(shape[:axis] + (builtins.max(hi - lo, 0),) + shape[axis + 1 :])
    return out


def _split_vjp(argnums, ans, x, *, indices, axis):
    shapes = _split_shapes(shape_of(x), indices, axis)

    def pull(g):
        dtype = dtype_of(x)
        parts = [np.zeros(s, dtype) if gi is None else gi for gi, s in zip(g, shapes, strict=True)]
        return [unbroadcast(_concatenate(*parts, axis=axis), x)]

    return pull


def _split_jvp(tangents, ans, x, *, indices, axis):
    return split_results(_split(tangents[0], indices=indices, axis=axis), len(indices) + 1)


# One primitive with several results: the cotangent of an unused piece is None and
# is filled with zeros here, so using only some pieces costs one concatenate.
_split = defprimitive(
    "split",
    lambda xp, x, indices, axis: tuple(xp.split(x, list(indices), axis=axis)),
    vjp_joint=_split_vjp,
    jvp_joint=_split_jvp,
    multiple_results=True,
)


def _split_at(ary, indices: tuple, axis: int) -> list:
    n = shape_of(ary)[axis]
    # each index is a slice bound: negative counts from the end, then clamp to [0, n]
    bounds = [builtins.min(builtins.max(i + n if i < 0 else i, 0), n) for i in indices]
    if bounds != sorted(bounds):
        # overlapping pieces don't tile the axis: slice each one out separately
        from chainrule.primitives import indexing

        lead = (slice(None),) * axis
        edges = [None, *indices, None]
        return [
            indexing.getitem(ary, lead + (slice(lo, hi),))
            for lo, hi in zip(edges[:-1], edges[1:], strict=True)
        ]
    return list(split_results(_split(ary, indices=tuple(bounds), axis=axis), len(bounds) + 1))


def split(ary, indices_or_sections, axis=0):
    """Split into equal sections, or at the given indices; returns a list of arrays."""
    ary = as_operand(ary)
    shape = shape_of(ary)
    ax = _axis(axis, len(shape))
    if isinstance(indices_or_sections, int | np.integer):
        k = int(indices_or_sections)
        if k <= 0 or shape[ax] % k:
            raise ValueError(
                f"split: an axis of length {shape[ax]} does not split into {k} equal sections"
            )
        step = shape[ax] // k
        indices = tuple(step * i for i in range(1, k))
    else:
        indices = tuple(int(i) for i in unbox_all(indices_or_sections))
    return _split_at(ary, indices, ax)


def array_split(ary, indices_or_sections, axis=0):
    """Like :func:`split`, but sections may differ in length by one."""
    ary = as_operand(ary)
    shape = shape_of(ary)
    ax = _axis(axis, len(shape))
    if isinstance(indices_or_sections, int | np.integer):
        k = int(indices_or_sections)
        if k <= 0:
            raise ValueError("array_split: number of sections must be larger than 0")
        each, extra = divmod(shape[ax], k)
        sizes = [each + 1] * extra + [each] * (k - extra)
        indices = tuple(int(i) for i in np.cumsum(sizes)[:-1])
    else:
        indices = tuple(int(i) for i in unbox_all(indices_or_sections))
    return _split_at(ary, indices, ax)


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
    ax = _axis(axis, len(shape))
    reps = np.asarray(unbox_all(repeats))
    if reps.ndim == 0 or reps.size == 1:
        r = int(reps.reshape(()))
        if r < 0:
            raise ValueError("repeat: repeats may not contain negative values")
        spread = reshape_to(a, shape[: ax + 1] + (1,) + shape[ax + 1 :])
        spread = broadcast_to(spread, shape[: ax + 1] + (r,) + shape[ax + 1 :])
        return reshape_to(spread, shape[:ax] + (shape[ax] * r,) + shape[ax + 1 :])
    from chainrule.primitives import indexing

    source = np.repeat(np.arange(shape[ax]), reps)
    return indexing.take(a, source, axis=ax)


# -- flip, rot90, roll ----------------------------------------------------------------------
_flip = deflinear(
    "flip",
    lambda xp, x, axis: xp.flip(x, axis=axis),
    lambda g, ans, x, axis: _flip(g, axis=axis),
)


def flip(m, axis=None):
    """Reverse the order of elements along the given axes (all when None)."""
    m = as_operand(m)
    nd = ndim_of(m)
    axes = tuple(range(nd)) if axis is None else tuple(sorted(_axes(axis, nd)))
    return _flip(m, axis=axes)


def fliplr(m):
    if ndim_of(m) < 2:
        raise ValueError("fliplr: the array must be at least 2-d")
    return flip(m, axis=1)


def flipud(m):
    if ndim_of(m) < 1:
        raise ValueError("flipud: the array must be at least 1-d")
    return flip(m, axis=0)


def rot90(m, k=1, axes=(0, 1)):
    """Rotate by 90 degrees ``k`` times in the plane of ``axes`` (flips and a swap)."""
    m = as_operand(m)
    nd = ndim_of(m)
    a0, a1 = _axes(axes, nd) if len(axes) == 2 else (None, None)
    if a0 is None or a0 == a1:
        raise ValueError(f"rot90: axes must be two different axes, got {axes}")
    k %= 4
    if k == 0:
        return m
    if k == 2:
        return flip(m, axis=(a0, a1))
    perm = list(range(nd))
    perm[a0], perm[a1] = perm[a1], perm[a0]
    if k == 1:
        return _transpose(flip(m, axis=a1), axes=tuple(perm))
    return flip(_transpose(m, axes=tuple(perm)), axis=a1)


def _neg_shift(shift):
    return tuple(-s for s in shift) if isinstance(shift, tuple) else -shift


_roll = deflinear(
    "roll",
    lambda xp, x, shift, axis: xp.roll(x, shift, axis=axis),
    lambda g, ans, x, shift, axis: _roll(g, shift=_neg_shift(shift), axis=axis),
)


def roll(a, shift, axis=None):
    """Roll elements along an axis (of the flattened array when ``axis`` is None)."""
    a = as_operand(a)
    nd = ndim_of(a)
    if isinstance(shift, tuple | list | np.ndarray):
        shift = tuple(int(s) for s in shift)
    else:
        shift = operator.index(shift)
    if axis is not None:
        axis = _axes(axis, nd) if isinstance(axis, tuple | list) else _axis(axis, nd)
    return _roll(a, shift=shift, axis=axis)


# -- pad ------------------------------------------------------------------------------------
def _pairs(value, nd: int, name: str, kind=int) -> tuple:
    arr = np.asarray(unbox_all(value))
    try:
        arr = np.broadcast_to(arr, (nd, 2))
    except ValueError:
        raise ValueError(
            f"pad: {name} of shape {arr.shape} doesn't fit an array of {nd} dims"
        ) from None
    return tuple((kind(b), kind(e)) for b, e in arr.tolist())


def _pad_vjp(ans, x, pad_width, constant_values):
    from chainrule.primitives import indexing

    inner = tuple(slice(b, b + n) for (b, _), n in zip(pad_width, shape_of(x), strict=True))
    return lambda g: indexing.getitem(g, inner)


_pad = defprimitive(
    "pad",
    lambda xp, x, pad_width, constant_values: xp.pad(
        x, pad_width, mode="constant", constant_values=constant_values
    ),
    vjp={0: _pad_vjp},
    jvp={
        0: lambda t, ans, x, pad_width, constant_values: _pad(
            t, pad_width=pad_width, constant_values=0
        )
    },
)

_INDEX_MODES = ("edge", "reflect", "symmetric", "wrap")


def pad(array, pad_width, mode="constant", **kwargs):
    """Pad an array. Modes ``constant`` (values static) and the index-based ``edge``,
    ``reflect``, ``symmetric``, ``wrap``; differentiable in ``array``."""
    array = as_operand(array)
    shape = shape_of(array)
    nd = len(shape)
    widths = _pairs(pad_width, nd, "pad_width")
    if builtins.any(w < 0 for pair in widths for w in pair):
        raise ValueError(f"pad: negative pad widths are not allowed, got {widths}")
    if mode == "constant":
        cv = kwargs.pop("constant_values", 0)
        if kwargs:
            raise TypeError(f"pad: unexpected arguments for mode 'constant': {sorted(kwargs)}")
        if isinstance(cv, Box) or (isinstance(cv, list | tuple) and _contains_box(cv)):
            raise TypeError(
                "pad: constant_values must not be traced (chainrule differentiates pad "
                "in the array only); pad with 0 and add the traced constant yourself"
            )
        cvs = _pairs(cv, nd, "constant_values", kind=lambda v: v)
        return _pad(array, pad_width=widths, constant_values=cvs)
    if mode not in _INDEX_MODES:
        raise NotImplementedError(
            f"pad: mode {mode!r} is not differentiable in chainrule; supported modes are "
            f"'constant', {', '.join(map(repr, _INDEX_MODES))}"
        )
    if kwargs.get("reflect_type", "even") != "even" or set(kwargs) - {"reflect_type"}:
        raise NotImplementedError(f"pad: unsupported arguments {sorted(kwargs)} for mode {mode!r}")
    from chainrule.primitives import indexing

    # each output position reads one input position: a gather along each padded axis
    out = array
    for ax, (before, after) in enumerate(widths):
        if before or after:
            source = np.pad(np.arange(shape[ax]), (before, after), mode=mode)
            out = indexing.take(out, source, axis=ax)
    return out


def diff(a, n=1, axis=-1, prepend=None, append=None):
    """n-th discrete difference along an axis."""
    a = as_operand(a)
    ax = _axis(axis, ndim_of(a))
    if prepend is not None or append is not None:
        parts = []
        for extra in (prepend, a, append):
            if extra is None:
                continue
            if extra is not a and ndim_of(extra) == 0:
                s = list(shape_of(a))
                s[ax] = 1
                extra = broadcast_to(extra, tuple(s))
            parts.append(extra)
        a = concatenate(parts, axis=ax)
    from chainrule.primitives import indexing

    lead = (slice(None),) * ax
    for _ in range(n):
        a = E.subtract(
            indexing.getitem(a, lead + (slice(1, None),)),
            indexing.getitem(a, lead + (slice(None, -1),)),
        )
    return a


# -- sorting --------------------------------------------------------------------------------
_argsort = defzero("argsort", lambda xp, x, axis=-1, kind=None: xp.argsort(x, axis=axis, kind=kind))


def argsort(a, axis=-1, kind=None, order=None, *, stable=None):
    """Indices that sort the array (integer-valued: no gradient)."""
    if order is not None:
        raise TypeError("argsort: order= (structured arrays) is not supported")
    a = as_operand(a)
    if stable:
        kind = "stable"
    if axis is None:
        return _argsort(ravel(a), axis=0, kind=kind)
    return _argsort(a, axis=_axis(axis, ndim_of(a)), kind=kind)


def sort(a, axis=-1, kind=None, order=None, *, stable=None):
    """Sorted copy; the gradient goes back to where each entry came from (a gather by
    the sorting permutation, computed on the values)."""
    from chainrule.primitives import indexing

    if order is not None:
        raise TypeError("sort: order= (structured arrays) is not supported")
    a = as_operand(a)
    if axis is None:
        a = ravel(a)
        axis = 0
    ax = _axis(axis, ndim_of(a))
    perm = np.argsort(np.asarray(unbox_all(a)), axis=ax, kind="stable")
    return indexing.take_along_axis(a, perm, axis=ax)


# -- constants shaped like an array -----------------------------------------------------
_zeros_like = defzero(
    "zeros_like", lambda xp, x, dtype=None, shape=None: xp.zeros_like(x, dtype=dtype, shape=shape)
)
_ones_like = defzero(
    "ones_like", lambda xp, x, dtype=None, shape=None: xp.ones_like(x, dtype=dtype, shape=shape)
)
_full_like = defzero(
    "full_like",
    lambda xp, x, fill_value, dtype=None, shape=None: xp.full_like(
        x, fill_value, dtype=dtype, shape=shape
    ),
    nondiff=(1,),
)


def _like_args(fn, order, subok):
    if order not in ("K", "C", "A", "F") or subok not in (True, False):
        raise TypeError(f"{fn}: unsupported order/subok arguments")


def zeros_like(a, dtype=None, order="K", subok=True, shape=None, *, device=None):
    """Zeros with the shape and dtype of ``a`` (a constant: no gradient)."""
    _like_args("zeros_like", order, subok)
    return _zeros_like(as_operand(a), dtype=dtype, shape=shape)


def ones_like(a, dtype=None, order="K", subok=True, shape=None, *, device=None):
    """Ones with the shape and dtype of ``a`` (a constant: no gradient)."""
    _like_args("ones_like", order, subok)
    return _ones_like(as_operand(a), dtype=dtype, shape=shape)


def full_like(a, fill_value, dtype=None, order="K", subok=True, shape=None, *, device=None):
    """``fill_value`` with the shape of ``a``. A traced ``fill_value`` keeps its gradient
    (the result is a broadcast of it); ``a`` itself only lends its shape and dtype."""
    _like_args("full_like", order, subok)
    a = as_operand(a)
    if isinstance(fill_value, Box):
        target = np.dtype(dtype) if dtype is not None else dtype_of(a)
        out_shape = shape_of(a) if shape is None else tuple(np.atleast_1d(shape).tolist())
        return broadcast_to(E.astype(fill_value, target), out_shape)
    return _full_like(a, fill_value, dtype=dtype, shape=shape)


def shape(a) -> tuple:
    return np.shape(unbox_all(a))


def ndim(a) -> int:
    return np.ndim(unbox_all(a))


def size(a, axis=None) -> int:
    s = np.shape(unbox_all(a))
    if axis is None:
        return int(np.prod(s, dtype=np.int64))
    return s[_axis(axis, len(s))]
