"""The eager graph behind :class:`Tensor` (PyTorch style).

A ``Tensor`` is a box of the single, always-active ``EagerTrace``, whose level (0) is
below every functional transform. Operations on tensors run at once; when an input
requires a gradient (and grad mode is on) a :class:`EagerNode` is recorded, and
``backward()`` sweeps those nodes with the same iterative pass as reverse mode.

Saved values: a node keeps its input tensors and their version counters. In-place
operations never write into a saved buffer (they rebind the tensor to a new array) and
bump the version, so ``backward`` can tell that an input changed and refuse, as
PyTorch does. After ``backward()`` without ``retain_graph`` each node drops what it
saved, which both frees the memory and makes a second ``backward()`` fail clearly.

With ``create_graph=True`` the rules run on tensors instead of raw arrays, so the
gradient is itself recorded and can be differentiated again; each node re-runs its
forward on its input tensors to get a recorded output for rules that use it.
"""

from __future__ import annotations

import contextvars
import weakref
from contextlib import contextmanager

import numpy as np

from chainrule.core import anomaly
from chainrule.core.backend import array_namespace
from chainrule.core.reverse import Node, backward_pass
from chainrule.core.trace import Box, Trace

_grad_enabled: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "chainrule_grad_enabled", default=True
)

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


class _GradMode:
    """Context manager and decorator setting grad mode (``no_grad``/``enable_grad``)."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self._tokens = []

    def __enter__(self):
        self._tokens.append(_grad_enabled.set(self.enabled))
        return self

    def __exit__(self, *exc):
        _grad_enabled.reset(self._tokens.pop())
        return False

    def __call__(self, fun):
        import functools

        @functools.wraps(fun)
        def wrapper(*args, **kwargs):
            with _GradMode(self.enabled):
                return fun(*args, **kwargs)

        return wrapper


def no_grad() -> _GradMode:
    """Don't record operations on tensors (inference, optimizer updates)."""
    return _GradMode(False)


def enable_grad() -> _GradMode:
    return _GradMode(True)


def is_grad_enabled() -> bool:
    return _grad_enabled.get()


@contextmanager
def _grad_mode(enabled: bool):
    token = _grad_enabled.set(enabled)
    try:
        yield
    finally:
        _grad_enabled.reset(token)


# Arrays up to this many elements stay on a node after backward() (its forward value
# and the gradient it received), so that viz.draw can show them; larger ones are freed.
KEEP_FOR_DISPLAY = 4096


class EagerNode(Node):
    """A recorded tensor operation. Besides what the rule needs, it keeps (for display
    by ``viz``) the cotangent it received in the last backward pass in ``grad``."""

    __slots__ = ("versions", "retained", "grad", "meta")

    def __init__(self, prim, args, kwargs, ans, argnums, parents, versions, where=None):
        self.prim = prim
        self.args = args
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
        raw = list(args)
        for i, version in self.versions:
            a = args[i]
            if a._version != version:
                raise RuntimeError(
                    _MODIFIED.format(
                        i=i, name=self.prim.name, shape=a.shape, old=version, new=a._version
                    )
                )
            raw[i] = a._value
        if _grad_enabled.get():  # create_graph=True: rules run on recorded tensors
            ans = self.prim(*args, **self.kwargs)
            return self.prim.vjp(g, self.argnums, ans, args, self.kwargs)
        return self.prim.vjp(g, self.argnums, self.ans, raw, self.kwargs)

    def release(self) -> None:
        """Free the saved inputs; keep the forward value only if it is small, and its
        shape and dtype always (``meta``). Static keyword arguments are kept."""
        self.args = None
        ans = self.ans
        if isinstance(ans, np.ndarray):
            self.meta = (ans.shape, ans.dtype)
            if ans.size > KEEP_FOR_DISPLAY:
                self.ans = None
        else:
            self.ans = None


class TensorLeaf(Node):
    """The graph's handle on a leaf tensor that requires grad (PyTorch's AccumulateGrad)."""

    __slots__ = ("tensor",)

    def __init__(self, tensor):
        self.prim = None
        self.args = self.kwargs = self.ans = None
        self.argnums = self.parents = ()
        self.where = None
        self.tensor = weakref.ref(tensor)


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
            return Tensor._wrap(ans, None)
        node = EagerNode(prim, args, kwargs, ans, argnums, parents, versions, where)
        return Tensor._wrap(ans, node)

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
            return Tensor._wrap(ans, None)
        args = (a,)
        node = EagerNode(prim, args, {}, ans, [0], [node], [(0, a._version)], where)
        return Tensor._wrap(ans, node)


