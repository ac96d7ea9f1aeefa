"""``Tensor.backward``: the eager backward pass and how gradients reach ``.grad``.

The sweep itself is reverse mode's (:func:`chainrule.core.reverse.backward_pass`);
this module seeds it, runs it in the right grad mode (on only for
``create_graph=True``, so that the rules are recorded), and accumulates what reaches
each leaf, or each tensor in ``inputs=``, into its ``.grad``.
"""

from __future__ import annotations

import numpy as np

from chainrule.core import anomaly
from chainrule.core.eager import KEEP_FOR_DISPLAY, EagerNode, Tensor, TensorLeaf
from chainrule.core.grad_mode import _grad_mode
from chainrule.core.reverse import backward_pass
from chainrule.core.trace import Box


def backward(
    tensor: Tensor, gradient=None, retain_graph=None, create_graph: bool = False, inputs=None
) -> None:
    """``tensor.backward(...)``: see :meth:`Tensor.backward`."""
    if tensor._node is None:
        raise RuntimeError(
            "backward(): this tensor does not require grad and has no graph; did you "
            "forget requires_grad=True on an input, or compute it under no_grad()?"
        )
    if gradient is None:
        if tensor._value.size != 1:
            raise RuntimeError(
                "backward(): grad can be implicitly created only for scalar outputs; "
                f"this tensor has shape {tensor._value.shape}. Pass gradient=..."
            )
        g = np.ones_like(tensor._value)
    else:
        g = np.asarray(gradient._value if isinstance(gradient, Box) else gradient)
        g = g.astype(tensor._value.dtype, copy=False)
        if g.shape != tensor._value.shape:
            raise RuntimeError(
                f"backward(): gradient has shape {g.shape} but the tensor has shape "
                f"{tensor._value.shape}"
            )
        if anomaly._enabled.get():
            anomaly.check_seed(g)
    targets = None if inputs is None else _targets(inputs)
    if retain_graph is None:
        retain_graph = create_graph
    if create_graph:
        g = Tensor._wrap(g, None)
    with _grad_mode(create_graph):
        _sweep(tensor._node, g, retain_graph, targets)


def _sweep(root, g, retain_graph: bool, targets: dict | None) -> None:
    """The backward pass of ``Tensor.backward``, accumulating into ``.grad`` fields."""
    handed = {id(g._value if isinstance(g, Tensor) else g)}
    if targets is None:

        def visit(node, ct):
            _accumulate(node, ct, retain_graph, handed)

        backward_pass(root, g, visit=visit, release=not retain_graph)
        return
    remaining = set(targets)

    def visit_targets(node, ct):
        _accumulate(node, ct, retain_graph, handed, targets)
        remaining.discard(node)
        if not remaining:  # each target has its full gradient: stop here
            raise _AllReached

    try:
        backward_pass(root, g, visit=visit_targets, release=not retain_graph)
    except _AllReached:
        pass


class _AllReached(Exception):
    """Ends a ``backward(inputs=...)`` sweep once every input has its gradient (the
    nodes below them are not needed, and may have been freed)."""


def _targets(inputs) -> dict:
    """``backward(inputs=...)``: node -> the tensor whose ``.grad`` receives its gradient."""
    if isinstance(inputs, Tensor):
        inputs = (inputs,)
    targets = {}
    for t in inputs:
        if not isinstance(t, Tensor) or t._node is None:
            raise RuntimeError(
                "backward(inputs=...): every input must be a tensor that requires grad"
            )
        targets[t._node] = t
    if not targets:
        raise RuntimeError("backward(inputs=...): inputs must not be empty")
    return targets


def _accumulate(node, ct, keep_all: bool, handed: set, targets: dict | None = None) -> None:
    """Record ``ct`` on ``node`` (for display) and add it to the ``.grad`` of the tensor
    the node stands for (a leaf that still requires grad, or a non-leaf that called
    ``retain_grad``; with ``targets``, only the tensors given in ``backward(inputs=)``).

    A gradient array is handed to ``.grad`` without a copy when this backward pass made
    it and has not handed it out already (``handed`` holds the ids given out); views and
    shared arrays are copied, so two tensors never share a ``.grad`` buffer. Later
    gradients are added into the same ``.grad`` tensor (rebinding its values), as
    PyTorch accumulates in place."""
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
        if targets is not None:
            tensor = targets.get(node)
        elif ref is None:
            return
        else:
            tensor = ref()
    elif type(node) is TensorLeaf:
        tensor = node.tensor() if targets is None or node in targets else None
        if tensor is not None and tensor._node is None:
            return  # requires_grad was turned off since
    else:
        return
    if tensor is None:
        return
    if not isinstance(ct, Tensor):
        ct = Tensor._wrap(np.asarray(ct, dtype=tensor._value.dtype), None)
    if ct._value.shape != tensor._value.shape:
        ct = Tensor._wrap(np.broadcast_to(ct._value, tensor._value.shape).copy(), None)
    old = tensor._grad
    if old is None:
        if ct._node is None:
            arr = ct._value
            if arr.base is not None or not arr.flags.writeable or id(arr) in handed:
                arr = arr.copy()
            handed.add(id(arr))
            ct = Tensor._wrap(arr, None)
        tensor._grad = ct
    elif old._node is None and ct._node is None:
        old._value = old._value + ct._value
        old._version += 1
    else:
        tensor._grad = old + ct
