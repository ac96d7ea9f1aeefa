"""Module boxes: a network drawn as its layers (``Linear 0``, ``ReLU 1``), not its ops.

The core records no module boundaries, so they are found after the fact:

* **Modules with parameters** (``Linear``, ``Conv2d``), from the parameters
  (``model.named_parameters()``): a module's region is every node that depends on one
  of its parameters and leads to the first node that depends on all of them (for
  ``Linear``: ``x @ W.T + b`` is transpose, matmul and add). A node computed from the
  parameters alone (``W.T``) hands the end of the region on to its single consumer, so
  a bias-free ``Linear`` still includes its matmul.
* **Modules without parameters inside an** ``nn.Sequential`` (``ReLU``, ``MaxPool2d``,
  ``Flatten``): they run one after another from the output of the module before them.
  Each is run again on that output (a probe: nothing is changed) to learn which ops
  it records; the same ops following in the graph, checked by name and value, are its
  region. When that cannot be checked (a freed value, a random ``Dropout``), the ops
  between two known modules become one box naming all of them. A module that is one
  op of its own name (``Tanh``: ``tanh``) stays that op.

Each region becomes one box listing its parameters and ops, or, for modules named in
``expand``, a labelled cluster of its nodes. A note says what was collapsed.
"""

from __future__ import annotations

import numpy as np

from chainrule.core.reverse import toposort
from chainrule.nn import Sequential
from chainrule.tensors import Tensor, enable_grad, tensor
from chainrule.tensors.graph import EagerNode, TensorLeaf
from chainrule.viz import regroup
from chainrule.viz.boxes import VNode
from chainrule.viz.format import norm, number, shape_text
from chainrule.viz.graph import Graph
from chainrule.viz.labels import symbol

# layout ops that belong to the module next to them (F.linear transposes x and its result)
ADAPTERS = {"transpose", "reshape", "broadcast_to", "astype", "expand_dims"}


def module_regions(graph: Graph, model, param_ids: dict[str, str]) -> list[tuple[str, set[str]]]:
    """``(module path, node ids)`` for every module whose parameters are in the graph.

    ``param_ids`` maps a parameter's qualified name (``0.weight``) to its node id.
    """
    order = list(graph.nodes)
    producers = regroup.producers(graph)
    consumers = regroup.consumers(graph)
    owners: dict[str, list[str]] = {}
    for pname, nid in param_ids.items():
        owners.setdefault(pname.rpartition(".")[0], []).append(nid)
    claimed: set[str] = set()
    regions = []
    for path, params in owners.items():
        region = _parameter_region(graph, order, params, producers, consumers)
        if region is None or region & claimed:
            continue
        claimed |= region
        regions.append((path, region))
    return regions


def _parameter_region(graph: Graph, order, params, producers, consumers) -> set[str] | None:
    """The boxes of the module that owns ``params``, or None when no box depends on all
    of them: what depends on a parameter and leads to the module's end."""
    reach = [_dependents(p, order, producers) for p in params]
    on_all = set.intersection(*reach) if reach else set()
    if not on_all:
        return None
    end = _region_end(graph, order, set(params), on_all, producers, consumers)
    ancestors = {end}
    stack = [end]
    while stack:
        for src in producers[stack.pop()]:
            if src not in ancestors:
                ancestors.add(src)
                stack.append(src)
    region = (set().union(*reach) & ancestors) | set(params)
    region = {nid for nid in region if graph.nodes[nid].kind != "const"}
    # a layout adapter applied to the input only for this module (F.linear's
    # transpose of x) belongs to it; one level only, so the previous layer stays out
    for nid in list(region):
        for src in producers[nid]:
            n = graph.nodes[src]
            if n.kind == "op" and n.title in ADAPTERS and src not in region:
                if all(dst in region for dst in consumers[src]):
                    region.add(src)
    # scalar constants used only inside the region belong to it (array inputs,
    # such as the data batch, stay visible as the module's input)
    for nid in order:
        n = graph.nodes[nid]
        scalar = n.value is not None and getattr(n.value, "size", 2) == 1
        if n.kind == "const" and scalar and consumers[nid]:
            if all(dst in region for dst in consumers[nid]):
                region.add(nid)
    return region


