"""The picture of a Tensor's history: a :class:`.graph.Graph` built from its recorded graph.

``build(tensor)`` walks the eager graph the core records (``tensor._node`` and its
``parents``, in :func:`chainrule.core.reverse.toposort` order, the order ``backward()``
visits) and turns each recorded node into a :class:`.boxes.VNode` holding what the picture
shows: the op, the shape, the forward value and the gradient it received. Nothing is
recomputed except the edge labels of scalar graphs, which come from the node's own
``vjp`` (the rule ``backward()`` runs) applied to a cotangent of 1.

What the core keeps after ``backward()`` (without ``retain_graph=True``): each node's
forward value and received cotangent when the array is small, but not its inputs. So a
freed graph has no constant inputs or static arguments to show; its scalar edge labels
are then read off the recorded cotangents instead (ḡ_input / ḡ_output, exact when the
input feeds only that one edge). Drawing before ``backward()``, or with
``retain_graph=True``, shows everything.

The gradients and edge labels come from :mod:`.grads`. Collapsing (module boxes,
repeated structure, the size limit) happens afterwards, in :mod:`.modules` and
:mod:`.collapse`.
"""

from __future__ import annotations

import numpy as np

from chainrule.core.reverse import toposort
from chainrule.tensors import Tensor
from chainrule.tensors.graph import EagerNode, TensorLeaf
from chainrule.viz.boxes import VEdge, VNode
from chainrule.viz.format import as_array, index_text, number, static_text
from chainrule.viz.grads import label_scalar_edges, leaf_gradients
from chainrule.viz.graph import Graph

DEFAULT_MAX_NODES = 60
_INDEXING = {"getitem", "index_update", "scatter_add"}


def build(tensor: Tensor, *, names: dict[int, str] | None = None) -> Graph:
    """The uncollapsed display graph of ``tensor``'s recorded history."""
    names = names or {}
    root = tensor._node
    if root is None:
        return _without_graph(tensor, names)
    forward = list(reversed(toposort(root)))  # inputs first: backward()'s order reversed
    ids = {node: f"n{k}" for k, node in enumerate(forward)}
    # backward() records on each node the cotangent it received; if it never ran from
    # this tensor (its node kept its inputs but got no cotangent), any gradient found
    # on the nodes or in a leaf's .grad came from another backward(): not this graph's
    from_here = isinstance(root, TensorLeaf) or root.grad is not None or root.args is None
    nodes = {ids[node]: _box(node, ids[node], names, from_here) for node in forward}
    top = nodes[ids[root]]
    top.root = True
    if top.value is None:  # the root tensor itself is alive
        top.value, top.shape, top.freed = tensor._value, tuple(tensor._value.shape), False
    graph = Graph(nodes, _edges(forward, ids, nodes, names))
    exact = leaf_gradients(graph, forward, ids) if from_here else set()
    graph.has_grad = any(n.grad is not None for n in nodes.values() if n.kind != "const")
    label_scalar_edges(graph, forward, ids, exact)
    graph.notes += _notes(forward, nodes, ids, from_here)
    return graph


def _without_graph(tensor: Tensor, names: dict[int, str]) -> Graph:
    """One box for a tensor that records no history."""
    title = names.get(id(tensor), "tensor")
    if tensor._value.size == 1:
        title = f"{title} = {number(tensor._value)}"
    node = VNode("n0", "const", title, value=tensor._value, root=True)
    node.shape = tuple(tensor._value.shape)
    g = Graph({"n0": node}, [])
    g.notes.append("This tensor has no graph: it does not require grad.")
    return g


def _box(node, nid: str, names: dict[int, str], from_here: bool) -> VNode:
    """The box of one recorded node (a leaf or an op)."""
    if isinstance(node, TensorLeaf):
        t = node.tensor()
        value = None if t is None else t._value
        title = names.get(id(node), "leaf")
        vn = VNode(nid, "leaf", title, name=names.get(id(node)), value=value)
        if t is not None and t.grad is not None:
            vn.grad = t.grad._value
    else:
        value, grad = node.ans, node.grad
        vn = VNode(nid, "op", node.prim.name, name=names.get(id(node)), value=value, grad=grad)
        vn.detail = _static_detail(node)
        vn.freed = node.args is None and value is None  # released by backward()
        vn.inputs_shown = node.args is not None
        if node.prim.name == "tuple_getitem" and node.args is not None:
            vn.detail.insert(0, f"part [{node.args[1]}] of the result")
    vn.shape = _shape_of(vn.value)
    if vn.shape is None and getattr(node, "meta", None) is not None:
        vn.shape = tuple(node.meta[0])  # freed, but its shape was kept
    if not from_here:
        vn.grad = None
    vn.key = id(node)
    return vn


