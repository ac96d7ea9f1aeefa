"""Give boxes (traced values and Tensors) the array interface: operators, NumPy-style
attributes and methods, and NumPy's dispatch protocols.

The core's ``Box`` is deliberately bare; this module installs behaviour on it, the way
autograd's ``numpy_boxes`` does, so the core never imports the NumPy layer.

Plain NumPy on a traced value: ``np.sin(box)`` reaches ``Box.__array_ufunc__`` and
``np.sum(box)`` reaches ``Box.__array_function__``; both run chainrule's differentiable
version when there is one, and otherwise raise ``TypeError`` telling the user to use
``chainrule.numpy``. ``np.asarray(box)`` on a traced value (not a Tensor) raises too,
since the gradient would be silently dropped.

Boxes that hold a Tensor (a ``Tensor`` passed to ``cr.grad``, ``jvp``, ... is boxed by
the transform) keep the Tensor's PyTorch methods: the tensor layer installs its methods
through :func:`add_tensor_methods`, which also puts a :class:`_TensorMethod` on ``Box``.
On a box whose innermost value is a Tensor it gives the Tensor's version (``sum(dim=)``,
``max(dim)`` as ``(values, indices)``, ``relu``, ``view`` ...); on any other box the
NumPy-style attribute, or ``AttributeError`` where there is none.
"""

from __future__ import annotations

from types import MethodType

import numpy as np

from chainrule.core.primitive import numpy_overrides
from chainrule.core.trace import Box, unbox_all
from chainrule.tensors.graph import Tensor


def _ns():
    import chainrule.numpy as cnp

    return cnp


_resolved: dict = {}


def _fn(name):
    """``chainrule.numpy.<name>``, looked up once (the namespace imports this module)."""
    fn = _resolved.get(name)
    if fn is None:
        fn = _resolved[name] = getattr(_ns(), name)
    return fn


def _binary(name, reflected=False):
    def op(self, other):
        fn = _resolved.get(name) or _fn(name)
        return fn(other, self) if reflected else fn(self, other)

    op.__name__ = name
    return op


_OPERATORS = {
    "add": "add",
    "sub": "subtract",
    "mul": "multiply",
    "truediv": "true_divide",
    "pow": "power",
    "matmul": "matmul",
    "mod": "mod",
    "floordiv": "floor_divide",
}
for _dunder, _fname in _OPERATORS.items():
    setattr(Box, f"__{_dunder}__", _binary(_fname))
    setattr(Box, f"__r{_dunder}__", _binary(_fname, reflected=True))

for _dunder, _fname in {
    "lt": "less",
    "le": "less_equal",
    "gt": "greater",
    "ge": "greater_equal",
    "eq": "equal",
    "ne": "not_equal",
}.items():
    setattr(Box, f"__{_dunder}__", _binary(_fname))

Box.__hash__ = object.__hash__
Box.__neg__ = lambda self: _fn("negative")(self)
Box.__pos__ = lambda self: self
Box.__abs__ = lambda self: _ns().abs(self)


def _is_integral(x) -> bool:
    x = unbox_all(x)
    if isinstance(x, (bool, int)):
        return True
    return isinstance(x, np.ndarray | np.generic) and x.dtype.kind in "biu"


def _bitwise(ufunc, logical, reflected=False):
    """``&``, ``|``, ``^``: bitwise on integer and boolean values, as in PyTorch and
    NumPy (they carry no gradient, so NumPy computes them); logical on float values."""

    def op(self, other):
        a, b = (other, self) if reflected else (self, other)
        if _is_integral(a) and _is_integral(b):
            out = np.asarray(ufunc(unbox_all(a), unbox_all(b)))
            return Tensor._wrap(out, None) if isinstance(self, Tensor) else out
        return getattr(_ns(), logical)(a, b)

    return op


def _invert(self):
    if _is_integral(self):
        out = np.asarray(np.invert(unbox_all(self)))
        return Tensor._wrap(out, None) if isinstance(self, Tensor) else out
    return _ns().logical_not(self)


for _dunder, _ufunc, _logical in (
    ("and", np.bitwise_and, "logical_and"),
    ("or", np.bitwise_or, "logical_or"),
    ("xor", np.bitwise_xor, "logical_xor"),
):
    setattr(Box, f"__{_dunder}__", _bitwise(_ufunc, _logical))
    setattr(Box, f"__r{_dunder}__", _bitwise(_ufunc, _logical, reflected=True))
