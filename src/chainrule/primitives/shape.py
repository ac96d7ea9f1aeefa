"""Shape manipulation: reshaping, transposing, broadcasting, the shape queries, and
:func:`as_operand`, with which every public function of the array families starts.

Records declared here (all linear): ``transpose``, and the pair ``concatenate`` /
``split``, each the other's transpose (``split`` has several results). The pair lives
here because ``as_operand`` joins a nested list of traced values with ``concatenate``;
their public functions, with NumPy's options, are in :mod:`.joining`. The records of
``reshape`` and ``broadcast_to`` are in :mod:`._helpers` (``unbroadcast`` uses them).
Everything else is a composition: ``ravel``/``squeeze``/``expand_dims``/``atleast_*d``
are reshapes, ``swapaxes``/``moveaxis`` are transposes.

Sequence-taking records take their arrays positionally (``concatenate_p(*arrays,
axis=...)``), so every array is a traced argument.
"""

from __future__ import annotations

import builtins
import operator

import numpy as np

from chainrule.core.primitive import defprimitive
from chainrule.core.trace import unbox_all, visible_shape
from chainrule.primitives._args import contains_box, normalize_axes, normalize_one_axis
from chainrule.primitives._helpers import (
    broadcast_to_p,
    deflinear,
    dtype_of,
    namespace_of,
    ndim_of,
    reshape_p,
    reshape_to,
    shape_of,
    split_results,
    unbroadcast,
)

__all__ = [
    "reshape", "ravel", "transpose", "swapaxes", "moveaxis", "expand_dims", "squeeze",
    "broadcast_to", "atleast_1d", "atleast_2d", "atleast_3d", "shape", "ndim", "size",
]  # fmt: skip


# -- concatenate and split: each other's transposes -------------------------------------------
def _bounds(sizes) -> tuple:
    """Where the pieces of the given sizes start and end along the joined axis."""
    return (0, *np.cumsum(sizes).tolist())


def _concatenate_vjp(argnums, ans, *arrays, axis):
    bounds = _bounds([shape_of(a)[axis] for a in arrays])

    def pull(g):
        pieces = split_results(split_p(g, indices=bounds[1:-1], axis=axis), len(arrays))
        return [unbroadcast(pieces[i], arrays[i]) for i in argnums]

    return pull


def _concatenate_jvp(gs, ans, *arrays, axis):
    dtype = dtype_of(ans)
    full = [
        namespace_of(ans).zeros(shape_of(a), dtype) if g is None else g for g, a in zip(gs, arrays)
    ]
    return concatenate_p(*full, axis=axis)


concatenate_p = defprimitive(
    "concatenate",
    lambda xp, *arrays, axis: xp.concatenate(arrays, axis=axis),
    vjp_joint=_concatenate_vjp,
    jvp_joint=_concatenate_jvp,
)


def split_shapes(shape: tuple, indices: tuple, axis: int) -> list:
    """The shapes of the pieces that ``split`` cuts at (non-decreasing) ``indices``."""
    n = shape[axis]
    bounds = [0, *(builtins.min(builtins.max(i, 0), n) for i in indices), n]
    return [
        shape[:axis] + (builtins.max(hi - lo, 0),) + shape[axis + 1 :]
        for lo, hi in zip(bounds[:-1], bounds[1:])
    ]


# The cotangent of an unused piece is None and is filled with zeros here, so using
# only some pieces costs one concatenate.
def _split_vjp(argnums, ans, x, *, indices, axis):
    shapes = split_shapes(shape_of(x), indices, axis)

    def pull(g):
        dtype = dtype_of(x)
        parts = [namespace_of(x).zeros(s, dtype) if gi is None else gi for gi, s in zip(g, shapes)]
        return [unbroadcast(concatenate_p(*parts, axis=axis), x)]

    return pull


def _split_jvp(gs, ans, x, *, indices, axis):
    return split_results(split_p(gs[0], indices=indices, axis=axis), len(indices) + 1)


split_p = defprimitive(
    "split",
    lambda xp, x, indices, axis: tuple(xp.split(x, list(indices), axis=axis)),
    vjp_joint=_split_vjp,
    jvp_joint=_split_jvp,
    multiple_results=True,
)


def stack_pieces(seq, axis) -> tuple:
    """Same-shaped arrays as the pieces of a concatenate along a new axis ``axis``:
    ``(pieces, axis)`` with the axis normalised."""
    shapes = {shape_of(a) for a in seq}
    if len(shapes) != 1:
        raise ValueError(f"stack: all input arrays must have the same shape, got {sorted(shapes)}")
    shape = shapes.pop()
    ax = normalize_one_axis(axis, len(shape) + 1)
    new = shape[:ax] + (1,) + shape[ax:]
    return [reshape_to(a, new) for a in seq], ax


def as_operand(a):
    """A nested list/tuple holding traced values becomes one traced array (by stacking);
    anything else is returned unchanged."""
    if isinstance(a, list | tuple) and contains_box(a):
        pieces, axis = stack_pieces([as_operand(item) for item in a], 0)
        return concatenate_p(*pieces, axis=axis)
    return a


