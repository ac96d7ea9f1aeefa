"""The PyTorch-flavoured surface of :class:`chainrule.Tensor`: methods with PyTorch's
names (``dim=``/``keepdim=``, ``view``, ``permute``, ``unsqueeze``, ``max(dim)`` ...),
and the public names of the neighbouring modules: factories (``tensor``, ``zeros``,
``randn`` ..., from :mod:`chainrule.tensors.factories`) and in-place operations
(``add_``, ``+=``, ``x[idx] = v`` ..., installed by :mod:`chainrule.tensors.inplace`).

Everything here is composed from :mod:`chainrule.numpy`; the graph itself lives in
:mod:`chainrule.tensors.graph`. Reductions accept ``axis=`` as an alias of ``dim=`` (as
recent PyTorch does). ``t.max(dim)`` returns ``(values, indices)`` like PyTorch.
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np

import chainrule.numpy as cnp
import chainrule.tensors.inplace  # noqa: F401  (installs the in-place methods)
import chainrule.tensors.math_methods  # noqa: F401  (installs the math methods)
from chainrule.core.trace import Box, unbox_all
from chainrule.primitives.boxes import add_tensor_methods
from chainrule.tensors.factories import (
    _shape_arg,
    arange,
    as_tensor,
    empty,
    eye,
    from_numpy,
    full,
    full_like,
    linspace,
    ones,
    ones_like,
    rand,
    rand_like,
    randn,
    randn_like,
    tensor,
    zeros,
    zeros_like,
)
from chainrule.tensors.graph import Tensor

__all__ = [
    "tensor",
    "as_tensor",
    "from_numpy",
    "zeros",
    "ones",
    "full",
    "zeros_like",
    "ones_like",
    "randn",
    "rand",
    "arange",
    "eye",
    "empty",
    "full_like",
    "rand_like",
    "randn_like",
    "linspace",
    "float32",
    "float64",
    "int64",
]

float32 = np.float32
float64 = np.float64
int64 = np.int64

_MinMax = namedtuple("_MinMax", ["values", "indices"])
_Sorted = namedtuple("_Sorted", ["values", "indices"])


# -- methods ------------------------------------------------------------------------------
# They also serve boxes that hold a Tensor (a Tensor inside cr.grad, see
# primitives/boxes.py), so they read values through unbox_all (_values) and shapes through
# self.shape, never self._value (a box's _value is the next box or the Tensor).
def _values(self) -> np.ndarray:
    """The array under a Tensor or under the boxes around one (for indices and masks,
    which carry no gradient)."""
    return np.asarray(unbox_all(self))


def _dim(dim, axis):
    d = axis if dim is None else dim
    return tuple(d) if isinstance(d, list) else d


def _reduction(fname):
    def method(self, dim=None, keepdim=False, *, axis=None, keepdims=None, dtype=None):
        keep = keepdim if keepdims is None else keepdims
        if dtype is not None:  # as in PyTorch, the input is cast before reducing
            self = cnp.astype(self, dtype)
        return getattr(cnp, fname)(self, axis=_dim(dim, axis), keepdims=keep)

    method.__name__ = fname
    return method


def _minmax(fname):
    def method(self, dim=None, keepdim=False, *, axis=None, keepdims=None):
        keep = keepdim if keepdims is None else keepdims
        d = _dim(dim, axis)
        if isinstance(dim, Box):  # torch.max(a, b) elementwise form
            return (cnp.maximum if fname == "max" else cnp.minimum)(self, dim)
        if d is None or isinstance(d, tuple):
            return getattr(cnp, fname)(self, axis=d, keepdims=keep)
        # values at the returned indices, so that with ties the gradient goes to the
        # element whose index is reported (PyTorch's max(dim) does the same)
        arg = np.argmax if fname == "max" else np.argmin
        where = np.expand_dims(arg(_values(self), axis=d), d)
        values = cnp.take_along_axis(self, where, axis=d)
        if not keep:
            values = cnp.squeeze(values, axis=d)
            where = np.squeeze(where, axis=d)
        return _MinMax(values, Tensor._wrap(where, None))

    method.__name__ = fname
    return method


def _var(fname):
    def method(self, dim=None, unbiased=None, keepdim=False, *, axis=None, correction=None,
               ddof=None, keepdims=None):  # fmt: skip
        keep = keepdim if keepdims is None else keepdims
        if isinstance(dim, bool):  # PyTorch's var(unbiased) form
            dim, unbiased = None, dim
        if ddof is None:
            ddof = correction if correction is not None else (0 if unbiased is False else 1)
        return getattr(cnp, fname)(self, axis=_dim(dim, axis), ddof=ddof, keepdims=keep)

    method.__name__ = fname
    return method


def _view(self, *shape):
    return cnp.reshape(self, _shape_arg(shape))


def _flatten(self, start_dim=0, end_dim=-1):
    shape = self.shape
    if not shape:
        return cnp.reshape(self, (1,))
    start = start_dim % len(shape)
    end = end_dim % len(shape)
    new = shape[:start] + (int(np.prod(shape[start : end + 1])),) + shape[end + 1 :]
    return cnp.reshape(self, new)


def _permute(self, *dims):
    return cnp.transpose(self, _shape_arg(dims))


def _transpose(self, dim0=None, dim1=None):
    if dim0 is None:
        return cnp.transpose(self)
    return cnp.swapaxes(self, dim0, dim1)


def _unsqueeze(self, dim):
    return cnp.expand_dims(self, dim)


def _squeeze(self, dim=None):
    """Drop the size-1 axes among ``dim`` (an int or a tuple; all when None); axes of
    another size are left alone, as in PyTorch."""
    if dim is None:
        return cnp.squeeze(self)
    shape = self.shape
    if not shape:
        return self
    dims = tuple(dim) if isinstance(dim, (tuple, list)) else (dim,)
    axes = tuple(d % len(shape) for d in dims if shape[d] == 1)
    return cnp.squeeze(self, axis=axes) if axes else self


def _expand(self, *sizes):
    sizes = _shape_arg(sizes)
    lead = len(sizes) - self.ndim
    target = tuple((self.shape[i - lead] if s == -1 else s) for i, s in enumerate(sizes))
    return cnp.broadcast_to(self, target)


def _repeat(self, *sizes):
    """PyTorch's ``repeat`` (NumPy's ``tile``: whole copies), not NumPy's ``repeat``."""
    sizes = _shape_arg(sizes)
    if len(sizes) < self.ndim:
        raise RuntimeError(
            f"repeat(): give at least one size per dimension ({self.ndim}), got {len(sizes)}"
        )
    return cnp.tile(self, sizes)


