"""Traces and boxes: how a value is marked as "being differentiated".

A :class:`Trace` is one active differentiation (one call of ``grad``, ``jvp``, ... or
the eager ``Tensor`` graph). A :class:`Box` wraps a value together with the trace that
owns it. When a primitive is applied, the box of the *highest-level* trace among its
arguments wins: that trace unboxes its own boxes, applies the primitive one level down
(where boxes of outer traces are still boxes), and boxes the answer again.

Nesting and perturbation confusion: every transform gets a fresh trace with a level
higher than every trace active when it starts. A box belongs to a trace by identity
(``box._trace is self``); boxes of other traces are constants to it. So an inner
derivative of a function that only closes over the outer variable is 0, as it must be.

The only global state is the counter that numbers the levels: a new trace's level is
higher than that of every trace made before it, in any thread. A trace is retired
(``active`` false) when its transform returns, so a box that escaped it is refused
(``Primitive.__call__``); threads differentiating at once share nothing else.

A box behaves like an array: :class:`Box` declares NumPy's operators, methods and
attributes, each delegating to the operation the primitives layer registered in
:mod:`chainrule.core.array_ops`. A subclass may name methods that the boxes *around*
its instances present first (see :func:`box_type`): that is how a ``Tensor`` passed to
``cr.grad`` keeps its PyTorch methods, without the core knowing of ``Tensor``.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, ClassVar, TypeVar

from chainrule.core.array_ops import ops as _ops

# Trace levels: a new trace is above every earlier one (next() is atomic under the GIL).
_counter = itertools.count(1)


class Trace:
    """One active differentiation. Subclasses define :meth:`process`."""

    __slots__ = ("level", "active", "__weakref__")

    def __init__(self, level: int):
        self.level = level
        self.active = True

    def process(self, prim, args: tuple, kwargs: dict) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def unbox(self, prim, args: tuple, mode: str, field: str) -> tuple[list, list[int], list]:
        """``(values, argnums, fields)``: ``args`` with this trace's boxes replaced by
        their values, the positions of those boxes that ``prim`` differentiates in
        ``mode`` (``"rev"`` or ``"fwd"``; a position without a rule raises), and each
        one's ``field`` (its graph node, or its tangent). Boxes of other traces are
        constants here."""
        rules = prim.vjps if mode == "rev" else prim.jvps
        plain = not prim.zero_derivative and not prim.nondiff
        if len(args) == 1:  # without the loop; the argument is a box of this trace (the
            # only caller, Primitive.__call__, chose the trace of the boxes among args)
            a = args[0]
            # (the first test is check_rule's answer for the common case, without a call)
            if (plain and 0 in rules) or prim.check_rule(0, mode):
                return [a._value], [0], [getattr(a, field)]
            return [a._value], [], []
        vals = list(args)
        argnums = []
        fields = []
        i = 0
        for a in args:
            if isinstance(a, Box) and a._trace is self:
                vals[i] = a._value
                if (plain and i in rules) or prim.check_rule(i, mode):
                    argnums.append(i)
                    fields.append(getattr(a, field))
            i += 1
        return vals, argnums, fields

    def refuse_concrete(self, what: str) -> None:
        """Called before a box of this trace hands out a Python value to user code
        (``bool(x)``, ``float(x)``, ...); a trace that records a program raises here
        (see :mod:`chainrule.core.staging`)."""

    def note_concrete(self, fn, xs: tuple, result) -> None:
        """Called when the library takes a decision on ``result = fn(*values of xs)``
        (see :func:`concrete_read`); a trace that records a program guards it."""

    def __repr__(self) -> str:
        return f"<{type(self).__name__} level={self.level}>"


_NOT_A_NUMBER = (
    "can't convert a traced value to a Python float inside a differentiated function: "
    "the gradient would be dropped. Use cr.stop_gradient(x) if intended."
)
_IMMUTABLE = (
    "traced values are immutable: item assignment would hide the change from the "
    "derivative. Build a new array instead (cnp.where, cnp.concatenate), or use "
    "chainrule.numpy.index_update(x, index, value)."
)


def shape_arg(args: tuple) -> tuple:
    """Sizes or axes given as ``f(2, 3)`` or ``f((2, 3))`` (``reshape``, ``transpose``)."""
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        return tuple(args[0])
    return tuple(args)


class Box:
    """A value being differentiated by ``_trace``, with the interface of an array."""

    __slots__ = ("_value", "_trace", "__weakref__")
    # Make NumPy defer to our __array_ufunc__ / reflected operators.
    __array_priority__ = 100.0
    # Methods that the boxes around an instance of this class put before their own (a
    # class deriving from Box with no slots), or None; see box_type.
    _boxed_methods: ClassVar[type[Box] | None] = None

    _value: Any
    _trace: Trace

    def __init__(self, value, trace: Trace):
        self._value = value
        self._trace = trace

    @classmethod
    def register(cls, value_type: type) -> None:
        """Box ``value_type``'s instances in ``cls``, a subclass of ``Box`` and of the
        user's type (autograd's idiom for differentiating with respect to an object of a
        user's class): the boxes then have that class's methods and properties."""
        _user_box_classes[value_type] = cls

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._value!r}, level={self._trace.level})"

    def _plain_result(self, value: Any) -> Any:
        """How this box hands out the result of an operation that may give a plain
        array (``&`` on integers carries no derivative, so NumPy computes it): as it is.
        A ``Tensor`` wraps a plain array in a tensor."""
        return value

    # -- operators ----------------------------------------------------------------------
    # fmt: off
    def __add__(self, other): return _ops.add(self, other)
    def __radd__(self, other): return _ops.add(other, self)
    def __sub__(self, other): return _ops.subtract(self, other)
    def __rsub__(self, other): return _ops.subtract(other, self)
    def __mul__(self, other): return _ops.multiply(self, other)
    def __rmul__(self, other): return _ops.multiply(other, self)
    def __truediv__(self, other): return _ops.true_divide(self, other)
    def __rtruediv__(self, other): return _ops.true_divide(other, self)
    def __floordiv__(self, other): return _ops.floor_divide(self, other)
    def __rfloordiv__(self, other): return _ops.floor_divide(other, self)
    def __mod__(self, other): return _ops.mod(self, other)
    def __rmod__(self, other): return _ops.mod(other, self)
    def __pow__(self, other): return _ops.power(self, other)
    def __rpow__(self, other): return _ops.power(other, self)
    def __matmul__(self, other): return _ops.matmul(self, other)
    def __rmatmul__(self, other): return _ops.matmul(other, self)
    def __neg__(self): return _ops.negative(self)
    def __pos__(self): return self
    def __abs__(self): return _ops.abs(self)

    def __lt__(self, other): return _ops.less(self, other)
    def __le__(self, other): return _ops.less_equal(self, other)
    def __gt__(self, other): return _ops.greater(self, other)
    def __ge__(self, other): return _ops.greater_equal(self, other)
    def __eq__(self, other): return _ops.equal(self, other)
    def __ne__(self, other): return _ops.not_equal(self, other)
    __hash__ = object.__hash__  # by identity, although == compares values

    # bitwise on integers and booleans (no gradient), logical on floats
    def __and__(self, other): return self._plain_result(_ops.bitwise_and(self, other))
    def __rand__(self, other): return self._plain_result(_ops.bitwise_and(other, self))
    def __or__(self, other): return self._plain_result(_ops.bitwise_or(self, other))
    def __ror__(self, other): return self._plain_result(_ops.bitwise_or(other, self))
    def __xor__(self, other): return self._plain_result(_ops.bitwise_xor(self, other))
    def __rxor__(self, other): return self._plain_result(_ops.bitwise_xor(other, self))
    def __invert__(self): return self._plain_result(_ops.invert(self))

    # indexing (traced values are read-only: __setitem__ refuses)
    def __getitem__(self, index): return _ops.getitem(self, index)
    # fmt: on

    # -- container protocol -------------------------------------------------------------
    def __setitem__(self, index, value) -> None:
        raise TypeError(_IMMUTABLE)

    def __len__(self) -> int:
        shape = self._visible_shape()
        if not shape:
            raise TypeError("len() of a 0-d traced value")
        return shape[0]

    def __iter__(self) -> Iterator:
        """Unpack along the first axis with one ``split`` (O(n) in reverse mode, where n
        separate index operations would each build a full-size cotangent)."""
        n = len(self)
        if n == 0:
            return iter(())
        return (_ops.squeeze(p, axis=0) for p in _ops.split(self, n, axis=0))

    def __bool__(self) -> bool:
        _ask_concrete(self, "bool()")  # a staging or batching trace refuses here
        return bool(unbox_all(self))

    def _visible_shape(self) -> tuple:
        """The shape the traced function sees (a batch axis of ``vmap`` is hidden)."""
        return visible_shape(self._value)

    # -- conversions: refused where they would drop the derivative -------------------------
    def __float__(self) -> float:
        _ask_concrete(self, "float()")
        raise TypeError(_NOT_A_NUMBER)

    def __int__(self) -> int:
        _ask_concrete(self, "int()")
        raise TypeError(_NOT_A_NUMBER)

    def __complex__(self) -> complex:
        _ask_concrete(self, "complex()")
        raise TypeError(_NOT_A_NUMBER)

    def __index__(self) -> int:
        _ask_concrete(self, "use as an index")
        raise TypeError(_NOT_A_NUMBER)

    def __array__(self, dtype=None, copy=None):
        return _ops.array(self, dtype, copy)

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        return _ops.array_ufunc(self, ufunc, method, inputs, kwargs)

    def __array_function__(self, func, types, args, kwargs):
        return _ops.array_function(func, args, kwargs)

    # -- attributes ---------------------------------------------------------------------
    @property
    def shape(self) -> tuple[int, ...]:
        return _ops.shape(self)

    @property
    def ndim(self) -> int:
        return _ops.ndim(self)

    @property
    def size(self) -> int:
        return _ops.size(self)

    @property
    def dtype(self):
        return _ops.dtype(self)

    @property
    def T(self):
        return _ops.transpose(self)

    @property
    def mT(self):
        return _ops.swapaxes(self, -1, -2)

    @property
    def real(self):
        return _ops.real(self)

    @property
    def imag(self):
        return _ops.imag(self)

    # -- NumPy's methods ----------------------------------------------------------------
    # fmt: off
    def reshape(self, *shape, **kwargs): return _ops.reshape(self, shape_arg(shape), **kwargs)
    def transpose(self, *axes): return _ops.transpose(self, shape_arg(axes) or None)
    def flatten(self): return _ops.ravel(self)
    def ravel(self, *args, **kwargs): return _ops.ravel(self, *args, **kwargs)
    def squeeze(self, *args, **kwargs): return _ops.squeeze(self, *args, **kwargs)
    def swapaxes(self, *args, **kwargs): return _ops.swapaxes(self, *args, **kwargs)
    def repeat(self, *args, **kwargs): return _ops.repeat(self, *args, **kwargs)
    def take(self, *args, **kwargs): return _ops.take(self, *args, **kwargs)
    def diagonal(self, *args, **kwargs): return _ops.diagonal(self, *args, **kwargs)
    def trace(self, *args, **kwargs): return _ops.trace(self, *args, **kwargs)
    def conj(self, *args, **kwargs): return _ops.conj(self, *args, **kwargs)
    def conjugate(self, *args, **kwargs): return _ops.conjugate(self, *args, **kwargs)
    def clip(self, *args, **kwargs): return _ops.clip(self, *args, **kwargs)
    def round(self, *args, **kwargs): return _ops.round(self, *args, **kwargs)
    def astype(self, *args, **kwargs): return _ops.astype(self, *args, **kwargs)
    def sum(self, *args, **kwargs): return _ops.sum(self, *args, **kwargs)
    def mean(self, *args, **kwargs): return _ops.mean(self, *args, **kwargs)
    def prod(self, *args, **kwargs): return _ops.prod(self, *args, **kwargs)
    def max(self, *args, **kwargs): return _ops.max(self, *args, **kwargs)
    def min(self, *args, **kwargs): return _ops.min(self, *args, **kwargs)
    def ptp(self, *args, **kwargs): return _ops.ptp(self, *args, **kwargs)
    def var(self, *args, **kwargs): return _ops.var(self, *args, **kwargs)
    def std(self, *args, **kwargs): return _ops.std(self, *args, **kwargs)
    def cumsum(self, *args, **kwargs): return _ops.cumsum(self, *args, **kwargs)
    def cumprod(self, *args, **kwargs): return _ops.cumprod(self, *args, **kwargs)
    def argmax(self, *args, **kwargs): return _ops.argmax(self, *args, **kwargs)
    def argmin(self, *args, **kwargs): return _ops.argmin(self, *args, **kwargs)
    def sort(self, *args, **kwargs): return _ops.sort(self, *args, **kwargs)
    def argsort(self, *args, **kwargs): return _ops.argsort(self, *args, **kwargs)
    def dot(self, *args, **kwargs): return _ops.dot(self, *args, **kwargs)
    # fmt: on


B = TypeVar("B", bound=Box)
_box_types: dict[tuple[type, type], type] = {}
_user_box_classes: dict[type, type] = {}


def registered_box_class(value: Any) -> type | None:
    """The box class registered for the type of ``value`` (seen through boxes), or None."""
    while isinstance(value, Box):
        value = value._value
    return _user_box_classes.get(type(value)) if _user_box_classes else None


def box_type(box_class: type[B], value: Any) -> type[B]:
    """The class of a ``box_class`` box around ``value``: ``box_class`` itself, unless
    ``value`` is a box whose class names methods for the boxes around it
    (``_boxed_methods``: a Tensor's PyTorch methods); then a subclass of ``box_class``
    that puts those methods first, made once. Boxes around such a box get them too."""
    methods = value._boxed_methods if isinstance(value, Box) else None
    if methods is None:
        methods = registered_box_class(value)
    if methods is None:
        return box_class
    key = (box_class, methods)
    cls = _box_types.get(key)
    if cls is None:
        namespace = {"__slots__": (), "_boxed_methods": methods, "__module__": box_class.__module__}
        cls = _box_types[key] = type(box_class.__name__, (methods, box_class), namespace)
    return cls


@contextmanager
def new_trace(trace_type, *args):
    """Start a trace one level above every active one; always retired in ``finally``."""
    trace = trace_type(next(_counter), *args)
    try:
        yield trace
    finally:
        trace.active = False


def visible_shape(x) -> tuple:
    """``x``'s shape as the function being transformed sees it: the value's shape
    without the batch axes of the ``vmap`` transforms that ``x`` is boxed by."""
    if isinstance(x, Box):
        return x._visible_shape()
    return _plain_shape(x)


def _plain_shape(x) -> tuple:
    """The shape of an array, a scalar (``()``) or nested lists of them."""
    shape = getattr(x, "shape", None)
    if shape is not None:
        return tuple(shape)
    if isinstance(x, list):
        return (len(x), *(_plain_shape(x[0]) if x else ()))
    return ()


def refuse_batched(x, what: str) -> None:
    """Refuse a value with a ``vmap`` batch axis where code reads the value itself: it
    differs per example, so one reading of it would be wrong for all but one of them.
    ``what`` names the reader in the error."""
    if isinstance(x, Box) and visible_shape(x) != _plain_shape(unbox_all(x)):
        raise NotImplementedError(
            f"vmap: {what} reads a value that differs per example (it depends on the "
            "mapped inputs); this is not batched yet. Move it outside vmap, or map "
            "with a Python loop."
        )


def example_value(x, what: str):
    """The plain value of ``x`` for code that reads values (an index, a rank): refused
    when batched (:func:`refuse_batched`), guarded when staged (:func:`concrete_value`)."""
    refuse_batched(x, what)
    return concrete_value(x)


def _ask_concrete(x, what: str) -> None:
    """Let every trace under the boxes of ``x`` refuse to give out its Python value."""
    while isinstance(x, Box):
        x._trace.refuse_concrete(what)
        x = x._value


def concrete_value(x):
    """The plain value under the boxes of ``x``, for a decision the library takes on it
    in Python (an index array, a permutation). A program being staged records a guard:
    replayed with other values, it checks that they are the same."""
    return concrete_read(identity, x)


def identity(x):
    """The read of :func:`concrete_value` (a guard on it compares the value itself)."""
    return x


def concrete_read(fn, *xs):
    """``fn`` of the plain values under the boxes of ``xs``: a plain result (a mask, a
    flag) on which the library takes a decision in Python. A program being staged
    records a guard that recomputes ``fn`` when it is replayed and checks that the
    result is the same, so that the decision still holds."""
    result = fn(*(unbox_all(x) for x in xs))
    noted = set()
    for x in xs:
        while isinstance(x, Box):
            trace = x._trace
            if trace not in noted:
                noted.add(trace)
                trace.note_concrete(fn, xs, result)
            x = x._value
    return result


def unbox_all(x):
    """Strip every box (of any trace) from ``x``: the plain value underneath."""
    while isinstance(x, Box):
        x = x._value
    return x


def is_boxed(x) -> bool:
    return isinstance(x, Box)
