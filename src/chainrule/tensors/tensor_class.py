"""The :class:`Tensor` class: an array with an eager, PyTorch-style autograd graph.

Its graph state comes from :class:`~chainrule.tensors.graph.EagerBox`, its methods from
the mixins :class:`.InplaceMethods`, :class:`.MathMethods`, :class:`.ShapeMethods`,
:class:`.ReductionMethods` and :class:`.ConversionMethods`, and its operators and
NumPy-style interface from :class:`~chainrule.core.trace.Box`. This class adds the
constructor, ``detach``, ``backward``, Python's conversions and protocols (``float(t)``,
``np.asarray(t)``, ``repr``, ``copy``, ``pickle``), and the one place where tensors are
made.

Inside a transform (``cr.grad(f)(t)``) a tensor is wrapped in the transform's boxes,
which present :data:`BoxedTensorMethods`: the same methods (so ``t.sum(dim=0)``,
``t.relu()`` work there too), with the in-place ones refusing.
"""

from __future__ import annotations

from typing import cast

import numpy as np

from chainrule.core.trace import Box
from chainrule.tensors import backward as _backward
from chainrule.tensors.conversion_methods import ConversionMethods
from chainrule.tensors.device import (
    HOST_ONLY,
    default_complex_dtype,
    device_of,
    get_default_dtype,
    to_host,
)
from chainrule.tensors.graph import EAGER
from chainrule.tensors.inplace import InplaceMethods, refusals
from chainrule.tensors.math_methods import MathMethods
from chainrule.tensors.reduction_methods import ReductionMethods
from chainrule.tensors.shape_methods import ShapeMethods

# What the boxes around a tensor present before their own NumPy-style methods (see
# chainrule.core.trace.box_type).
BoxedTensorMethods = cast(
    type[Box],
    type(
        "BoxedTensorMethods",
        (MathMethods, ShapeMethods, ReductionMethods, ConversionMethods),
        {"__slots__": (), "__module__": __name__, **refusals()},
    ),
)

_new_object = object.__new__