def _sort_order(self, dim, descending):
    key = _values(self)
    if descending:
        key = -key.astype(np.int64) if key.dtype.kind in "bu" else -key
    return np.argsort(key, axis=dim, kind="stable")


def _sort(self, dim=-1, descending=False, stable=False):
    """``(values, indices)`` along ``dim``, as in PyTorch; ties keep their order."""
    order = _sort_order(self, dim, descending)
    return _Sorted(cnp.take_along_axis(self, order, axis=dim), Tensor._wrap(order, None))


def _gather(self, dim, index, *, sparse_grad=False):
    """PyTorch's ``gather``: ``out[i][j] = self[index[i][j]][j]`` for ``dim=0``. ``index``
    has ``self``'s number of dimensions and is no larger along the others."""
    idx = np.asarray(unbox_all(index))
    shape = self.shape
    if idx.dtype.kind not in "iu":
        raise RuntimeError(f"gather(): index must be an integer tensor, got dtype {idx.dtype}")
    if idx.ndim != len(shape):
        raise RuntimeError(
            f"gather(): index has {idx.ndim} dimensions but the tensor has {len(shape)}"
        )
    if not shape:
        return _gather(cnp.reshape(self, (1,)), 0, idx.reshape(1)).reshape(())
    d = dim % len(shape)
    if any(idx.shape[i] > shape[i] for i in range(len(shape)) if i != d):
        raise RuntimeError(
            f"gather(): index of shape {idx.shape} is larger than the tensor of shape "
            f"{shape} outside dimension {d}"
        )
    if idx.size and (idx.min() < 0 or idx.max() >= shape[d]):
        raise RuntimeError(f"gather(): index out of range for dimension {d} of size {shape[d]}")
    if idx.shape[:d] + idx.shape[d + 1 :] != shape[:d] + shape[d + 1 :]:
        self = self[tuple(slice(None) if i == d else slice(n) for i, n in enumerate(idx.shape))]
    return cnp.take_along_axis(self, idx, axis=d)


def _argsort(self, dim=-1, descending=False, stable=False):
    return Tensor._wrap(_sort_order(self, dim, descending), None)


def _cumulative(fname):
    def method(self, dim=None, *, axis=None, dtype=None):
        if dtype is not None:
            self = cnp.astype(self, dtype)
        return getattr(cnp, fname)(self, axis=_dim(dim, axis))

    method.__name__ = fname
    return method


def _size(self, dim=None):
    shape = self.shape
    return shape if dim is None else shape[dim]


def _to(self, *args, dtype=None, device=None, copy=False, non_blocking=False):
    """``to(dtype)``, ``to(device)``, ``to(device, dtype)``, ``to(other)`` (other's
    dtype); devices are accepted and ignored: chainrule tensors live on the CPU."""
    for a in args:
        if isinstance(a, Tensor):
            dtype = a.dtype
        elif not isinstance(a, str):  # a device string such as "cpu" is ignored
            dtype = a
    if dtype is not None and np.dtype(dtype) != self.dtype:
        return cnp.astype(self, dtype)
    return _clone(self) if copy else self


