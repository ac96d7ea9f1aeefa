"""The eager backward pass: ``Tensor.backward`` (gradients accumulate into ``.grad``)
and ``autograd.grad`` (gradients are returned, ``.grad`` is left alone).

The sweep itself is reverse mode's (:func:`chainrule.core.reverse.backward_pass`);
this module seeds it (several outputs are joined under one virtual root, so that one
sweep serves them all), runs it in the right grad mode (on only for
``create_graph=True``, so that the rules are recorded), and hands what reaches each
leaf, or each tensor in ``inputs``, to its ``.grad`` or to the caller. New tensors are
made through the tensors it is given (``_new``).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from functools import partial

import numpy as np

from chainrule.core import anomaly
from chainrule.core.backend import array_namespace
from chainrule.core.reverse import Node, RootNode, backward_pass
from chainrule.core.trace import Box
from chainrule.tensors.device import device_of
from chainrule.tensors.grad_mode import _grad_mode
from chainrule.tensors.graph import KEEP_FOR_DISPLAY, EagerBox, EagerNode, TensorLeaf


def backward(
    tensors: Sequence,
    gradients: Sequence,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    inputs=None,
) -> None:
    """Accumulate the gradients of ``tensors`` (a sequence; seeded with ``gradients``,
    one per tensor, ``None`` for a one-element tensor) into ``.grad``: see
    ``Tensor.backward`` and ``chainrule.autograd.backward``."""
    root, g = _seed(tensors, gradients, create_graph, "backward()")
    handed = _seed_ids(g)
    if retain_graph is None:
        retain_graph = create_graph
    release = not retain_graph
    if inputs is None:
        visit = partial(_accumulate, retain_graph, handed, None)
        with _grad_mode(create_graph):
            backward_pass(root, g, visit=visit, release=release)
        return
    targets = _targets(inputs)
    visit = partial(_accumulate, retain_graph, handed, targets)
    with _grad_mode(create_graph):
        _sweep_until_reached(root, g, targets, visit, release)


def grad(
    outputs: Sequence,
    inputs: Sequence,
    grad_outputs: Sequence | None,
    retain_graph,
    create_graph: bool,
    allow_unused,
    materialize,
) -> tuple:
    """The gradients of ``outputs`` with respect to ``inputs`` (sequences of tensors),
    as a tuple, without touching any ``.grad``: ``chainrule.autograd.grad``. An input
    that the outputs do not depend on gets ``None`` (with ``allow_unused``), zeros (with
    ``materialize``), or an error."""
    if not inputs:
        raise RuntimeError("grad(): inputs must not be empty")
    targets: dict[Node, list[int]] = {}
    for i, t in enumerate(inputs):
        if not isinstance(t, EagerBox) or t._node is None:
            raise RuntimeError(
                f"grad(): input {i} does not require grad, so it has no gradient; create it "
                "with requires_grad=True (or call requires_grad_())"
            )
        targets.setdefault(t._node, []).append(i)
    if grad_outputs is None:
        grad_outputs = [None] * len(outputs)
    elif len(grad_outputs) != len(outputs):
        raise RuntimeError(
            f"grad(): got {len(grad_outputs)} grad_outputs for {len(outputs)} outputs"
        )
    root, g = _seed(outputs, grad_outputs, create_graph, "grad()")
    found: list = [None] * len(inputs)

    def visit(node, ct):
        for i in targets.get(node, ()):
            found[i] = ct

    if retain_graph is None:
        retain_graph = create_graph
    with _grad_mode(create_graph):
        _sweep_until_reached(root, g, targets, visit, not retain_graph)
    handed = _seed_ids(g)
    results: list[EagerBox | None] = []
    for i, (t, ct) in enumerate(zip(inputs, found)):
        if ct is None:
            if materialize:
                ct = _namespace(t._value).zeros_like(t._value)
            elif not allow_unused:
                raise RuntimeError(
                    f"grad(): input {i} was not used to compute the outputs, so it has no "
                    "gradient; pass allow_unused=True to get None for it (or "
                    "materialize_grads=True to get zeros)"
                )
            else:
                results.append(None)
                continue
        results.append(_as_gradient(ct, t, handed))
    return tuple(results)


class _AllReached(Exception):
    """Ends a sweep once every target has its gradient (the nodes below them are not
    needed, and may have been freed)."""


def _sweep_until_reached(
    root: Node, g, targets: Collection[Node], visit: Callable, release: bool
) -> None:
    """The backward pass, calling ``visit(node, cotangent)`` on each node it reaches,
    and stopping once every node in ``targets`` has been visited (its gradient is then
    complete: the sweep visits a node after all of its consumers)."""
    remaining = set(targets)

    def visit_counting(node, ct):
        visit(node, ct)
        remaining.discard(node)
        if not remaining:
            raise _AllReached

    try:
        backward_pass(root, g, visit=visit_counting, release=release)
    except _AllReached:
        pass


def _seed(tensors: Sequence, gradients: Sequence, create_graph: bool, who: str):
    """``(root, g)`` to start a sweep: the output's node and its seed cotangent, or a
    virtual root over several outputs and the list of their seeds."""
    if len(tensors) == 1:
        tensor = tensors[0]
        return tensor._node, _seed_one(tensor, gradients[0], create_graph, who, "this tensor")
    if not tensors:
        raise RuntimeError(f"{who}: no outputs to differentiate")
    seeds = [
        _seed_one(t, g, create_graph, who, f"output {i}")
        for i, (t, g) in enumerate(zip(tensors, gradients))
    ]
    return RootNode([t._node for t in tensors]), seeds


def _seed_one(tensor, gradient, create_graph: bool, who: str, which: str):
    """The seed cotangent of one output (``which`` names it in errors)."""
    if not isinstance(tensor, EagerBox):
        raise TypeError(f"{who}: expected tensors to differentiate, got {type(tensor).__name__}")
    if tensor._node is None:
        raise RuntimeError(
            f"{who}: {which} does not require grad and has no graph; did you "
            "forget requires_grad=True on an input, or compute it under no_grad()?"
        )
    value = tensor._value
    if gradient is None:
        if value.size != 1:
            raise RuntimeError(
                f"{who}: grad can be implicitly created only for scalar outputs; "
                f"{which} has shape {value.shape}. Pass a gradient for it"
            )
        g = _namespace(value).ones_like(value)
    else:
        g = gradient._value if isinstance(gradient, Box) else gradient
        if device_of(g).type == "cpu":
            g = np.asarray(g)
        if device_of(g) != device_of(value):
            raise RuntimeError(
                f"{who}: gradient is on {device_of(g)} but {which} is on {device_of(value)}"
            )
        g = g.astype(value.dtype, copy=False)
        if g.shape != value.shape:
            raise RuntimeError(
                f"{who}: gradient has shape {g.shape} but {which} has shape {value.shape}"
            )
        if anomaly._enabled.get():
            anomaly.check_seed(g)
    return tensor._new(g) if create_graph else g


def _seed_ids(g) -> set[int]:
    """The ids of the seed arrays: a gradient must never be handed out as one of them."""
    if type(g) is not list:
        return {id(g._value if isinstance(g, EagerBox) else g)}
    return {id(s._value if isinstance(s, EagerBox) else s) for s in g}


def _conform(ct, tensor: EagerBox) -> EagerBox:
    """``ct`` as a tensor of ``tensor``'s shape (and, for a raw array, its dtype)."""
    xp = _namespace(tensor._value)
    if not isinstance(ct, EagerBox):
        ct = tensor._new(xp.asarray(ct, dtype=tensor._value.dtype))
    if ct._value.shape != tensor._value.shape:
        ct = tensor._new(xp.broadcast_to(ct._value, tensor._value.shape).copy())
    return ct


