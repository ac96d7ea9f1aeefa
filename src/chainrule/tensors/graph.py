"""The eager graph behind :class:`~chainrule.tensors.Tensor` (PyTorch style).

A tensor is a box of the single, always-active :class:`EagerTrace`, whose level (0) is
below every functional transform; :class:`EagerBox` is its graph state (the node it
stands for, its accumulated ``.grad``, its version counter), and the ``Tensor`` class
(:mod:`chainrule.tensors.tensor_class`) adds the methods. Operations on tensors run at once;
when an input requires a gradient (and grad mode is on, :mod:`.grad_mode`) an
:class:`EagerNode` is recorded, and ``backward()`` sweeps those nodes with the same
iterative pass as reverse mode (:mod:`chainrule.tensors.backward`). The trace makes its
results through the input tensors (``_new``), so this module does not depend on the
Tensor class.

Saved values: a node keeps its inputs' arrays as they were when it ran, the input
tensors themselves and their version counters. In-place operations never write into a
saved buffer (they rebind the tensor to a new array) and bump the version. When
``backward`` finds that an input changed since, it runs the rule with that input's
saved array marked as stale: the rule may use its shape and dtype, but if it reads the
values (as ``sin`` or ``x * x`` do, and ``x + y`` or ``sum`` do not) ``backward``
refuses, as PyTorch does (:mod:`chainrule.tensors.stale`). After ``backward()`` without
``retain_graph`` each node drops what it saved, which both frees the memory and makes a
second ``backward()`` fail clearly.

With ``create_graph=True`` the rules run on tensors instead of raw arrays, so the
gradient is itself recorded and can be differentiated again; each node re-runs its
forward on its saved inputs (as tensors attached to its parents) to get a recorded
output for rules that use it.
"""

from __future__ import annotations

import warnings
import weakref
from typing import Any, NoReturn, TypeVar

import numpy as np

from chainrule.core import anomaly
from chainrule.core.backend import DeviceMismatchError, array_namespace, is_foreign_array
from chainrule.core.primitive import Primitive
from chainrule.core.reverse import Node
from chainrule.core.trace import Box, Trace
from chainrule.tensors.device import TensorDeviceError, two_devices
from chainrule.tensors.grad_mode import _grad_enabled
from chainrule.tensors.promotion import PROMOTING, promoted
from chainrule.tensors.stale import _Stale, _StaleRead

_FREED = (
    "Trying to backward through the graph a second time: the values saved for the "
    "backward pass of '{name}' were freed by the first backward(). Pass "
    "retain_graph=True to the first backward() call if you need to backward twice."
)
_MODIFIED = (
    "A value needed for gradient computation was modified by an in-place operation: "
    "input {i} of '{name}' (shape {shape}) was at version {old} when it was used and "
    "is now at version {new}. Clone it before modifying it in place (t.clone()), or "
    "use an out-of-place operation."
)

_NON_LEAF_GRAD = (
    "The .grad attribute of a tensor that is not a leaf is being read. backward() does "
    "not fill it for non-leaf tensors; call .retain_grad() on the tensor before "
    "backward() if you want its gradient, or read .grad of the leaf you meant instead."
)

# Arrays up to this many elements stay on a node after backward() (its forward value
# and the gradient it received), so that viz.draw can show them; larger ones are freed.
KEEP_FOR_DISPLAY = 4096

T = TypeVar("T", bound="EagerBox")


class EagerBox(Box):
    """A box of the eager trace: a tensor's graph state. ``_node`` is what the graph
    knows it by (a :class:`TensorLeaf`, an :class:`EagerNode`, or None when it does not
    require grad), ``_grad`` its accumulated gradient, ``_version`` counts its in-place
    changes, and ``_base`` (only on tensors made by ``detach()`` or ``.data``) links the
    tensor whose values it shares."""

    __slots__ = ("_node", "_grad", "_version", "_base")

    _node: Node | None
    _grad: EagerBox | None
    _version: int
    _base: tuple[weakref.ref[EagerBox], bool]

    def _new(self, value, node: Node | None = None) -> EagerBox:
        """A new plain tensor (never a subclass such as ``nn.Parameter``) holding
        ``value``, an array or a tuple of arrays, at ``node`` in the graph."""
        raise NotImplementedError  # the Tensor class makes them

    @property
    def grad(self) -> EagerBox | None:
        """The accumulated gradient (a ``Tensor``), or ``None``. Reading ``None`` on a
        non-leaf tensor warns, as in PyTorch, unless ``retain_grad()`` was called:
        ``backward()`` fills ``.grad`` only for leaves (and for ``inputs=``)."""
        node = self._node
        if self._grad is None and type(node) is EagerNode and node.retained is None:
            warnings.warn(_NON_LEAF_GRAD, UserWarning, stacklevel=2)
        return self._grad

    @grad.setter
    def grad(self, value: EagerBox | None) -> None:
        if value is not None:
            if not isinstance(value, EagerBox):
                raise TypeError(
                    f"assigned grad expected to be a Tensor or None but got {type(value).__name__}"
                )
            if value._value.shape != self._value.shape:
                raise RuntimeError(
                    f"attempting to assign a gradient of shape {value._value.shape} to a "
                    f"tensor of shape {self._value.shape}; they must be the same"
                )
        self._grad = value

    @property
    def requires_grad(self) -> bool:
        return self._node is not None

    @requires_grad.setter
    def requires_grad(self, flag: bool) -> None:
        self.requires_grad_(flag)

    def requires_grad_(self: T, flag: bool = True) -> T:
        if flag:
            if self._node is None:
                if self._value.dtype.kind not in "fc":
                    raise RuntimeError(
                        "only floating point tensors can require gradients, "
                        f"got dtype {self._value.dtype}"
                    )
                self._node = TensorLeaf(self)
        else:
            if self._node is not None and not self.is_leaf:
                raise RuntimeError(
                    "you can only change requires_grad of leaf tensors; use detach() "
                    "to get a tensor without a graph"
                )
            self._node = None
        return self

    @property
    def is_leaf(self) -> bool:
        return self._node is None or isinstance(self._node, TensorLeaf)

    @property
    def grad_fn(self) -> EagerNode | None:
        node = self._node
        return node if isinstance(node, EagerNode) else None

    def retain_grad(self) -> None:
        """Keep ``.grad`` for this non-leaf tensor after ``backward()``."""
        if self._node is None:
            raise RuntimeError("can't retain_grad on a tensor that doesn't require grad")
        if isinstance(self._node, EagerNode):
            self._node.retained = weakref.ref(self)