def _deepcopy(self, memo):
    if not self.is_leaf:
        raise RuntimeError("only leaf tensors support deepcopy (as in PyTorch); detach() it first")
    new = Tensor._wrap(self._value.copy(), None)
    if self.requires_grad:
        new.requires_grad_(True)
    if self.grad is not None:
        new.grad = Tensor._wrap(self.grad._value.copy(), None)
    memo[id(self)] = new
    return new


def _format(self, spec):
    if not isinstance(self._value, tuple) and self._value.ndim == 0:
        return format(self._value.item(), spec)  # f"{loss:.3f}", as in PyTorch
    return object.__format__(self, spec)


def _rebuild(cls, value, requires_grad, grad):
    t = cls._wrap(value, None)
    if requires_grad:
        t.requires_grad_(True)
    if grad is not None:
        t.grad = Tensor._wrap(grad, None)
    return t


def _reduce(self):
    """Pickling (and ``copy.copy``): values, ``requires_grad`` and ``grad``, as a new
    leaf (a graph is not saved; PyTorch does the same)."""
    grad = None if self.grad is None else self.grad._value
    return _rebuild, (type(self), self._value, self.requires_grad, grad)


def _clone(self):
    if isinstance(self, Tensor) and not self.requires_grad:
        return Tensor._wrap(self._value.copy(), None)
    return cnp.positive(self)


_TRACED_VALUE = (
    "{name}(): can't turn a value that a transform (grad, jvp, ...) is differentiating "
    "into a Python or NumPy value: the derivative would be dropped. Use cr.stop_gradient(x) "
    "if that is intended."
)


def _item(self):
    if not isinstance(self, Tensor):
        raise TypeError(_TRACED_VALUE.format(name="item"))
    if self._value.size != 1:
        raise ValueError(
            "item(): only one-element tensors can be converted to Python scalars, "
            f"got shape {self.shape}"
        )
    return self._value.item()


def _numpy(self):
    if not isinstance(self, Tensor):
        raise TypeError(_TRACED_VALUE.format(name="numpy"))
    return self._value


def _repr(self):
    body = np.array2string(self._value, separator=", ", prefix="tensor(")
    extras = []
    if self._value.dtype != np.float64 and self._value.dtype != np.int64:
        extras.append(f"dtype={self._value.dtype}")
    if self.grad_fn is not None:
        extras.append(f"grad_fn=<{self.grad_fn.prim.name}>")
    elif self.requires_grad:
        extras.append("requires_grad=True")
    return "tensor(" + body + "".join(", " + e for e in extras) + ")"


_METHODS = {
    "sum": _reduction("sum"),
    "mean": _reduction("mean"),
    "prod": _reduction("prod"),
    "all": _reduction("all"),
    "any": _reduction("any"),
    "amax": _reduction("max"),
    "amin": _reduction("min"),
    "max": _minmax("max"),
    "min": _minmax("min"),
    "var": _var("var"),
    "std": _var("std"),
    "cumsum": _cumulative("cumsum"),
    "cumprod": _cumulative("cumprod"),
    "repeat": _repeat,
    "sort": _sort,
    "argsort": _argsort,
    "gather": _gather,
    "view": _view,
    "flatten": _flatten,
    "permute": _permute,
    "transpose": _transpose,
    "t": lambda self: cnp.transpose(self),
    "unsqueeze": _unsqueeze,
    "squeeze": _squeeze,
    "expand": _expand,
    "size": _size,
    "dim": lambda self: self.ndim,
    "numel": lambda self: int(np.prod(self.shape)),
    "item": _item,
    "numpy": _numpy,
    "tolist": lambda self: _numpy(self).tolist(),
    "clone": _clone,
    "contiguous": lambda self: self,
    "cpu": lambda self: self,
    "to": _to,
    "float": lambda self: cnp.astype(self, np.float32),
    "double": lambda self: cnp.astype(self, np.float64),
    "long": lambda self: Tensor._wrap(_values(self).astype(np.int64), None),
    "int": lambda self: Tensor._wrap(_values(self).astype(np.int32), None),
    "type_as": lambda self, other: cnp.astype(self, other.dtype),
    "argmax": lambda self, dim=None, keepdim=False: Tensor._wrap(
        np.asarray(np.argmax(_values(self), axis=dim, keepdims=keepdim)), None
    ),
    "argmin": lambda self, dim=None, keepdim=False: Tensor._wrap(
        np.asarray(np.argmin(_values(self), axis=dim, keepdims=keepdim)), None
    ),
    "__repr__": _repr,
    "__deepcopy__": _deepcopy,
    "__reduce__": _reduce,
    "__format__": _format,
    "__str__": _repr,
}
add_tensor_methods(_METHODS)
add_tensor_methods({"device": property(lambda self: "cpu")})
Tensor.dtype = property(lambda self: self._value.dtype)
Tensor.shape = property(lambda self: self._value.shape)
Tensor.ndim = property(lambda self: self._value.ndim)
