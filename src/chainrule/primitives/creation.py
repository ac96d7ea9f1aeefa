"""Array creation: NumPy's constructors, re-exported so that ``chainrule.numpy`` is a
drop-in ``numpy``. Their outputs are constants (no derivative), except that ``array``
and ``asarray`` given a (nested) list that contains traced values stack them, keeping
the gradient (autograd's behaviour for ``np.array([x, y])``).
"""

from __future__ import annotations

import numpy as np

from chainrule.core.trace import Box
from chainrule.primitives._helpers import ndim_of, shape_of

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
]

zeros = np.zeros
ones = np.ones
empty = np.empty
full = np.full
eye = np.eye
identity = np.identity
arange = np.arange
linspace = np.linspace
logspace = np.logspace
geomspace = np.geomspace
tri = np.tri


def _contains_box(obj) -> bool:
    if isinstance(obj, Box):
        return True
    if isinstance(obj, (list, tuple)):
        return any(_contains_box(o) for o in obj)
    return False


def _stack_nested(obj, dtype):
    from chainrule.primitives import elementwise, shape

    if isinstance(obj, (list, tuple)):
        return shape.stack([_stack_nested(o, dtype) for o in obj])
    if dtype is not None and not isinstance(obj, Box):
        return np.asarray(obj, dtype=dtype)
    if dtype is not None:
        return elementwise.astype(obj, dtype)
    return obj


def array(obj, dtype=None, copy=True, **kwargs):
    """``numpy.array``; a list holding traced values becomes a traced, stacked array
    (``ndmin`` applies to it; memory-layout options have no meaning there)."""
    if isinstance(obj, Box) or _contains_box(obj):
        out = obj if isinstance(obj, Box) and dtype is None else _stack_nested(obj, dtype)
        ndmin = int(kwargs.get("ndmin", 0))
        if ndim_of(out) < ndmin:
            from chainrule.primitives import shape

            out = shape.reshape(out, (1,) * (ndmin - ndim_of(out)) + shape_of(out))
        return out
    return np.array(obj, dtype=dtype, copy=copy, **kwargs)


def asarray(obj, dtype=None, **kwargs):
    """``numpy.asarray``; traced values pass through (and keep their gradient)."""
    if isinstance(obj, Box) or _contains_box(obj):
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
    from chainrule.primitives import shape

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
        x = shape.reshape(x, tuple(shape_i))
        out.append(x if sparse else shape.broadcast_to(x, tuple(sizes)))
    return tuple(out)
