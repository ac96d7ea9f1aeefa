"""The eager graph behind :class:`Tensor` (PyTorch style).

A ``Tensor`` is a box of the single, always-active ``EagerTrace``, whose level (0) is
below every functional transform. Operations on tensors run at once; when an input
requires a gradient (and grad mode is on) a :class:`EagerNode` is recorded, and
``backward()`` sweeps those nodes with the same iterative pass as reverse mode
(:mod:`chainrule.tensors.backward`). Grad mode (``no_grad``...) lives in
:mod:`chainrule.tensors.grad_mode` and is re-exported here.

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

import weakref

import numpy as np

from chainrule.core import anomaly
from chainrule.core.backend import array_namespace
from chainrule.core.reverse import Node
from chainrule.core.trace import Box, Trace
from chainrule.tensors.grad_mode import (  # noqa: F401  (re-exported: chainrule.tensors.graph's API)
    _grad_enabled,
    _grad_mode,
    _GradMode,
    enable_grad,
    is_grad_enabled,
    no_grad,
)
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


# Arrays up to this many elements stay on a node after backward() (its forward value
# and the gradient it received), so that viz.draw can show them; larger ones are freed.
KEEP_FOR_DISPLAY = 4096


class EagerNode(Node):
    """A recorded tensor operation. Besides what the rule needs, it keeps (for display
    by ``viz``) the cotangent it received in the last backward pass in ``grad``.

    ``args`` holds the inputs as given (tensors and constants), ``saved`` their arrays
    as they were when the operation ran."""

    __slots__ = ("saved", "versions", "retained", "grad", "meta")

    def __init__(self, prim, args, saved, kwargs, ans, argnums, parents, versions, where=None):
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
        args = self.args
        if args is None:
            raise RuntimeError(_FREED.format(name=self.prim.name))
        for i, version in self.versions:
            if args[i]._version != version:
                return self._vjp_modified(g)
        if _grad_enabled.get():  # create_graph=True: rules run on recorded tensors
            return self._vjp_recorded(g, self.saved)
        return self.prim.vjp(g, self.argnums, self.ans, self.saved, self.kwargs)

    def _vjp_recorded(self, g, saved) -> list:
        """The rule on tensors attached to the graph (``create_graph=True``). Its
        operations are part of the backward pass: anomaly mode checks the cotangents
        they produce (naming this node), not each intermediate."""
        inputs = list(saved)
        for i, parent in zip(self.argnums, self.parents):
            inputs[i] = Tensor._wrap(saved[i], parent)
        token = anomaly._enabled.set(False)
        try:
            try:
                ans = self.prim(*inputs, **self.kwargs)
            except _StaleRead as err:  # then rules that use the output fail alike
                if not isinstance(self.ans, np.ndarray):
                    raise
                ans = Tensor._wrap(_Stale.of(self.ans, err.argnum), None)
            return self.prim.vjp(g, self.argnums, ans, inputs, self.kwargs)
        finally:
            anomaly._enabled.reset(token)

    def _vjp_modified(self, g) -> list:
        """The rule when an input was modified in place since: fine unless the rule
        reads that input's values."""
        saved = list(self.saved)
        for i, version in self.versions:
            if self.args[i]._version != version:
                if not isinstance(saved[i], np.ndarray):
                    self._refuse(i)
                saved[i] = _Stale.of(saved[i], i)
        try:
            if _grad_enabled.get():
                return self._vjp_recorded(g, saved)
            return self.prim.vjp(g, self.argnums, self.ans, saved, self.kwargs)
        except _StaleRead as err:
            self._refuse(err.argnum)

    def _refuse(self, i: int):
        a = self.args[i]
        old = dict(self.versions)[i]
        raise RuntimeError(
            _MODIFIED.format(i=i, name=self.prim.name, shape=a.shape, old=old, new=a._version)
        ) from None

    def release(self) -> None:
        """Free the saved inputs; keep the forward value only if it is small, and its
        shape and dtype always (``meta``). Static keyword arguments are kept."""
        self.args = None
        self.saved = None
        ans = self.ans
        if isinstance(ans, np.ndarray):
            self.meta = (ans.shape, ans.dtype)
            if ans.size > KEEP_FOR_DISPLAY:
                self.ans = None
        else:
            self.ans = None


class TensorLeaf(Node):
    """The graph's handle on a leaf tensor that requires grad (PyTorch's AccumulateGrad).
    ``grad`` holds what the last backward pass sent it (for display; ``.grad`` on the
    tensor is the accumulated sum)."""

    __slots__ = ("tensor", "grad")

    def __init__(self, tensor):
        self.prim = None
        self.args = self.kwargs = self.ans = None
        self.argnums = self.parents = ()
        self.where = None
        self.tensor = weakref.ref(tensor)
        self.grad = None