def _dependents(start: str, order, producers) -> set[str]:
    """The boxes computed from ``start`` (not ``start`` itself)."""
    dep = {start}
    for nid in order:
        if any(src in dep for src in producers[nid]):
            dep.add(nid)
    return dep - {start}


def _region_end(graph: Graph, order, params: set[str], on_all, producers, consumers) -> str:
    """The module's output: the first box that depends on all its parameters, moved on
    past what is computed from the parameters alone (``W.T``), and past a layout step
    on the result (F.linear's final transpose)."""
    end = next(nid for nid in order if nid in on_all)
    only_params = set(params)  # nodes computed from the parameters alone
    for nid in order:  # (known only where backward() left the inputs on record)
        if producers[nid] and all(src in only_params for src in producers[nid]):
            if graph.nodes[nid].inputs_shown:
                only_params.add(nid)
    while end in only_params and len(set(consumers[end])) == 1:
        end = consumers[end][0]
    after = set(consumers[end])
    if len(after) == 1:
        nxt = graph.nodes[next(iter(after))]
        if nxt.kind == "op" and nxt.title in ADAPTERS and not nxt.root:
            end = nxt.id
    return end


def _outputs(graph: Graph, region: set[str], consumers) -> list[str]:
    return [
        nid
        for nid in graph.nodes
        if nid in region
        and graph.nodes[nid].kind == "op"
        and (graph.nodes[nid].root or any(d not in region for d in consumers[nid]))
    ]


def _probe_ops(module, value) -> tuple[list[str], object] | None:
    """Run ``module`` on a copy of ``value`` and return the names of the ops it records
    (in order) and its output; None unless they form a chain."""
    if "Dropout" in type(module).__name__ and module.training:
        return None  # random: a second run would not repeat the first
    try:
        with enable_grad():
            x = tensor(np.array(value, copy=True), requires_grad=True)
            out = module(x)
    except Exception:
        return None
    if not isinstance(out, Tensor) or out._node is None:
        return None
    order = list(reversed(toposort(out._node)))
    names = []
    for node in order:
        if isinstance(node, TensorLeaf):
            continue
        if not isinstance(node, EagerNode) or len(node.parents) != 1:
            return None  # not a chain (or an input used twice): can't be followed
        names.append(node.prim.name)
    return names, out._value


def _follow(graph: Graph, start: str, names, claimed, consumers, producers) -> list[str] | None:
    """The chain of ops ``names`` that follows ``start`` in the graph, or None."""
    chain, cur = [], start
    for name in names:
        nxt = set(consumers[cur])
        if len(nxt) != 1:
            return None
        nid = nxt.pop()
        n = graph.nodes[nid]
        if n.kind != "op" or n.title != name or nid in claimed:
            return None
        others = [src for src in producers[nid] if src != cur]
        if any(graph.nodes[src].kind != "const" for src in others):
            return None
        chain.append(nid)
        cur = nid
    return chain


def _same_value(a, b) -> bool:
    if a is None or b is None:
        return True  # freed: the op names were checked
    a, b = np.asarray(a), np.asarray(b)
    return a.shape == b.shape and bool(np.allclose(a, b, equal_nan=True))


def _with_constants(graph: Graph, nodes: list[str], consumers, producers) -> set[str]:
    members = set(nodes)
    regroup.absorb_constants(graph, members, nodes, consumers, producers)
    return members


