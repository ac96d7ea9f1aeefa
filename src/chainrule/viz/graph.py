"""The picture's model: a small graph of display nodes built from a Tensor's recorded graph.

``build(tensor)`` walks the eager graph the core records (``tensor._node`` and its
``parents``, in :func:`chainrule.core.reverse.toposort` order, the order ``backward()``
visits) and turns each recorded node into a :class:`VNode` holding what the picture
shows: the op, the shape, the forward value and the gradient it received. Nothing is
recomputed except the edge labels of scalar graphs, which come from the node's own
``vjp`` (the rule ``backward()`` runs) applied to a cotangent of 1.

What the core keeps after ``backward()`` (without ``retain_graph=True``): each node's
forward value and received cotangent when the array is small, but not its inputs. So a
freed graph has no constant inputs or static arguments to show; its scalar edge labels
are then read off the recorded cotangents instead (ḡ_input / ḡ_output, exact when the
input feeds only that one edge). Drawing before ``backward()``, or with
``retain_graph=True``, shows everything.

Collapsing (module clusters, repeated structure, the size limit) lives in
:mod:`chainrule.viz.collapse`; DOT text and rendering in :mod:`chainrule.viz.dot`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from chainrule.core.reverse import toposort
from chainrule.tensors import Tensor
from chainrule.tensors.graph import EagerNode, TensorLeaf
from chainrule.viz.format import as_array, index_text, number, static_text
from chainrule.viz.grads import label_scalar_edges, leaf_gradients

DEFAULT_MAX_NODES = 60


@dataclass
class VNode:
    """One box in the picture."""

    id: str
    kind: str  # "op", "leaf", "const", "module", "repeat" or "more"
    title: str  # the op's name, the leaf's name, a module's label ...
    name: str | None = None  # the user's variable name, when known
    value: object = None  # forward value (array), None when unknown or freed
    grad: object = None  # cotangent received in the last backward, None if none
    shape: tuple | None = None
    detail: list[str] = field(default_factory=list)  # extra lines (static args, contents)
    root: bool = False
    cluster: str | None = None  # the expanded module cluster it is drawn in
    freed: bool = False  # its value was freed by backward()
    members: int = 1  # how many recorded nodes this box stands for
    key: int | None = None  # id() of the recorded node it shows
    grad_note: str | None = None  # a leaf's .grad when it holds more than this pass sent
    inputs_shown: bool = True  # False when backward() freed the record of its inputs


@dataclass
class VEdge:
    src: str
    dst: str
    label: str | None = None  # local derivative (scalar graphs)
    argnum: int | None = None


@dataclass
class Graph:
    """A drawable graph. ``to_dot()`` always works; rendering needs Graphviz's ``dot``."""

    nodes: dict[str, VNode]
    edges: list[VEdge]
    clusters: dict[str, str] = field(default_factory=dict)  # cluster id -> label
    notes: list[str] = field(default_factory=list)
    rankdir: str = "LR"
    has_grad: bool = False
    scalar_labels: bool = False

    # -- output ---------------------------------------------------------------------------
    def to_dot(self) -> str:
        """The graph in Graphviz's DOT language (needs neither Graphviz nor its package)."""
        from chainrule.viz.dot import to_dot

        return to_dot(self)

    def pipe(self, format: str = "svg") -> bytes:
        """Render with Graphviz (``svg``, ``png``, ``pdf``, ...) and return the bytes."""
        from chainrule.viz.dot import render

        return render(self.to_dot(), format)

    def to_svg(self) -> str:
        return self.pipe("svg").decode("utf-8")

    def save(self, path) -> str:
        """Write the picture; the format follows the extension (.svg .png .pdf .dot .gv)."""
        from chainrule.viz.dot import save

        return save(self, path)

    def _repr_svg_(self):
        from chainrule.viz.dot import GraphvizNotFound

        try:
            return self.to_svg()
        except GraphvizNotFound:
            return None  # the notebook falls back to the text repr

    def __repr__(self) -> str:
        ops = sum(n.kind == "op" for n in self.nodes.values())
        edges = len(self.edges)
        return f"<chainrule.viz.Graph: {len(self.nodes)} boxes ({ops} ops), {edges} edges>"


# -- names ---------------------------------------------------------------------------------
def caller_names(frame) -> dict[int, str]:
    """Map ``id`` of recorded nodes (and of tensors) to the caller's variable names.

    Only used for labels: ``x = cr.tensor(...); viz.draw(y)`` shows "x" on the leaf,
    and the parameters of a module the caller holds are named as in
    ``named_parameters()`` (``0.weight``), unless a variable names them.
    """
    names: dict[int, str] = {}
    if frame is None:
        return names
    local = [(k, v) for k, v in list(frame.f_locals.items()) if not k.startswith("_")]
    for key, value in local:
        if isinstance(value, Tensor):
            _add_name(names, key, value, overwrite=False)
    for _, value in local:
        for key, name in module_param_names(value).items():
            names.setdefault(key, name)
    return names


def module_param_names(module) -> dict[int, str]:
    """``id`` of each parameter's node -> its name in ``module.named_parameters()``;
    empty for anything that is not an ``nn.Module``."""
    from chainrule.nn.module import Module

    if not isinstance(module, Module):
        return {}
    return {id(p._node): k for k, p in module.named_parameters() if p._node is not None}