# -- reshape ----------------------------------------------------------------------------------
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


def reshape(a, shape=None, order="C", *, newshape=None, copy=None):
    """Give an array a new shape without changing its data (``numpy.reshape``)."""
    if shape is None:
        shape = newshape
    if shape is None:
        raise TypeError("reshape: missing the new shape")
    a = as_operand(a)
    new = _resolve_shape(shape_of(a), shape)
    if order == "A":  # Fortran order for a Fortran-contiguous array, else C order
        order = "F" if _fortran_only(a) else "C"
    if order == "C":
        return reshape_p(a, shape=new)
    if order == "F":
        # Fortran order is C order on the reversed axes
        flipped = reshape_p(transpose(a), shape=new[::-1])
        return transpose(flipped)
    raise ValueError(f"reshape: order must be 'C', 'F' or 'A', got {order!r}")


def _fortran_only(a) -> bool:
    v = unbox_all(a)
    return isinstance(v, np.ndarray) and v.flags.f_contiguous and not v.flags.c_contiguous


def ravel(a, order="C"):
    """The array flattened to one dimension. Orders 'A' and 'K' depend on the memory
    layout of the (unboxed) values, as in NumPy: 'K' reads the axes by decreasing
    stride, keeping the index order along each one."""
    a = as_operand(a)
    if order == "K":
        v = unbox_all(a)
        if isinstance(v, np.ndarray) and v.ndim > 1 and not v.flags.c_contiguous:
            perm = sorted(range(v.ndim), key=lambda i: -builtins.abs(v.strides[i]))
            return reshape(transpose(a, perm), (-1,))
        order = "C"
    return reshape(a, (-1,), order=order)


def expand_dims(a, axis):
    """Insert length-1 axes at the given positions of the result."""
    a = as_operand(a)
    shape = shape_of(a)
    axes = normalize_axes(axis, len(shape) + (len(axis) if isinstance(axis, tuple | list) else 1))
    it = iter(shape)
    new = tuple(1 if i in axes else next(it) for i in range(len(shape) + len(axes)))
    return reshape_p(a, shape=new)


def squeeze(a, axis=None):
    """Remove length-1 axes (all of them, or those named)."""
    a = as_operand(a)
    shape = shape_of(a)
    if axis is None:
        axes = tuple(i for i, n in enumerate(shape) if n == 1)
    else:
        axes = normalize_axes(axis, len(shape))
        bad = [i for i in axes if shape[i] != 1]
        if bad:
            raise ValueError(
                f"squeeze: cannot select axis {bad[0]} of shape {shape}: its size is not one"
            )
    return reshape_p(a, shape=tuple(n for i, n in enumerate(shape) if i not in axes))


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


# -- transpose --------------------------------------------------------------------------------
transpose_p = deflinear(
    "transpose",
    lambda xp, x, axes: xp.transpose(x, axes),
    lambda g, ans, x, axes: transpose_p(g, axes=tuple(int(i) for i in np.argsort(axes))),
)


def transpose(a, axes=None):
    """Permute the axes (reverse them when ``axes`` is None)."""
    a = as_operand(a)
    nd = ndim_of(a)
    if axes is None:
        perm = tuple(range(nd))[::-1]
    else:
        perm = tuple(normalize_one_axis(i, nd) for i in axes)
        if sorted(perm) != list(range(nd)):
            raise ValueError(f"transpose: axes {tuple(axes)} don't match an array of {nd} dims")
    return transpose_p(a, axes=perm)


def swapaxes(a, axis1, axis2):
    a = as_operand(a)
    nd = ndim_of(a)
    perm = list(range(nd))
    i, j = normalize_one_axis(axis1, nd), normalize_one_axis(axis2, nd)
    perm[i], perm[j] = perm[j], perm[i]
    return transpose_p(a, axes=tuple(perm))


def mT(x):
    """The batched matrix transpose: the last two axes swapped."""
    return swapaxes(x, -1, -2)


def moveaxis(a, source, destination):
    """Move axes to new positions; the others keep their order."""
    a = as_operand(a)
    nd = ndim_of(a)
    src = normalize_axes(source, nd)
    dst = normalize_axes(destination, nd)
    if len(src) != len(dst):
        raise ValueError("moveaxis: source and destination must have the same number of axes")
    order = [i for i in range(nd) if i not in src]
    for d, s in sorted(zip(dst, src, strict=True)):
        order.insert(d, s)
    return transpose_p(a, axes=tuple(order))


# -- broadcast_to and the shape queries -------------------------------------------------------
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
    return broadcast_to_p(array, shape=shape)


def shape(a) -> tuple:
    return visible_shape(a)


def ndim(a) -> int:
    return len(visible_shape(a))


def size(a, axis=None) -> int:
    s = visible_shape(a)
    if axis is None:
        return int(np.prod(s, dtype=np.int64))
    return s[normalize_one_axis(axis, len(s))]