def _between(graph, start, region, claimed, consumers, producers) -> set[str]:
    """Op nodes after ``start`` that lead into ``region`` (and nothing else claimed)."""
    after, stack = set(), [start]
    while stack:
        for dst in consumers[stack.pop()]:
            if dst not in after and dst not in claimed and dst not in region:
                after.add(dst)
                stack.append(dst)
    before, stack = set(), list(region)
    while stack:
        for src in producers[stack.pop()]:
            if src not in before:
                before.add(src)
                stack.append(src)
    return {nid for nid in after & before if graph.nodes[nid].kind == "op"}


def parameterless_regions(graph: Graph, model, regions) -> list[tuple[str, str, set[str]]]:
    """``(path, label, node ids)`` for the modules without parameters in each
    ``nn.Sequential``, found after the module before them (see the module doc).

    A module with parameters also gets (in its set in ``regions``, updated in place)
    the ops between the previous module's output and its own region: those that use
    no parameter, such as BatchNorm's batch mean and variance."""
    consumers, producers = regroup.consumers(graph), regroup.producers(graph)
    by_path = dict(regions)
    claimed = set().union(*by_path.values()) if by_path else set()
    found = []
    for prefix, seq in model.named_modules():
        if isinstance(seq, Sequential):
            children = [(f"{prefix}.{k}" if prefix else k, m) for k, m in seq.named_children()]
            found += _sequence_regions(graph, children, by_path, claimed, consumers, producers)
    return found


def _sequence_regions(graph: Graph, children, by_path, claimed, consumers, producers) -> list:
    """The regions of one ``nn.Sequential``'s children without parameters, in order;
    ``claimed`` grows by each region found."""
    found = []
    cur = None  # the node holding the output of the previous child, when known
    pending = []  # children since then that could not be followed one by one
    for path, child in children:
        if path in by_path:
            if cur is not None:
                found += _before(graph, cur, path, pending, by_path, claimed, consumers, producers)
            outs = _outputs(graph, by_path[path], consumers)
            cur, pending = (outs[0] if len(outs) == 1 else None), []
            continue
        if cur is None:
            continue
        chain = None if pending else _probed_chain(graph, cur, child, claimed, consumers, producers)
        if chain is None:
            pending.append((path, child))
            continue
        if not chain:
            continue  # records nothing (Identity, Dropout in eval mode)
        ops = [graph.nodes[nid].title for nid in chain]
        namesake = type(child).__name__.lower() == ops[0].replace("_", "")
        if not (len(ops) == 1 and namesake):
            members = _with_constants(graph, chain, consumers, producers)
            found.append((path, f"{type(child).__name__} {path}", members))
            claimed.update(members)
        cur = chain[-1]
    return found


def _before(graph: Graph, cur, path, pending, by_path, claimed, consumers, producers) -> list:
    """The ops between ``cur`` (the previous child's output) and the region of the
    module ``path``: one region for the ``pending`` children that could not be
    followed, or, with none pending, part of the module's own region (BatchNorm's
    statistics, computed before its parameters are used)."""
    nodes = _between(graph, cur, by_path[path], claimed, consumers, producers)
    if not nodes:
        return []
    members = _with_constants(graph, list(nodes), consumers, producers)
    claimed.update(members)
    if pending:
        label = " \u00b7 ".join(f"{type(m).__name__} {p}" for p, m in pending)
        return [(pending[0][0], label, members)]
    by_path[path] |= members  # the same set the caller boxes
    return []


def _probed_chain(graph: Graph, cur, child, claimed, consumers, producers) -> list | None:
    """The boxes after ``cur`` that ``child`` recorded, found by running it again on
    ``cur``'s value; None when they cannot be followed or their value differs."""
    value = graph.nodes[cur].value
    if value is None and graph.nodes[cur].shape is not None:
        value = np.zeros(graph.nodes[cur].shape)
    probe = None if value is None else _probe_ops(child, value)
    if probe is None:
        return None
    chain = _follow(graph, cur, probe[0], claimed, consumers, producers)
    if chain is None or (chain and not _same_value(graph.nodes[chain[-1]].value, probe[1])):
        return None
    return chain