def _edges(forward, ids, nodes: dict[str, VNode], names: dict[int, str]) -> list[VEdge]:
    """An edge from each input to its consumer; constant inputs (numbers, arrays,
    tensors that need no grad) get a box of their own, added to ``nodes``, one per
    array even when several ops use it."""
    edges: list[VEdge] = []
    const_ids: dict[int, str] = {}  # id of an array or tensor -> its box
    n_const = 0
    for node in forward:
        if not isinstance(node, EagerNode):
            continue
        nid = ids[node]
        for argnum, parent in zip(node.argnums, node.parents):
            edges.append(VEdge(ids[parent], nid, argnum=argnum))
        if node.args is None:
            continue
        for argnum, a in enumerate(node.args):
            if argnum in node.argnums or a is None:
                continue
            if node.prim.name == "tuple_getitem":
                continue  # the part's number is a static index, shown in the box
            if not _is_constant_input(a):
                nodes[nid].detail.append(f"arg{argnum}={static_text(a)}")
                continue
            key = id(a) if isinstance(a, (Tensor, np.ndarray)) else None
            if key is not None and key in const_ids:
                edges.append(VEdge(const_ids[key], nid, argnum=argnum))
                continue
            cid = f"c{n_const}"
            n_const += 1
            nodes[cid] = _constant_box(cid, a, names)
            if key is not None:
                const_ids[key] = cid
            edges.append(VEdge(cid, nid, argnum=argnum))
    return edges


def _constant_box(cid: str, a, names: dict[int, str]) -> VNode:
    value = a._value if isinstance(a, Tensor) else np.asarray(a)
    name = _constant_name(a, names)
    title = name or (number(value) if value.size == 1 else _unnamed(value))
    return VNode(cid, "const", title, name=name, value=value, shape=value.shape)


def _unnamed(value) -> str:
    """A title for an unnamed array constant: ``one-hot`` for rows of 0s with a single 1
    (the targets cross_entropy builds from class labels), else ``constant``."""
    if value.ndim == 2 and value.size and np.isrealobj(value):
        rows_ok = np.all((value == 0) | (value == 1)) and np.all(value.sum(axis=1) == 1)
        if rows_ok:
            return "one-hot"
    return "constant"


def _notes(forward, nodes: dict[str, VNode], ids, from_here: bool) -> list[str]:
    """What the picture cannot show, and why."""
    notes = []
    stale = [] if from_here else [nodes[ids[n]].title for n in forward if _has_grad(n)]
    if stale:
        notes.append(
            "backward() has not run from this tensor, so no gradients are shown "
            f"({', '.join(stale[:3])}{', ...' if len(stale) > 3 else ''}: .grad holds one "
            "from another backward())."
        )
    if any(not isinstance(n, TensorLeaf) and n.args is None for n in forward):
        notes.append(
            "backward() freed this graph's saved inputs: constant inputs and static "
            "arguments are not shown, and an edge's local derivative only where the "
            "gradients recorded give it exactly (draw before backward(), or use "
            "retain_graph=True)."
        )
    if any(n.freed for n in nodes.values()):
        notes.append(
            "Some forward values were not kept by backward() (it keeps small arrays only)."
        )
    return notes


def _has_grad(node) -> bool:
    """Is ``node`` a leaf whose tensor holds a ``.grad``?"""
    if not isinstance(node, TensorLeaf):
        return False
    t = node.tensor()
    return t is not None and t.grad is not None


def _shape_of(value):
    arr = as_array(value)
    return None if arr is None else tuple(arr.shape)


def _static_detail(node) -> list[str]:
    lines = []
    for key, val in (node.kwargs or {}).items():
        if val is None or val is False:
            continue
        if key == "index" and node.prim.name in _INDEXING:
            lines.append(f"index {index_text(val)}")
        else:
            lines.append(f"{key}={static_text(val)}")
    return lines


def _constant_name(a, names: dict[int, str]) -> str | None:
    """The user's name for a constant input, also when it is a view of a named array
    (``x.T`` inside ``nn.functional.linear`` is drawn as ``xᵀ``)."""
    if id(a) in names:
        return names[id(a)]
    arr = a._value if isinstance(a, Tensor) else a
    if not isinstance(arr, np.ndarray):
        return None
    if id(arr) in names:
        return names[id(arr)]
    base = arr.base
    if base is None or id(base) not in names:
        return None
    if arr.ndim == 2 and arr.flags.f_contiguous and not arr.flags.c_contiguous:
        return names[id(base)] + "\u1d40"
    return f"{names[id(base)]} (view)"


def _is_constant_input(a) -> bool:
    return isinstance(a, (Tensor, np.ndarray, int, float, complex, np.number)) and not isinstance(
        a, bool
    )