class Tensor(InplaceMethods, MathMethods, ShapeMethods, ReductionMethods, ConversionMethods):
    """An array with an eager, PyTorch-style autograd graph (see the module docstring)."""

    __slots__ = ()
    _boxed_methods = BoxedTensorMethods

    def __init__(self, data, *, requires_grad: bool = False, dtype=None):
        self._start(_as_array(data, dtype), None)
        if requires_grad:
            self.requires_grad_(True)

    @classmethod
    def _wrap(cls, value, node=None):
        """A ``cls`` around ``value`` (made an array unless it is one, or a tuple), at
        ``node`` in the graph; the array is not copied."""
        if not isinstance(value, (np.ndarray, tuple)) and device_of(value).type == "cpu":
            value = np.asarray(value)
        t = _new_object(cls)
        t._start(value, node)
        return t

    def _start(self, value, node) -> None:
        self._value = value
        self._trace = EAGER
        self._node = node
        self._grad = None
        self._version = 0

    def _new(self, value, node=None) -> Tensor:
        # the hot path of every operation (EagerTrace.process): no checks, no calls
        t = _new_object(Tensor)
        t._value = value
        t._trace = EAGER
        t._node = node
        t._grad = None
        t._version = 0
        return t

    @property
    def dtype(self) -> np.dtype:
        return self._value.dtype

    @property
    def shape(self) -> tuple[int, ...]:
        return self._value.shape

    @property
    def ndim(self) -> int:
        return self._value.ndim

    def detach(self) -> Tensor:
        """The same values, cut from the graph. As in PyTorch they are shared: an
        in-place change made through the result reaches this tensor too."""
        return cast(Tensor, self._alias(tracked=True))

    def backward(
        self, gradient=None, retain_graph=None, create_graph: bool = False, inputs=None
    ) -> None:
        """Accumulate d(self)/d(leaf) into ``leaf.grad`` for every leaf that requires
        grad (only into the tensors in ``inputs``, leaves or not, when it is given)."""
        _backward.backward((self,), (gradient,), retain_graph, create_graph, inputs)

    # -- Python's and NumPy's protocols ---------------------------------------------------
    def _plain_result(self, value):
        return value if isinstance(value, Box) else self._new(value)

    def __array__(self, dtype=None, copy=None) -> np.ndarray:
        # shared like PyTorch's tensor.numpy() unless NumPy asks for a copy (np.array)
        value = self._value
        if type(value) is not np.ndarray:
            where = device_of(value)
            if where.type != "cpu":
                raise TypeError(HOST_ONLY.format(name="convert", device=where))
        if dtype is not None and np.dtype(dtype) != value.dtype:
            if copy is False:
                raise ValueError(
                    f"a {value.dtype} tensor can't be viewed as {dtype} without a copy"
                )
            return value.astype(dtype)
        return value.copy() if copy else value

    def _scalar(self):
        """The Python number in a one-element tensor (``float(t)``, ``int(t)``)."""
        value = self._value
        if isinstance(value, tuple) or value.size != 1:
            raise TypeError(
                "only one-element tensors can be converted to Python scalars, got shape "
                f"{np.shape(value)}"
            )
        return to_host(value).item()

    def __float__(self) -> float:
        return float(self._scalar())

    def __int__(self) -> int:
        return int(self._scalar())  # exact for int64 (no trip through float)

    def __complex__(self) -> complex:
        return complex(self._scalar())

    def __index__(self) -> int:
        value = self._scalar()
        if not isinstance(value, int):  # bool is an int
            raise TypeError(
                "only integer tensors of a single element can be converted to an index, "
                f"got dtype {self._value.dtype}"
            )
        return value

    def __repr__(self) -> str:
        body = np.array2string(to_host(self._value), separator=", ", prefix="tensor(")
        extras = []
        where = device_of(self._value)
        if where.type != "cpu":
            extras.append(f"device='{where}'")
        dtype = self._value.dtype
        if dtype != get_default_dtype() and dtype != np.int64 and dtype != np.bool_:
            extras.append(f"dtype={self._value.dtype}")
        grad_fn = self.grad_fn
        if grad_fn is not None:
            extras.append(f"grad_fn={grad_fn!r}")  # <MultiplyBackward>, as PyTorch shows it
        elif self.requires_grad:
            extras.append("requires_grad=True")
        return "tensor(" + body + "".join(", " + e for e in extras) + ")"

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        if not isinstance(self._value, tuple) and self._value.ndim == 0:
            return format(self._value.item(), spec)  # f"{loss:.3f}", as in PyTorch
        return object.__format__(self, spec)

    def __deepcopy__(self, memo: dict) -> Tensor:
        if not self.is_leaf:
            raise RuntimeError(
                "only leaf tensors support deepcopy (as in PyTorch); detach() it first"
            )
        new = self._new(self._value.copy())
        if self.requires_grad:
            new.requires_grad_(True)
        if self._grad is not None:
            new._grad = self._new(self._grad._value.copy())
        memo[id(self)] = new
        return new

    def __reduce__(self):
        """Pickling (and ``copy.copy``): values, ``requires_grad`` and ``grad``, as a new
        leaf (a graph is not saved; PyTorch does the same)."""
        grad = None if self._grad is None else self._grad._value
        return _rebuild, (type(self), self._value, self.requires_grad, grad)


def _rebuild(cls, value, requires_grad, grad):
    t = cls._wrap(value)
    if requires_grad:
        t.requires_grad_(True)
    if grad is not None:
        t.grad = Tensor._wrap(grad)
    return t


def _as_array(data, dtype=None) -> np.ndarray:
    """A new array from ``data``. As in PyTorch, Python floats (and complex numbers) give
    the default dtype (float32 unless ``set_default_dtype`` changed it), Python ints
    int64 and bools bool; NumPy arrays, NumPy scalars and tensors keep their dtype."""
    if isinstance(data, Box):
        data = data._value
    if type(data) is not np.ndarray and device_of(data).type != "cpu":
        return data.astype(data.dtype if dtype is None else dtype, copy=True)  # stays there
    keeps_dtype = isinstance(data, (np.ndarray, np.generic))
    if isinstance(data, (list, tuple)) and any(isinstance(d, Box) for d in _flat(data)):
        data = _unbox_nested(data)
        keeps_dtype = True
    arr = np.array(data, dtype=dtype, copy=True)
    if dtype is not None or keeps_dtype:
        return arr
    if arr.dtype.kind in "fc":
        want = get_default_dtype() if arr.dtype.kind == "f" else default_complex_dtype()
        return arr if arr.dtype == want else arr.astype(want)
    if arr.dtype.kind == "i" and arr.dtype != np.int64:
        return arr.astype(np.int64)  # (NumPy's int is int32 on some platforms)
    return arr


def _flat(seq):
    for item in seq:
        if isinstance(item, (list, tuple)):
            yield from _flat(item)
        else:
            yield item


def _unbox_nested(seq):
    return [
        _unbox_nested(s)
        if isinstance(s, (list, tuple))
        else (s._value if isinstance(s, Box) else s)
        for s in seq
    ]