def collapse_modules(graph: Graph, model, param_ids: dict[str, str], expand=False) -> None:
    modules = dict(model.named_modules()) if hasattr(model, "named_modules") else {}
    regions = []
    for path, region in module_regions(graph, model, param_ids):
        module = modules.get(path, model if path == "" else None)
        kind = type(module).__name__ if module is not None else "module"
        regions.append((path, f"{kind} {path}".strip(), region))
    if hasattr(model, "named_modules"):
        regions += parameterless_regions(graph, model, [(p, r) for p, _, r in regions])
    position = {nid: k for k, nid in enumerate(graph.nodes)}
    regions.sort(  # in forward order (constants are listed last in the graph: skip them)
        key=lambda r: max((position[n] for n in r[2] if graph.nodes[n].kind != "const"), default=0)
    )
    boxed = []
    groups = []
    for path, label, region in regions:
        if expand is True or (not isinstance(expand, bool) and path in set(expand)):
            cid = f"cluster_{len(graph.clusters)}"
            graph.clusters[cid] = label
            for nid in region:
                graph.nodes[nid].cluster = cid
            continue
        boxed.append(label)
        groups.append((region, _module_box(graph, f"m{len(boxed)}", path, label, region)))
    if groups:
        regroup.merge(graph, groups)
        _untranspose_inputs(graph)
    if boxed:
        graph.notes.append(
            f"Collapsed {len(boxed)} module(s) into one box each ({', '.join(boxed)}); "
            "pass expand=True (or expand=['name']) to draw their operations."
        )


def _untranspose_inputs(graph: Graph) -> None:
    """A named input that only module boxes use is shown as the user has it: ``x``
    (8, 64), not the ``xᵀ`` (64, 8) that ``F.linear`` computes with inside the box."""
    users: dict[str, set[str]] = {}
    for e in graph.edges:
        users.setdefault(e.src, set()).add(graph.nodes[e.dst].kind)
    for nid, n in graph.nodes.items():
        transposed = n.kind == "const" and n.name and n.name.endswith("\u1d40")
        if transposed and users.get(nid) == {"module"} and n.shape and len(n.shape) == 2:
            n.name = n.title = n.name[:-1]
            n.shape = tuple(reversed(n.shape))
            if n.value is not None:
                n.value = np.transpose(n.value)


def _module_box(graph: Graph, box_id: str, path: str, label: str, region: set[str]) -> VNode:
    order = [nid for nid in graph.nodes if nid in region]
    ops = [graph.nodes[nid] for nid in order if graph.nodes[nid].kind == "op"]
    params = [graph.nodes[nid] for nid in order if graph.nodes[nid].kind == "leaf"]
    out = ops[-1] if ops else graph.nodes[order[-1]]
    title = f"{out.name} = {label}" if out.name else label
    box = VNode(box_id, "module", title, value=out.value, grad=out.grad)
    box.shape, box.freed, box.root = out.shape, out.freed, out.root
    box.members = regroup.recorded(graph, region)
    for p in params:
        pname = p.name or p.title
        short = pname[len(path) + 1 :] if path and pname.startswith(path + ".") else pname
        line = f"{short} {shape_text(p.shape or ())}"
        if p.grad is not None:
            line += f", \u2016grad\u2016 {number(norm(p.grad), 4)}"
        box.detail.append(line)
    box.detail.append("ops: " + _op_list([symbol(n.title) for n in ops]))
    return box


def _op_list(symbols: list[str], most: int = 8) -> str:
    """``@ → ᵀ → +``; a long list keeps its ends: ``Σ → ÷ → reshape → … → + (19 ops)``."""
    if len(symbols) <= most:
        return " \u2192 ".join(symbols)
    shown = [*symbols[: most - 3], "\u2026", *symbols[-2:]]
    return " \u2192 ".join(shown) + f" ({len(symbols)} ops)"