EAGER = EagerTrace(0)


def _as_array(data, dtype=None):
    if isinstance(data, Box):
        data = data._value
    if isinstance(data, (list, tuple)) and any(isinstance(d, Box) for d in _flat(data)):
        data = _unbox_nested(data)
    arr = np.array(data, dtype=dtype, copy=True) if dtype is not None else np.array(data)
    if dtype is None and arr.dtype.kind == "f" and not isinstance(data, np.ndarray):
        arr = arr.astype(np.float64, copy=False)
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


class Tensor(Box):
    """An array with an eager, PyTorch-style autograd graph.

    Most methods (arithmetic, ``sum``, ``reshape``, ...) are installed by the primitives
    layer and by :mod:`chainrule.tensor`; the core defines the graph-related ones.
    """

    __slots__ = ("_node", "grad", "_version")

    def __init__(self, data, *, requires_grad: bool = False, dtype=None):
        self._value = _as_array(data, dtype)
        self._trace = EAGER
        self._node = None
        self.grad = None
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
        t.grad = None
        t._version = 0
        return t

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
        """The same values, cut from the graph (shares memory, as in PyTorch)."""
        return Tensor._wrap(self._value, None)

    # -- backward -----------------------------------------------------------------------
    def backward(self, gradient=None, retain_graph=None, create_graph: bool = False) -> None:
        """Accumulate d(self)/d(leaf) into ``leaf.grad`` for every leaf that requires grad."""
        if self._node is None:
            raise RuntimeError(
                "backward(): this tensor does not require grad and has no graph; did you "
                "forget requires_grad=True on an input, or compute it under no_grad()?"
            )
        if gradient is None:
            if self._value.size != 1:
                raise RuntimeError(
                    "backward(): grad can be implicitly created only for scalar outputs; "
                    f"this tensor has shape {self._value.shape}. Pass gradient=..."
                )
            g = np.ones_like(self._value)
        else:
            g = np.asarray(gradient._value if isinstance(gradient, Box) else gradient)
            g = g.astype(self._value.dtype, copy=False)
            if g.shape != self._value.shape:
                raise RuntimeError(
                    f"backward(): gradient has shape {g.shape} but the tensor has shape "
                    f"{self._value.shape}"
                )
        if retain_graph is None:
            retain_graph = create_graph
        if create_graph:
            g = Tensor._wrap(g, None)
        with _grad_mode(create_graph):
            handed = {id(g._value if isinstance(g, Tensor) else g)}

            def visit(node, ct):
                _accumulate(node, ct, retain_graph, handed)

            backward_pass(self._node, g, visit=visit, release=not retain_graph)


def _accumulate(node, ct, keep_all: bool, handed: set) -> None:
    """Record ``ct`` on ``node`` (for display) and add it to the ``.grad`` of the tensor
    the node stands for (a leaf, or a non-leaf that called ``retain_grad``).

    A gradient array is handed to ``.grad`` without a copy when this backward pass made
    it and has not handed it out already (``handed`` holds the ids given out); views and
    shared arrays are copied, so two tensors never share a ``.grad`` buffer."""
    if type(node) is EagerNode:
        raw = ct._value if isinstance(ct, Tensor) else ct
        if type(raw) is np.ndarray:
            small = raw.size <= KEEP_FOR_DISPLAY
        else:
            small = not isinstance(raw, tuple) and np.size(raw) <= KEEP_FOR_DISPLAY
        if keep_all or small:
            node.grad = raw
        else:
            node.grad = None
        ref = node.retained
        if ref is None:
            return
    elif type(node) is TensorLeaf:
        ref = node.tensor
    else:
        return
    tensor = ref()
    if tensor is None:
        return
    if not isinstance(ct, Tensor):
        ct = Tensor._wrap(np.asarray(ct, dtype=tensor._value.dtype), None)
    if ct._value.shape != tensor._value.shape:
        ct = Tensor._wrap(np.broadcast_to(ct._value, tensor._value.shape).copy(), None)
    if tensor.grad is None:
        if ct._node is None:
            arr = ct._value
            if arr.base is not None or not arr.flags.writeable or id(arr) in handed:
                arr = arr.copy()
            handed.add(id(arr))
            ct = Tensor._wrap(arr, None)
        tensor.grad = ct
    else:
        tensor.grad = tensor.grad + ct
