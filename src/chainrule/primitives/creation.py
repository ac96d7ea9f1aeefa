"""Array creation: NumPy's constructors, re-exported so that ``chainrule.numpy`` is a
drop-in ``numpy``, and the arrays shaped like another (``zeros_like``, ...). Their
outputs are constants (no derivative), except that

* ``array`` and ``asarray`` given a (nested) list that contains traced values stack
  them, keeping the gradient (autograd's behaviour for ``np.array([x, y])``);
* ``full_like`` with a traced ``fill_value`` is a broadcast of it, keeping its gradient.

Records: the zero-derivative ``zeros_like``, ``ones_like`` and ``full_like``.
"""

from __future__ import annotations

import numpy as np

from chainrule.core.trace import Box
from chainrule.primitives._args import contains_box
from chainrule.primitives._helpers import (
    astype_p,
    defzero,
    dtype_of,
    namespace_of,
    ndim_of,
    shape_of,
)
from chainrule.primitives.joining import stack
from chainrule.primitives.shape import as_operand, broadcast_to, reshape

__all__ = [
    "array",
    "asarray",
    "asanyarray",
    "ascontiguousarray",
    "zeros",
    "ones",
    "empty",
    "full",
    "eye",
    "identity",
    "arange",
    "linspace",
    "logspace",
    "geomspace",
    "tri",
    "meshgrid",
    "zeros_like",
    "ones_like",
    "full_like",
]

zeros = np.zeros
ones = np.ones
empty = np.empty
eye = np.eye
identity = np.identity
arange = np.arange
logspace = np.logspace
geomspace = np.geomspace
tri = np.tri


def _traced(obj) -> bool:
    """Whether ``obj`` is a traced value or a (nested) list/tuple that holds one."""
    return isinstance(obj, Box) or (isinstance(obj, list | tuple) and contains_box(obj))


def _stack_nested(obj, dtype):
    if isinstance(obj, list | tuple):
        return stack([_stack_nested(o, dtype) for o in obj])
    if dtype is not None and not isinstance(obj, Box):
        return np.asarray(obj, dtype=dtype)
    if dtype is not None:
        return astype_p(obj, np.dtype(dtype))
    return obj


def array(obj, dtype=None, copy=True, **kwargs):
    """``numpy.array``; a list holding traced values becomes a traced, stacked array
    (``ndmin`` applies to it; memory-layout options have no meaning there)."""
    if _traced(obj):
        out = obj if isinstance(obj, Box) and dtype is None else _stack_nested(obj, dtype)
        ndmin = int(kwargs.get("ndmin", 0))
        if ndim_of(out) < ndmin:
            out = reshape(out, (1,) * (ndmin - ndim_of(out)) + shape_of(out))
        return out
    return np.array(obj, dtype=dtype, copy=copy, **kwargs)


def asarray(obj, dtype=None, **kwargs):
    """``numpy.asarray``; traced values pass through (and keep their gradient)."""
    if _traced(obj):
        return array(obj, dtype=dtype)
    return np.asarray(obj, dtype=dtype, **kwargs)


asanyarray = asarray
ascontiguousarray = asarray


def meshgrid(*xi, copy=True, sparse=False, indexing="xy"):
    """``numpy.meshgrid``; differentiable in the coordinate vectors (by broadcasting, or
    only reshaping with ``sparse=True``). Returns a tuple, as NumPy 2 does."""
    if indexing not in ("xy", "ij"):
        raise ValueError("meshgrid: valid values for `indexing` are 'xy' and 'ij'.")
    if not any(isinstance(x, Box) for x in xi):
        return np.meshgrid(*xi, copy=copy, sparse=sparse, indexing=indexing)
    n = len(xi)
    sizes = [int(np.prod(shape_of(x), dtype=np.int64)) for x in xi]
    if indexing == "xy" and n >= 2:
        sizes[0], sizes[1] = sizes[1], sizes[0]
    out = []
    for i, x in enumerate(xi):
        axis = i
        if indexing == "xy" and n >= 2 and i < 2:
            axis = 1 - i
        shape_i = [1] * n
        shape_i[axis] = sizes[axis]
        x = reshape(x, tuple(shape_i))
        out.append(x if sparse else broadcast_to(x, tuple(sizes)))
    return tuple(out)


# -- constants shaped like an array ---------------------------------------------------------
zeros_like_p = defzero(
    "zeros_like", lambda xp, x, dtype=None, shape=None: xp.zeros_like(x, dtype=dtype, shape=shape)
)
ones_like_p = defzero(
    "ones_like", lambda xp, x, dtype=None, shape=None: xp.ones_like(x, dtype=dtype, shape=shape)
)
full_like_p = defzero(
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
    return zeros_like_p(as_operand(a), dtype=dtype, shape=shape)


def ones_like(a, dtype=None, order="K", subok=True, shape=None, *, device=None):
    """Ones with the shape and dtype of ``a`` (a constant: no gradient)."""
    _like_args("ones_like", order, subok)
    return ones_like_p(as_operand(a), dtype=dtype, shape=shape)


def full(shape, fill_value, dtype=None, order="C", *, device=None, like=None):
    """``fill_value`` repeated to ``shape``; a traced ``fill_value`` keeps its gradient
    (the result is a broadcast of it)."""
    if isinstance(fill_value, Box):
        target = np.dtype(dtype) if dtype is not None else dtype_of(fill_value)
        out_shape = tuple(np.atleast_1d(shape).tolist())
        return broadcast_to(astype_p(fill_value, target), out_shape)
    return np.full(shape, fill_value, dtype=dtype, order=order)


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0, *,
             device=None):  # fmt: skip
    """Evenly spaced numbers; traced ``start``/``stop`` keep their gradients (the points
    are ``start + (stop - start) * t`` for NumPy's fractions ``t``)."""
    if not (isinstance(start, Box) or isinstance(stop, Box)):
        return np.linspace(start, stop, num, endpoint, retstep, dtype, axis)
    if axis != 0 or dtype is not None:
        raise NotImplementedError("linspace with traced ends supports axis=0, dtype=None only")
    # the fractions in the ends' library, so that they meet the ends on their device
    t = namespace_of(start, stop).linspace(0.0, 1.0, num, endpoint=endpoint)
    t = reshape(t, t.shape + (1,) * ndim_of(stop - start))
    step = (stop - start) / ((num - 1) if endpoint else num) if num > 1 else stop - start
    points = start + (stop - start) * t
    return (points, step) if retstep else points


def full_like(a, fill_value, dtype=None, order="K", subok=True, shape=None, *, device=None):
    """``fill_value`` with the shape of ``a``. A traced ``fill_value`` keeps its gradient
    (the result is a broadcast of it); ``a`` itself only lends its shape and dtype."""
    _like_args("full_like", order, subok)
    a = as_operand(a)
    if isinstance(fill_value, Box):
        target = np.dtype(dtype) if dtype is not None else dtype_of(a)
        out_shape = shape_of(a) if shape is None else tuple(np.atleast_1d(shape).tolist())
        return broadcast_to(astype_p(fill_value, target), out_shape)
    return full_like_p(a, fill_value, dtype=dtype, shape=shape)
