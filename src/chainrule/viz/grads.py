"""The numbers on the picture that come from backward(): each node's gradient, and the
local derivative on each scalar edge.

* A recorded node keeps the cotangent it received in the last backward pass; a leaf
  has only its ``.grad``, which adds up over backward() calls. :func:`leaf_gradients`
  recomputes what this pass sent each leaf (the sum of its consumers' VJPs applied to
  the cotangents recorded on them), so every box shows the same pass.
* :func:`label_scalar_edges` puts d(consumer)/d(input) on each edge between scalars:
  from the consumer's own ``vjp`` with a cotangent of 1 (the rule ``backward()``
  runs), or, on a freed graph, read off the recorded cotangents where that is exact.
"""

from __future__ import annotations

import numpy as np

from chainrule.tensors import no_grad
from chainrule.tensors.graph import EagerNode, TensorLeaf
from chainrule.viz.boxes import VEdge
from chainrule.viz.format import as_array, number, summary
from chainrule.viz.graph import Graph


def has_inputs(node) -> bool:
    """Whether ``node``'s rule can still run: its inputs are recorded (before
    ``backward()``, or with ``retain_graph=True``), or ``backward()`` kept its saved
    arrays and output because they are small (up to the display limit, as it keeps
    values for pictures)."""
    if node.args is not None:
        return True
    return getattr(node, "saved", None) is not None and node.ans is not None


def local_vjp(node, g) -> list:
    """The node's vector-Jacobian product of ``g``: its own ``vjp`` while the inputs
    are recorded, else its rule on the arrays ``backward()`` kept (see :func:`has_inputs`)."""
    if node.args is not None:
        return node.vjp(g)
    return node.prim.vjp(g, node.argnums, node.ans, node.saved, node.kwargs)


def scalar_local_derivatives(node) -> list | None:
    """``d out / d parent_k`` (an array, or None for no cotangent) for every parent of a
    scalar-output node, from its own VJP; None when the output is not a scalar or the
    node's inputs are no longer recorded."""
    ans = as_array(node.ans)
    if not has_inputs(node) or ans is None or ans.size != 1:
        return None
    try:
        with no_grad():
            cts = local_vjp(node, np.ones_like(ans))
    except Exception:  # e.g. an input modified in place since: no labels, no crash
        return None
    return [None if ct is None else as_array(ct) for ct in cts]


def leaf_gradients(graph: Graph, forward, ids) -> set[str]:
    """Give each leaf the gradient *this* backward() sent it, and return the ids of the
    leaves for which that is known.

    A leaf's ``.grad`` adds up over backward() calls (``create_graph=True`` and a second
    backward, or a loop without ``zero_grad()``), while the picture shows what one
    backward pass sent each node. That is the sum of what its consumers' VJPs send back
    from the cotangents recorded on them: computed here when the graph was kept. A leaf
    whose ``.grad`` holds more gets a line saying so."""
    consumers: dict = {}
    for node in forward:
        if isinstance(node, EagerNode):
            for k, parent in enumerate(node.parents):
                if isinstance(parent, TensorLeaf):
                    consumers.setdefault(parent, []).append((node, k))
    exact = set()
    for leaf, uses in consumers.items():
        vn = graph.nodes[ids[leaf]]
        recorded = getattr(leaf, "grad", None)  # if the core records it on the leaf
        total = None if recorded is None else as_array(recorded)
        if total is None:
            total = _sum_of_vjps(uses, vn.value)
        if total is None:
            continue
        exact.add(vn.id)
        held = vn.grad
        vn.grad = total
        if held is not None and not _same(held, total):
            vn.grad_note = f".grad holds {summary(held)} (summed over backward() calls)"
    return exact


def _sum_of_vjps(uses, value):
    total = None
    with no_grad():
        for node, k in uses:
            if node.args is None or node.grad is None:
                return None
            try:
                ct = node.vjp(node.grad)[k]
            except Exception:  # an input modified in place since: unknown
                return None
            if ct is None:
                continue
            ct = as_array(ct)
            total = ct if total is None else total + ct
    if total is None or value is None:
        return total
    shape = np.shape(value)
    return total if total.shape == shape else np.broadcast_to(total, shape)


def _same(a, b) -> bool:
    a, b = as_array(a), as_array(b)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=1e-9, atol=1e-12, equal_nan=True))


def label_scalar_edges(graph: Graph, forward, ids, exact: set[str]) -> None:
    """Put the local derivative on every edge between scalar values.

    On a freed graph it is read off the recorded gradients, where they are exact: the
    input feeds only that edge, and (for a leaf) its gradient is this pass's alone."""
    uses: dict[str, int] = {}
    for e in graph.edges:
        uses[e.src] = uses.get(e.src, 0) + 1
    by_dst: dict[str, list[VEdge]] = {}
    for e in graph.edges:
        if not graph.nodes[e.src].kind == "const":
            by_dst.setdefault(e.dst, []).append(e)
    for node in forward:
        if not isinstance(node, EagerNode):
            continue
        nid = ids[node]
        out = graph.nodes[nid]
        locals_ = scalar_local_derivatives(node)
        for k, e in enumerate(by_dst.get(nid, [])):
            src = graph.nodes[e.src]
            if src.shape is not None and np.prod(src.shape) != 1:
                continue
            if locals_ is not None:
                d = locals_[k]
                if d is not None and d.size == 1:
                    e.label = number(d.reshape(()))
            elif uses[e.src] == 1 and (src.kind != "leaf" or e.src in exact):
                e.label = _ratio_label(src.grad, out.grad)
    graph.scalar_labels = any(e.label is not None for e in graph.edges)


def _ratio_label(g_in, g_out) -> str | None:
    """Local derivative recovered from a freed graph: ḡ_input = ḡ_output · d out/d input."""
    a, b = as_array(g_in), as_array(g_out)
    if a is None or b is None or a.size != 1 or b.size != 1:
        return None
    b = b.reshape(())
    if b == 0 or not np.isfinite(b):
        return None
    return number(a.reshape(()) / b)