def _as_gradient(ct, tensor: EagerBox, handed: set[int]) -> EagerBox:
    """``ct`` as a new gradient of ``tensor`` (see :func:`_conform`), owning its array:
    views, shared arrays and arrays handed out before (ids in ``handed``) are copied, so
    two gradients never share a buffer."""
    ct = _conform(ct, tensor)
    if ct._node is None:
        arr = ct._value
        if arr.base is not None or not arr.flags.writeable or id(arr) in handed:
            arr = arr.copy()
        handed.add(id(arr))
        ct = tensor._new(arr)
    return ct


def _targets(inputs) -> dict[Node, EagerBox]:
    """``backward(inputs=...)``: node -> the tensor whose ``.grad`` receives its gradient."""
    if isinstance(inputs, EagerBox):
        inputs = (inputs,)
    targets: dict[Node, EagerBox] = {}
    for t in inputs:
        if not isinstance(t, EagerBox) or t._node is None:
            raise RuntimeError(
                "backward(inputs=...): every input must be a tensor that requires grad"
            )
        targets[t._node] = t
    if not targets:
        raise RuntimeError("backward(inputs=...): inputs must not be empty")
    return targets


def _accumulate(keep_all: bool, handed: set[int], targets: dict | None, node, ct) -> None:
    """The sweep's visit (the first three arguments bound with ``functools.partial``):
    record ``ct`` on ``node`` (for display) and add it to the ``.grad`` of the tensor
    the node stands for (a leaf that still requires grad, or a non-leaf that called
    ``retain_grad``; with ``targets``, only the tensors given in ``backward(inputs=)``).

    A gradient array is handed to ``.grad`` without a copy when this backward pass made
    it and has not handed it out already (``handed`` holds the ids given out); views and
    shared arrays are copied, so two tensors never share a ``.grad`` buffer. Later
    gradients are added into the same ``.grad`` tensor (rebinding its values), as
    PyTorch accumulates in place."""
    tensor: EagerBox | None
    if type(node) is EagerNode:
        raw = ct._value if isinstance(ct, EagerBox) else ct
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
        raw = ct._value if isinstance(ct, EagerBox) else ct
        node.grad = raw if keep_all or np.size(raw) <= KEEP_FOR_DISPLAY else None
        tensor = node.tensor() if targets is None or node in targets else None
        if tensor is not None and tensor._node is None:
            return  # requires_grad was turned off since
    else:
        return
    if tensor is None:
        return
    old = tensor._grad
    if old is None:
        tensor._grad = _as_gradient(ct, tensor, handed)
        return
    ct = _conform(ct, tensor)
    if old._node is None and ct._node is None:
        old._value = old._value + ct._value
        old._version += 1
    else:
        tensor._grad = old + ct


def _namespace(value):
    """The array library of a tensor's value (NumPy, or its device's library)."""
    return np if type(value) is np.ndarray else array_namespace((value,))