Box.__invert__ = _invert


def _getitem(self, index):
    from chainrule.primitives import indexing

    return indexing.getitem(self, index)


def _setitem(self, index, value):
    raise TypeError(
        "traced values are immutable: item assignment would hide the change from "
        "the derivative. Build a new array instead (cnp.where, cnp.concatenate), or "
        "use chainrule.numpy.index_update(x, index, value)."
    )


Box.__getitem__ = _getitem
Box.__setitem__ = _setitem
Box.__len__ = lambda self: len(unbox_all(self))


def _iter(self):
    """Unpack along the first axis with one ``split`` (O(n) in reverse mode, where n
    separate index operations would each build a full-size cotangent)."""
    n = len(self)
    if n == 0:
        return iter(())
    pieces = _fn("split")(self, n, axis=0)
    squeeze = _fn("squeeze")
    return (squeeze(p, axis=0) for p in pieces)


Box.__iter__ = _iter

# -- attributes -----------------------------------------------------------------------
Box.shape = property(lambda self: np.shape(unbox_all(self)))
Box.ndim = property(lambda self: np.ndim(unbox_all(self)))
Box.size = property(lambda self: np.size(unbox_all(self)))
Box.dtype = property(lambda self: np.result_type(unbox_all(self)))
Box.T = property(lambda self: _ns().transpose(self))
Box.mT = property(lambda self: _ns().swapaxes(self, -1, -2))
Box.real = property(lambda self: _ns().real(self))
Box.imag = property(lambda self: _ns().imag(self))


def _method(fname, *, self_first=True):
    def method(self, *args, **kwargs):
        return getattr(_ns(), fname)(self, *args, **kwargs)

    method.__name__ = fname
    return method


for _name in (
    "sum", "mean", "prod", "max", "min", "var", "std", "cumsum", "cumprod", "ptp",
    "dot", "ravel", "flatten", "squeeze", "swapaxes", "conj", "conjugate", "clip",
    "round", "repeat", "take", "trace", "diagonal", "argmax", "argmin", "argsort",
    "sort", "astype",
):  # fmt: skip
    setattr(Box, _name, _method(_name))


def _reshape(self, *shape, **kwargs):
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    return _ns().reshape(self, shape, **kwargs)


def _transpose(self, *axes):
    if len(axes) == 1 and isinstance(axes[0], (tuple, list)):
        axes = tuple(axes[0])
    return _ns().transpose(self, axes or None)


Box.reshape = _reshape
Box.transpose = _transpose
Box.flatten = lambda self: _ns().ravel(self)


# -- PyTorch's methods on boxes that hold a Tensor ----------------------------------------
def _holds_tensor(box) -> bool:
    """Whether the innermost value under ``box``'s boxes is a Tensor."""
    x = box._value
    while isinstance(x, Box):
        if isinstance(x, Tensor):
            return True
        x = x._value
    return False


class _TensorMethod:
    """A Tensor method (or property) ``name`` on ``Box``: the Tensor's version on a box
    that holds a Tensor, else ``numpy_attr`` (Box's NumPy-style method or property)."""

    __slots__ = ("name", "tensor_attr", "numpy_attr")

    def __init__(self, name, tensor_attr, numpy_attr):
        self.name = name
        self.tensor_attr = tensor_attr
        self.numpy_attr = numpy_attr

    def __get__(self, box, owner=None):
        if box is None:
            return self
        if _holds_tensor(box):
            attr = self.tensor_attr
            if isinstance(attr, property):
                return attr.fget(box)
            return MethodType(attr, box)
        if self.numpy_attr is None:
            raise AttributeError(f"'{type(box).__name__}' object has no attribute '{self.name}'")
        return self.numpy_attr.__get__(box, owner)


def _traced_inplace(name):
    def refuse(self, *args, **kwargs):
        raise TypeError(
            f"{name}: a value that a transform (grad, jvp, ...) is differentiating can't "
            "be changed in place; use the out-of-place form (y = y.add(v), "
            "t.masked_fill(...)) inside differentiated functions."
        )

    refuse.__name__ = name
    return refuse


