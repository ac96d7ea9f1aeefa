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

import inspect
from dataclasses import dataclass, field

import numpy as np

from chainrule.core.eager import EagerNode, Tensor, TensorLeaf, no_grad
from chainrule.core.reverse import toposort
from chainrule.viz.format import as_array, number

DEFAULT_MAX_NODES = 120


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

    Only used for labels: ``x = cr.tensor(...); viz.draw(y)`` shows "x" on the leaf.
    """
    names: dict[int, str] = {}
    if frame is None:
        return names
    for key, value in list(frame.f_locals.items()):
        if key.startswith("_") or not isinstance(value, Tensor):
            continue
        _add_name(names, key, value, overwrite=False)
    return names


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
    names: dict[int, str] = {}
    if model is not None:
        for key, p in model.named_parameters():
            if p._node is not None:
                names[id(p._node)] = key
    return names


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
        text = repr(val)
        lines.append(f"{key}={text if len(text) <= 24 else text[:21] + '...'}")
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


def _scalar_local_derivatives(node) -> list | None:
    """``d out / d parent_k`` for every parent of a scalar-output node, from its own VJP."""
    ans = as_array(node.ans)
    if node.args is None or ans is None or ans.size != 1:
        return None
    try:
        with no_grad():
            cts = node.vjp(np.ones_like(ans))
    except Exception:  # e.g. an input modified in place since: no labels, no crash
        return None
    return [None if ct is None else as_array(ct) for ct in cts]


def build(tensor: Tensor, *, names: dict[int, str] | None = None) -> Graph:
    """The uncollapsed display graph of ``tensor``'s recorded history."""
    names = names or {}
    root = tensor._node
    if root is None:
        node = VNode("n0", "const", names.get(id(tensor), "tensor"), value=tensor._value, root=True)
        node.shape = tuple(tensor._value.shape)
        g = Graph({"n0": node}, [])
        g.notes.append("This tensor has no graph: it does not require grad.")
        return g

    order = toposort(root)  # consumers before inputs: backward()'s order
    forward = list(reversed(order))
    ids = {node: f"n{k}" for k, node in enumerate(forward)}
    nodes: dict[str, VNode] = {}
    edges: list[VEdge] = []
    any_freed = False
    for node in forward:
        nid = ids[node]
        if isinstance(node, TensorLeaf):
            t = _leaf_tensor(node)
            value = None if t is None else t._value
            grad = None if t is None or t.grad is None else t.grad._value
            title = names.get(id(node), "leaf")
            vn = VNode(nid, "leaf", title, name=names.get(id(node)), value=value, grad=grad)
        else:
            value, grad = node.ans, node.grad
            vn = VNode(nid, "op", node.prim.name, name=names.get(id(node)), value=value, grad=grad)
            vn.detail = _static_detail(node)
            vn.freed = node.args is None and value is None  # released by backward()
            any_freed |= node.args is None
        vn.shape = _shape_of(vn.value)
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
            if not _is_constant_input(a):
                text = repr(a)
                nodes[nid].detail.append(
                    f"arg{argnum}={text if len(text) <= 24 else text[:21] + '...'}"
                )
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
    graph.has_grad = any(n.grad is not None for n in nodes.values() if n.kind != "const")
    _label_scalar_edges(graph, forward, ids)
    if any_freed:
        graph.notes.append(
            "backward() freed this graph's saved inputs: constant inputs and static "
            "arguments are not shown (draw before backward(), or use retain_graph=True)."
        )
    if any(n.freed for n in nodes.values()):
        graph.notes.append(
            "Some forward values were not kept by backward() (it keeps small arrays only)."
        )
    return graph


def _label_scalar_edges(graph: Graph, forward, ids) -> None:
    """Put the local derivative on every edge between scalar values."""
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
        locals_ = _scalar_local_derivatives(node)
        for k, e in enumerate(by_dst.get(nid, [])):
            src = graph.nodes[e.src]
            if src.shape is not None and np.prod(src.shape) != 1:
                continue
            if locals_ is not None:
                d = locals_[k]
                if d is not None and d.size == 1:
                    e.label = number(d.reshape(()))
            elif uses[e.src] == 1:
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


def frame_of_caller(depth: int = 2):
    """The frame ``depth`` levels above the caller of this function (for ``caller_names``)."""
    frame = inspect.currentframe()
    for _ in range(depth):
        frame = frame.f_back if frame is not None else None
    return frame


def depth(graph: Graph) -> int:
    """The number of boxes on the longest input-to-output chain."""
    level: dict[str, int] = {}
    producers: dict[str, list[str]] = {nid: [] for nid in graph.nodes}
    for e in graph.edges:
        producers[e.dst].append(e.src)
    for nid in graph.nodes:  # forward order: inputs first
        level[nid] = 1 + max((level.get(src, 0) for src in producers[nid]), default=0)
    return max(level.values(), default=0)