class EagerTrace(Trace):
    __slots__ = ()

    def process(self, prim, args, kwargs):
        if len(args) == 1 and not kwargs:
            return self._process_unary(prim, args[0])
        vals = list(args)
        argnums = []
        parents = []
        versions = []
        record = _grad_enabled.get() and not prim.zero_derivative
        i = 0
        for a in args:
            if isinstance(a, Box):  # only tensors reach the bottom trace
                vals[i] = a._value
                versions.append((i, a._version))
                node = a._node
                if (
                    record
                    and node is not None
                    and (i in prim.vjps or prim.check_rule(i, "rev"))
                    and i not in prim.nondiff
                ):
                    argnums.append(i)
                    parents.append(node)
            i += 1
        ans = prim.impl(array_namespace(vals), *vals, **kwargs)
        if type(ans) is not np.ndarray and not isinstance(ans, np.ndarray | tuple):
            ans = np.asarray(ans)  # NumPy scalars become 0-d arrays, as tensor values
        where = None
        if anomaly._enabled.get():
            anomaly.check_forward(prim.name, ans)
            where = anomaly.user_line()
        if not argnums:
            return _tensor(ans, None)
        node = EagerNode(prim, args, vals, kwargs, ans, argnums, parents, versions, where)
        return _tensor(ans, node)

    def _process_unary(self, prim, a):
        """The same as :meth:`process` for the common one-argument call (a tensor)."""
        value = a._value
        ans = prim.impl(array_namespace((value,)), value)
        if type(ans) is not np.ndarray and not isinstance(ans, (np.ndarray, tuple)):
            ans = np.asarray(ans)
        where = None
        if anomaly._enabled.get():
            anomaly.check_forward(prim.name, ans)
            where = anomaly.user_line()
        node = a._node
        if (
            node is None
            or prim.zero_derivative
            or not _grad_enabled.get()
            or not (0 in prim.vjps or prim.check_rule(0, "rev"))
        ):
            return _tensor(ans, None)
        node = EagerNode(prim, (a,), (value,), {}, ans, [0], [node], [(0, a._version)], where)
        return _tensor(ans, node)


EAGER = EagerTrace(0)


def _as_array(data, dtype=None):
    """A new array from ``data``. Python floats give float64 (NumPy's default and ours);
    NumPy arrays and scalars keep their dtype, so float32 stays float32 as in PyTorch."""
    if isinstance(data, Box):
        data = data._value
    if isinstance(data, (list, tuple)) and any(isinstance(d, Box) for d in _flat(data)):
        data = _unbox_nested(data)
    return np.array(data, dtype=dtype, copy=True)


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


class Tensor(Box):
    """An array with an eager, PyTorch-style autograd graph.

    Most methods (arithmetic, ``sum``, ``reshape``, ...) are installed by the primitives
    layer and by :mod:`chainrule.tensors` (and ``tensor_inplace``); the core defines the
    graph-related ones.
    """

    # _base (set only on tensors made by detach() or .data, see _alias): the tensor whose
    # values this one shares, for chainrule.tensors.inplace's operations
    __slots__ = ("_node", "_grad", "_version", "_base")

    def __init__(self, data, *, requires_grad: bool = False, dtype=None):
        self._value = _as_array(data, dtype)
        self._trace = EAGER
        self._node = None
        self._grad = None
        self._version = 0
        if requires_grad:
            self.requires_grad_(True)

    @classmethod
    def _wrap(cls, value, node):
        t = cls.__new__(cls)
        if not isinstance(value, (np.ndarray, tuple)):
            value = np.asarray(value)
        t._value = value
        t._trace = EAGER
        t._node = node
        t._grad = None
        t._version = 0
        return t

    @property
    def grad(self):
        """The accumulated gradient (a ``Tensor``), or ``None``."""
        return self._grad

    @grad.setter
    def grad(self, value) -> None:
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(
                    f"assigned grad expected to be a Tensor or None but got {type(value).__name__}"
                )
            if value._value.shape != self._value.shape:
                raise RuntimeError(
                    f"attempting to assign a gradient of shape {value._value.shape} to a "
                    f"tensor of shape {self._value.shape}; they must be the same"
                )
        self._grad = value

    # -- graph state --------------------------------------------------------------------
    @property
    def requires_grad(self) -> bool:
        return self._node is not None

    @requires_grad.setter
    def requires_grad(self, flag: bool) -> None:
        self.requires_grad_(flag)

    def requires_grad_(self, flag: bool = True) -> Tensor:
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
    def grad_fn(self):
        node = self._node
        return None if node is None or isinstance(node, TensorLeaf) else node

    def retain_grad(self) -> None:
        """Keep ``.grad`` for this non-leaf tensor after ``backward()``."""
        if self._node is None:
            raise RuntimeError("can't retain_grad on a tensor that doesn't require grad")
        if isinstance(self._node, EagerNode):
            self._node.retained = weakref.ref(self)

    def detach(self) -> Tensor:
        """The same values, cut from the graph. As in PyTorch they are shared: an
        in-place change made through the result reaches this tensor too."""
        return _alias(self, tracked=True)

    # -- backward -----------------------------------------------------------------------
    def backward(
        self, gradient=None, retain_graph=None, create_graph: bool = False, inputs=None
    ) -> None:
        """Accumulate d(self)/d(leaf) into ``leaf.grad`` for every leaf that requires
        grad (only into the tensors in ``inputs``, leaves or not, when it is given)."""
        _backward.backward((self,), (gradient,), retain_graph, create_graph, inputs)


def _tensor(value, node) -> Tensor:
    """``Tensor._wrap`` for the trace's own results (already arrays or tuples): the
    operation's hot path, so no checks and no bound classmethod."""
    t = _new_object(Tensor)
    t._value = value
    t._trace = EAGER
    t._node = node
    t._grad = None
    t._version = 0
    return t


_new_object = object.__new__


def _alias(t: Tensor, tracked: bool) -> Tensor:
    """A tensor without a graph sharing ``t``'s values (``detach()``, ``.data``): its
    ``_base`` is ``(weakref to the base, tracked)``. The reference is weak so that a
    detached value kept for logging does not keep the base's graph alive."""
    new = Tensor._wrap(t._value, None)
    link = getattr(t, "_base", None)
    new._base = (weakref.ref(t) if link is None else link[0], tracked)
    return new


# The backward pass needs Tensor and the node types, so it is imported last (a cycle).
from chainrule.tensors import backward as _backward  # noqa: E402