class EagerNode(Node):
    """A recorded tensor operation. Besides what the rule needs, it keeps (for display
    by ``viz``) the cotangent it received in the last backward pass in ``grad``.

    ``args`` holds the inputs as given (tensors and constants), ``saved`` their arrays
    as they were when the operation ran."""

    __slots__ = ("saved", "versions", "retained", "grad", "meta")

    prim: Primitive
    args: tuple | None
    kwargs: dict
    saved: list | None
    versions: list[tuple[int, int]]
    retained: weakref.ref[EagerBox] | None

    def __init__(self, prim, args, saved, kwargs, ans, argnums, parents, versions, where=None):
        # every slot set here rather than through Node.__init__: one call less per operation
        self.prim = prim
        self.args = args
        self.saved = saved
        self.kwargs = kwargs
        self.ans = ans
        self.argnums = argnums
        self.parents = parents
        self.where = where
        # (position, version) of each tensor input, to detect in-place changes later
        self.versions = versions
        self.retained = None
        self.grad = None
        self.meta = None

    def vjp(self, g) -> list:
        args, saved = self.args, self.saved
        if args is None or saved is None:
            raise RuntimeError(_FREED.format(name=self.prim.name))
        for i, version in self.versions:
            if args[i]._version != version:
                return self._vjp_modified(g, args, saved)
        if _grad_enabled.get():  # create_graph=True: rules run on recorded tensors
            return self._vjp_recorded(g, args, saved)
        return self.prim.vjp(g, self.argnums, self.ans, saved, self.kwargs)

    def _vjp_recorded(self, g, args: tuple, saved: list) -> list:
        """The rule on tensors attached to the graph (``create_graph=True``). Its
        operations are part of the backward pass: anomaly mode checks the cotangents
        they produce (naming this node), not each intermediate."""
        inputs = list(saved)
        for i, parent in zip(self.argnums, self.parents):
            inputs[i] = args[i]._new(saved[i], parent)
        token = anomaly._enabled.set(False)
        try:
            try:
                ans = self.prim(*inputs, **self.kwargs)
            except _StaleRead as err:  # then rules that use the output fail alike
                if not isinstance(self.ans, np.ndarray):
                    raise
                ans = args[self.argnums[0]]._new(_Stale.of(self.ans, err.argnum))
            return self.prim.vjp(g, self.argnums, ans, inputs, self.kwargs)
        finally:
            anomaly._enabled.reset(token)

    def _vjp_modified(self, g, args: tuple, saved: list) -> list:
        """The rule when an input was modified in place since: fine unless the rule
        reads that input's values."""
        saved = list(saved)
        for i, version in self.versions:
            if args[i]._version != version:
                if not isinstance(saved[i], np.ndarray):
                    self._refuse(args[i], i)
                saved[i] = _Stale.of(saved[i], i)
        try:
            if _grad_enabled.get():
                return self._vjp_recorded(g, args, saved)
            return self.prim.vjp(g, self.argnums, self.ans, saved, self.kwargs)
        except _StaleRead as err:
            self._refuse(args[err.argnum], err.argnum)

    def _refuse(self, a: EagerBox, i: int) -> NoReturn:
        old = dict(self.versions)[i]
        raise RuntimeError(
            _MODIFIED.format(i=i, name=self.prim.name, shape=a.shape, old=old, new=a._version)
        ) from None

    def name(self) -> str:
        """The node's name in PyTorch's style: ``MultiplyBackward`` for ``multiply``."""
        return "".join(p[:1].upper() + p[1:] for p in self.prim.name.split("_")) + "Backward"

    @property
    def next_functions(self) -> tuple:
        """The nodes this one passes cotangents to, as ``(node, 0)`` pairs in PyTorch's
        layout (only the inputs that need a gradient are listed)."""
        return tuple((parent, 0) for parent in self.parents)

    def __repr__(self) -> str:
        return f"<{self.name()}>"

    def release(self) -> None:
        """Drop the inputs (so a second ``backward()`` fails clearly). Their saved arrays
        and the forward value are kept only when all are small, for ``viz`` to show and
        explain after ``backward()``; the output's shape and dtype always (``meta``).
        Static keyword arguments are kept."""
        self.args = None
        saved = self.saved
        if saved is not None:
            for value in saved:
                if type(value) is np.ndarray:
                    if value.size > KEEP_FOR_DISPLAY:
                        self.saved = None
                        break
                elif not _small(value):
                    self.saved = None
                    break
        ans = self.ans
        if isinstance(ans, np.ndarray):
            self.meta = (ans.shape, ans.dtype)
            if ans.size > KEEP_FOR_DISPLAY:
                self.ans = None
        else:
            self.ans = None


