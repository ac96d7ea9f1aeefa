"""Shape manipulation: reshaping, transposing and broadcasting, plus arrays shaped
like another and the shape queries. This is the base of the shape family.

Registered primitives (all linear, so each VJP is the transposed op and each JVP is
the op itself): ``reshape``, ``transpose``, ``broadcast_to``, plus the zero-derivative
``zeros_like``, ``ones_like`` and ``full_like``. Everything else is a composition:
``ravel``/``squeeze``/``expand_dims``/``atleast_*d`` are reshapes,
``swapaxes``/``moveaxis`` are transposes.

The family goes on in three files built on this one: :mod:`~chainrule.primitives.joining`
(concatenate, stack, split, tile, repeat, append, diff),
:mod:`~chainrule.primitives.padding` (pad) and :mod:`~chainrule.primitives.ordering`
(flip, rot90, roll, sort, argsort). Their names are
re-exported at the end of this module, so ``shape.concatenate`` and ``from
chainrule.primitives.shape import *`` see the whole family. Those files import names from
this one, hence the re-export comes last, after everything they need is defined; the one
use here of theirs, ``stack`` in ``as_operand``, is imported lazily.
"""

from __future__ import annotations

import builtins
import operator

import numpy as np

from chainrule.core.trace import Box, unbox_all
from chainrule.primitives import elementwise as E
from chainrule.primitives._helpers import (
    deflinear,
    defzero,
    dtype_of,
    ndim_of,
    shape_of,
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
    "zeros_like",
    "ones_like",
    "full_like",
    "shape",
    "ndim",
    "size",
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
    "pad",
    "diff",
    "flip",
    "fliplr",
    "flipud",
    "rot90",
    "roll",
    "sort",
    "argsort",
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
        from chainrule.primitives.joining import stack

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
    if order == "A":  # Fortran order for a Fortran-contiguous array, else C order
        order = "F" if _fortran_only(a) else "C"
    if order == "C":
        return _reshape(a, shape=new)
    if order == "F":
        # Fortran order is C order on the reversed axes
        flipped = _reshape(transpose(a), shape=new[::-1])
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


# -- the rest of the family, re-exported ----------------------------------------------------
# Last, so that these modules find everything above when they import it.
from chainrule.primitives.joining import (  # noqa: E402
    append,
    array_split,
    column_stack,
    concatenate,
    diff,
    dsplit,
    dstack,
    hsplit,
    hstack,
    repeat,
    split,
    stack,
    tile,
    vsplit,
    vstack,
)
from chainrule.primitives.ordering import (  # noqa: E402
    argsort,
    flip,
    fliplr,
    flipud,
    roll,
    rot90,
    sort,
)
from chainrule.primitives.padding import pad  # noqa: E402