def _add_name(names: dict, key: str, t: Tensor, overwrite: bool = True) -> None:
    """Name a tensor's node, or (without a graph) the tensor and its array."""
    if t._node is not None:
        targets = [t._node]
    else:  # numpy views share the base of the array they were taken from
        base = t._value.base if isinstance(t._value, np.ndarray) else None
        targets = [t, t._value] + ([base] if base is not None else [])
    for target in targets:
        if overwrite or id(target) not in names:
            names[id(target)] = key


def names_from(mapping) -> dict[int, str]:
    """``{"x": x_tensor, ...}`` (as users pass it) to the id-keyed map ``build`` uses."""
    names: dict[int, str] = {}
    for key, value in (mapping or {}).items():
        if isinstance(value, Tensor):
            _add_name(names, key, value)
    return names


def param_names(model) -> dict[int, str]:
    return {} if model is None else module_param_names(model)


# -- building ------------------------------------------------------------------------------
def _shape_of(value):
    arr = as_array(value)
    return None if arr is None else tuple(arr.shape)


def _leaf_tensor(node: TensorLeaf):
    return node.tensor()


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


_INDEXING = {"getitem", "index_update", "scatter_add"}


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


def build(tensor: Tensor, *, names: dict[int, str] | None = None) -> Graph:
    """The uncollapsed display graph of ``tensor``'s recorded history."""
    names = names or {}
    root = tensor._node
    if root is None:
        title = names.get(id(tensor), "tensor")
        if tensor._value.size == 1:
            title = f"{title} = {number(tensor._value)}"
        node = VNode("n0", "const", title, value=tensor._value, root=True)
        node.shape = tuple(tensor._value.shape)
        g = Graph({"n0": node}, [])
        g.notes.append("This tensor has no graph: it does not require grad.")
        return g

    order = toposort(root)  # consumers before inputs: backward()'s order
    forward = list(reversed(order))
    ids = {node: f"n{k}" for k, node in enumerate(forward)}
    # backward() records on each node the cotangent it received; if it never ran from
    # this tensor (its node kept its inputs but got no cotangent), any gradient found
    # on the nodes or in a leaf's .grad came from another backward(): not this graph's
    from_here = isinstance(root, TensorLeaf) or root.grad is not None or root.args is None
    nodes: dict[str, VNode] = {}
    edges: list[VEdge] = []
    any_freed = False
    stale: list[str] = []
    for node in forward:
        nid = ids[node]
        if isinstance(node, TensorLeaf):
            t = _leaf_tensor(node)
            value = None if t is None else t._value
            title = names.get(id(node), "leaf")
            vn = VNode(nid, "leaf", title, name=names.get(id(node)), value=value)
            if t is not None and t.grad is not None:
                vn.grad = t.grad._value
                if not from_here:
                    stale.append(title)
        else:
            value, grad = node.ans, node.grad
            vn = VNode(nid, "op", node.prim.name, name=names.get(id(node)), value=value, grad=grad)
            vn.detail = _static_detail(node)
            vn.freed = node.args is None and value is None  # released by backward()
            vn.inputs_shown = node.args is not None
            any_freed |= node.args is None
            if node.prim.name == "tuple_getitem" and node.args is not None:
                vn.detail.insert(0, f"part [{node.args[1]}] of the result")
        vn.shape = _shape_of(vn.value)
        if vn.shape is None and getattr(node, "meta", None) is not None:
            vn.shape = tuple(node.meta[0])  # freed, but its shape was kept
        if not from_here:
            vn.grad = None
        vn.key = id(node)
        nodes[nid] = vn
    nodes[ids[root]].root = True
    if root is not None and nodes[ids[root]].value is None:  # the root tensor itself is alive
        nodes[ids[root]].value = tensor._value
        nodes[ids[root]].shape = tuple(tensor._value.shape)
        nodes[ids[root]].freed = False

    n_const = 0
    const_ids: dict[int, str] = {}
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
            value = a._value if isinstance(a, Tensor) else np.asarray(a)
            name = _constant_name(a, names)
            title = name or (number(value) if value.size == 1 else "constant")
            nodes[cid] = VNode(cid, "const", title, name=name, value=value, shape=value.shape)
            if key is not None:
                const_ids[key] = cid
            edges.append(VEdge(cid, nid, argnum=argnum))

    graph = Graph(nodes, edges)
    exact = leaf_gradients(graph, forward, ids) if from_here else set()
    graph.has_grad = any(n.grad is not None for n in nodes.values() if n.kind != "const")
    label_scalar_edges(graph, forward, ids, exact)
    if stale:
        graph.notes.append(
            "backward() has not run from this tensor, so no gradients are shown "
            f"({', '.join(stale[:3])}{', ...' if len(stale) > 3 else ''}: .grad holds one "
            "from another backward())."
        )
    if any_freed:
        graph.notes.append(
            "backward() freed this graph's saved inputs: constant inputs and static "
            "arguments are not shown, and an edge's local derivative only where the "
            "gradients recorded give it exactly (draw before backward(), or use "
            "retain_graph=True)."
        )
    if any(n.freed for n in nodes.values()):
        graph.notes.append(
            "Some forward values were not kept by backward() (it keeps small arrays only)."
        )
    return graph