_ARRAY_OR_TUPLE = (np.ndarray, tuple)
_NUMBERS = frozenset({float, int, bool, complex})  # (operands that are never arrays)


def _small(value) -> bool:
    """Whether a saved value is cheap enough to keep after ``backward()``."""
    size = getattr(value, "size", 1)
    return not isinstance(size, int) or size <= KEEP_FOR_DISPLAY


class TensorLeaf(Node):
    """The graph's handle on a leaf tensor that requires grad (PyTorch's AccumulateGrad).
    ``grad`` holds what the last backward pass sent it (for display; ``.grad`` on the
    tensor is the accumulated sum)."""

    __slots__ = ("tensor", "grad")

    def __init__(self, tensor: EagerBox):
        super().__init__()
        self.tensor = weakref.ref(tensor)
        self.grad: Any = None

    def name(self) -> str:
        return "AccumulateGrad"  # PyTorch's name for where a leaf's gradient lands

    @property
    def next_functions(self) -> tuple:
        return ()

    def __repr__(self) -> str:
        return f"<{self.name()}>"


class EagerTrace(Trace):
    """The bottom trace (level 0), always active: see the module docstring."""

    __slots__ = ()

    def process(self, prim, args, kwargs):
        if len(args) == 1 and not kwargs:
            # The common one-argument call, without the loop and the argument tuple
            # below (a measurable share of a small operation's cost). The argument is a
            # tensor: Primitive.__call__ chose this trace for it.
            tensor = args[0]
            value = tensor._value
            xp = np if type(value) is np.ndarray else array_namespace((value,), prim.name)
            ans = prim.impl(xp, value)
            if prim.name in PROMOTING and ans.dtype is not value.dtype:
                ans = promoted(ans, (value,))  # sqrt(int) has the default dtype
            node = tensor._node
            if (
                node is not None
                and not prim.zero_derivative
                and _grad_enabled.get()
                and _differentiated(prim, 0)
            ):
                argnums, parents = [0], [node]
                vals, versions = [value], [(0, tensor._version)]
            else:
                argnums = None
        else:
            vals = list(args)
            argnums = []
            parents = []
            versions = []
            record = not prim.zero_derivative and _grad_enabled.get()
            i = 0
            for a in args:
                if isinstance(a, EagerBox):  # only tensors reach the bottom trace
                    tensor = a
                    vals[i] = a._value
                    versions.append((i, a._version))
                    node = a._node
                    if record and node is not None and _differentiated(prim, i):
                        argnums.append(i)
                        parents.append(node)
                i += 1
            try:
                ans = prim.impl(array_namespace(vals, prim.name), *vals, **kwargs)
            except DeviceMismatchError as err:
                raise TensorDeviceError(two_devices(prim.name, vals, err)) from err
            if prim.name in PROMOTING:
                # PyTorch's type promotion, which can differ from NumPy's only when an
                # array operand's dtype is not the answer's
                dtype = ans.dtype
                for v in vals:
                    t = type(v)
                    if t is np.ndarray or (t not in _NUMBERS and is_foreign_array(v)):
                        if v.dtype is dtype:
                            continue
                        ans = promoted(ans, vals)
                        break
        if type(ans) is not np.ndarray and not isinstance(ans, _ARRAY_OR_TUPLE):
            if not is_foreign_array(ans):  # (a device array stays where it is)
                ans = np.asarray(ans)  # NumPy scalars become 0-d arrays, as tensor values
        where = None
        if anomaly._enabled.get():
            anomaly.check_forward(prim.name, ans)
            where = anomaly.user_line()
        if not argnums:
            return tensor._new(ans, None)
        node = EagerNode(prim, args, vals, kwargs, ans, argnums, parents, versions, where)
        return tensor._new(ans, node)


def _differentiated(prim: Primitive, i: int) -> bool:
    """Whether the graph records argument ``i`` of ``prim``, a primitive that is not
    ``zero_derivative`` (raises if the argument has no rule)."""
    # (i in prim.vjps: check_rule's answer for the common case, without its call)
    return (i in prim.vjps or prim.check_rule(i, "rev")) and i not in prim.nondiff


EAGER = EagerTrace(0)
