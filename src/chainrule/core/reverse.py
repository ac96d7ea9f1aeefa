"""Reverse mode: record a graph of :class:`Node` s forward, then sweep it backward.

The sweep is iterative (a topological order computed without recursion), so a chain
of 200,000 operations backpropagates without ``RecursionError``. Each node's
cotangent is dropped as soon as the node has been processed. The same sweep serves
the functional transforms (``ReverseTrace``) and the eager ``Tensor`` graph
(:mod:`chainrule.tensors.graph`), whose nodes override :meth:`Node.vjp`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from chainrule.core import anomaly
from chainrule.core.primitive import Primitive, add_any
from chainrule.core.trace import Box, Trace, box_type


class Node:
    """One recorded application of a primitive (``prim``) in reverse mode. The defaults
    describe a node that records no operation (a leaf, or a virtual root)."""

    __slots__ = ("prim", "args", "kwargs", "ans", "argnums", "parents", "where", "__weakref__")

    def __init__(
        self,
        prim: Primitive | None = None,
        args: Any = None,
        kwargs: dict | None = None,
        ans: Any = None,
        argnums: Sequence[int] = (),
        parents: Sequence[Node] = (),
        where: str | None = None,
    ):
        self.prim = prim
        self.args = args
        self.kwargs = kwargs
        self.ans = ans
        self.argnums = argnums
        self.parents = parents
        # the user's line that created the operation (recorded in anomaly mode)
        self.where = where

    def vjp(self, g) -> list:
        """Cotangents for ``self.parents`` (same order) from the output cotangent ``g``."""
        prim = self.prim
        assert prim is not None, "only the nodes of operations have a rule"
        return prim.vjp(g, self.argnums, self.ans, self.args, self.kwargs)

    def release(self) -> None:
        """Drop what was saved for the backward pass (eager graphs, after backward)."""


class LeafNode(Node):
    """Where a traced input starts; it has no parents."""

    __slots__ = ()


class RootNode(Node):
    """A virtual node joining several outputs (its parents), so that one sweep serves
    them all; its cotangent is the list of the outputs' cotangents."""

    __slots__ = ()

    def __init__(self, parents: Sequence[Node]):
        super().__init__(argnums=tuple(range(len(parents))), parents=parents)

    def vjp(self, g) -> list:
        return g


def toposort(root: Node) -> list[Node]:
    """Nodes reachable from ``root``, each after every node that consumes it."""
    child_count: dict[Node, int] = {}
    stack = [root]
    while stack:
        node = stack.pop()
        for parent in node.parents:
            if parent in child_count:
                child_count[parent] += 1
            else:
                child_count[parent] = 1
                stack.append(parent)
    order = []
    ready = [root]
    while ready:
        node = ready.pop()
        order.append(node)
        for parent in node.parents:
            left = child_count[parent] - 1
            child_count[parent] = left
            if not left:
                ready.append(parent)
    return order


def backward_pass(root: Node, g, *, visit=None, release: bool = False) -> None:
    """Propagate the cotangent ``g`` of ``root`` back through the graph.

    ``visit(node, cotangent)`` is called for every node that receives a cotangent
    (leaves included) once all of its contributions have been summed. With
    ``release`` each node frees its saved values as soon as it has been used.
    """
    # Rules evaluate local derivatives everywhere, including where a `where` will
    # discard them (1/x at x = 0): NumPy's floating-point warnings there are noise.
    # Non-finite gradients that matter are what detect_anomaly() is for.
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        _sweep(root, g, visit, release)


def _sweep(root: Node, g, visit, release: bool) -> None:
    cotangents = {root: g}
    pop = cotangents.pop
    get = cotangents.get
    check = anomaly.anomaly_enabled()
    for node in toposort(root):
        ct = pop(node, None)
        if ct is None:
            continue
        if visit is not None:
            visit(node, ct)
        parents = node.parents
        if not parents:
            continue
        parent_cts = node.vjp(ct)
        if release:
            node.release()
        if check:
            _check_cotangents(node, parent_cts)
        for parent, pct in zip(parents, parent_cts):
            if pct is not None:
                prev = get(parent)
                cotangents[parent] = pct if prev is None else add_any(prev, pct)


def _check_cotangents(node: Node, parent_cts) -> None:
    """Anomaly mode: every cotangent ``node`` sends its parents must be finite."""
    name = node.prim.name if node.prim is not None else "output"
    for argnum, pct in zip(node.argnums, parent_cts):
        if pct is not None:
            anomaly.check_backward(name, argnum, pct, node.where)


class ReverseBox(Box):
    __slots__ = ("_node",)

    def __init__(self, value, trace: Trace, node: Node):
        self._value = value
        self._trace = trace
        self._node = node


class ReverseTrace(Trace):
    """One reverse-mode differentiation (a call of ``vjp``/``grad``...)."""

    __slots__ = ()

    def new_input(self, value) -> ReverseBox:
        return box_type(ReverseBox, value)(value, self, LeafNode())

    def process(self, prim, args, kwargs):
        vals, argnums, parents = self.unbox(prim, args, "rev", "_node")
        ans = prim(*vals, **kwargs)
        check = anomaly._enabled.get()
        if check:
            anomaly.check_forward(prim.name, ans)
        if prim.zero_derivative or not argnums:
            return ans
        node = Node(
            prim, vals, kwargs, ans, argnums, parents, anomaly.user_line() if check else None
        )
        box = box_type(ReverseBox, ans) if isinstance(ans, Box) else ReverseBox
        return box(ans, self, node)