def add_tensor_methods(methods: dict, *, inplace: bool = False) -> None:
    """Install ``methods`` (name -> function or property) on Tensor, and give boxes that
    hold a Tensor the same (see the module docstring). In-place methods (``inplace``)
    refuse on such boxes: a traced value is immutable. Dunder methods are Tensor's only."""
    for name, attr in methods.items():
        setattr(Tensor, name, attr)
        if name.startswith("__"):
            continue
        numpy_attr = vars(Box).get(name)
        if isinstance(numpy_attr, _TensorMethod):
            numpy_attr = numpy_attr.numpy_attr
        tensor_attr = _traced_inplace(name) if inplace else attr
        setattr(Box, name, _TensorMethod(name, tensor_attr, numpy_attr))


# -- NumPy's dispatch protocols ---------------------------------------------------------
_BITWISE = frozenset((np.bitwise_and, np.bitwise_or, np.bitwise_xor, np.invert))


def _array_ufunc(self, ufunc, method, *inputs, **kwargs):
    if ufunc in _BITWISE and method == "__call__" and not kwargs:
        if all(_is_integral(x) for x in inputs):  # no gradient: NumPy computes it
            out = np.asarray(ufunc(*(unbox_all(x) for x in inputs)))
            return Tensor._wrap(out, None) if isinstance(self, Tensor) else out
    if method == "__call__" and not kwargs.get("out"):
        kwargs.pop("out", None)
        fn = numpy_overrides.get(ufunc.__name__)
        if fn is not None and not kwargs:
            return fn(*inputs)
    raise TypeError(
        f"numpy.{ufunc.__name__} (method {method!r}) has no differentiable version for "
        "traced values with these arguments; use chainrule.numpy "
        f"(e.g. cnp.{ufunc.__name__}) instead of plain numpy"
    )


def _array_function(self, func, types, args, kwargs):
    fn = numpy_overrides.get(func.__name__)
    if (
        fn is None
        or getattr(func, "__module__", "").startswith("numpy.linalg")
        and (f"linalg.{func.__name__}" in numpy_overrides)
    ):
        fn = numpy_overrides.get(f"linalg.{func.__name__}", fn)
    if fn is None:
        raise TypeError(
            f"numpy.{func.__name__} has no differentiable version in chainrule; it would "
            "drop the gradient of a traced value. Use chainrule.numpy, or compute "
            "outside the differentiated function."
        )
    return fn(*args, **kwargs)


def _array(self, dtype=None, copy=None):
    if isinstance(self, Tensor):
        # shared like PyTorch's tensor.numpy() unless NumPy asks for a copy (np.array)
        value = self._value
        if dtype is not None and np.dtype(dtype) != value.dtype:
            if copy is False:
                raise ValueError(
                    f"a {value.dtype} tensor can't be viewed as {dtype} without a copy"
                )
            return value.astype(dtype)
        return value.copy() if copy else value
    if dtype is not None and np.dtype(dtype).kind in "biu":
        # integer or boolean values carry no gradient: nothing is dropped
        return np.asarray(unbox_all(self)).astype(dtype)
    raise TypeError(
        "can't convert a traced value to a NumPy array: that would drop its gradient. "
        "Use chainrule.numpy functions inside differentiated code (or cr.stop_gradient "
        "to drop it on purpose)."
    )


Box.__array_ufunc__ = _array_ufunc
Box.__array_function__ = _array_function
Box.__array__ = _array


def _scalar(self):
    """The Python number in a one-element Tensor (``float(t)``, ``int(t)``)."""
    if not isinstance(self, Tensor):
        raise TypeError(
            "can't convert a traced value to a Python float inside a differentiated "
            "function: the gradient would be dropped. Use cr.stop_gradient(x) if intended."
        )
    value = self._value
    if isinstance(value, tuple) or value.size != 1:
        raise TypeError(
            "only one-element tensors can be converted to Python scalars, got shape "
            f"{np.shape(value)}"
        )
    return value.item()


def _index(self):
    value = _scalar(self)
    if not isinstance(value, int):  # bool is an int
        raise TypeError(
            "only integer tensors of a single element can be converted to an index, "
            f"got dtype {self._value.dtype}"
        )
    return value


Box.__float__ = lambda self: float(_scalar(self))
Box.__int__ = lambda self: int(_scalar(self))  # exact for int64 (no trip through float)
Box.__complex__ = lambda self: complex(_scalar(self))
Box.__bool__ = lambda self: bool(unbox_all(self))
Box.__index__ = _index
