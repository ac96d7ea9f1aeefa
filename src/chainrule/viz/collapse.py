"""Keeping big graphs readable: module boxes, repeated structure, and a size limit.

Three passes over a :class:`~chainrule.viz.graph.Graph`, in this order:

1. **Modules.** Given a model, each module that owns parameters becomes one box
   (``Linear 0``) unless it is listed in ``expand``, in which case its nodes are drawn
   inside a labelled cluster. The core records no module boundaries, so they are found
   from the parameters (``model.named_parameters()``): a module's region is every node
   that depends on one of its parameters and leads to the first node that depends on
   all of them (for ``Linear``: ``x @ W.T + b`` is transpose, matmul and add). A node
   computed from the parameters alone (``W.T``) hands the end of the region on to its
   single consumer, so a bias-free ``Linear`` still includes its matmul. Modules
   without parameters (``Tanh``) stay single op nodes, named by their op.
2. **Repeats.** Along chains of single-consumer nodes, a pattern of up to 6 ops that
   repeats at least 3 times in a row, over at least 6 nodes (a Python loop, a stack of
   identical layers), becomes one box "repeated N×: tanh → multiply → add". Side
   inputs used only inside the run (constants, and single ops on leaves or constants)
   are folded into it; leaves are kept.
3. **Size limit.** If more than ``max_nodes`` boxes remain, the ones nearest the output
   are kept and the rest become one box that lists what it holds.

Every pass adds a note saying what it collapsed; the picture prints the notes.
"""

from __future__ import annotations

import heapq
from collections import Counter

from chainrule.viz.format import norm, number, shape_text
from chainrule.viz.graph import Graph, VEdge, VNode
from chainrule.viz.notation import symbol

MAX_PERIOD = 6
_ADAPTERS = {"transpose", "reshape", "broadcast_to", "astype", "expand_dims"}
MIN_REPEATS = 3
MIN_RUN = 6  # recorded nodes: three multiplies in a row are not yet "structure"


def _consumers(graph: Graph) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {nid: [] for nid in graph.nodes}
    for e in graph.edges:
        out[e.src].append(e.dst)
    return out


def _producers(graph: Graph) -> dict[str, list[str]]:
    inp: dict[str, list[str]] = {nid: [] for nid in graph.nodes}
    for e in graph.edges:
        inp[e.dst].append(e.src)
    return inp


def _recorded(graph: Graph, ids) -> int:
    """How many recorded nodes (not constants) the boxes ``ids`` stand for."""
    return sum(graph.nodes[nid].members for nid in ids if graph.nodes[nid].kind != "const")


def _merge(graph: Graph, members: set[str], box: VNode, keep: set[str] = frozenset()) -> None:
    """Replace ``members`` by ``box``: edges into or out of the group now touch the box."""
    first = next(nid for nid in graph.nodes if nid in members)
    new_nodes: dict[str, VNode] = {}
    for nid, n in graph.nodes.items():
        if nid == first:
            new_nodes[box.id] = box
        if nid not in members:
            new_nodes[nid] = n
    seen = set()
    edges = []
    for e in graph.edges:
        src = box.id if e.src in members else e.src
        dst = box.id if e.dst in members else e.dst
        if src == dst:
            continue
        label = e.label if (e.src not in members and e.dst not in members) else None
        if label is None and (src, dst) in seen:
            continue
        seen.add((src, dst))
        edges.append(VEdge(src, dst, label, e.argnum))
    graph.nodes = new_nodes
    graph.edges = edges
    _sort_topologically(graph)


def _sort_topologically(graph: Graph) -> None:
    """Reorder ``graph.nodes`` so that inputs come before consumers (stable otherwise):
    the passes below rely on it, and a merged box can land before its inputs."""
    producers = _producers(graph)
    consumers = _consumers(graph)
    remaining = {nid: len(set(producers[nid])) for nid in graph.nodes}
    position = {nid: k for k, nid in enumerate(graph.nodes)}
    order = []
    heap = [(position[nid], nid) for nid, k in remaining.items() if k == 0]
    heapq.heapify(heap)
    while heap:
        _, nid = heapq.heappop(heap)
        order.append(nid)
        for dst in set(consumers[nid]):
            remaining[dst] -= 1
            if remaining[dst] == 0:
                heapq.heappush(heap, (position[dst], dst))
    if len(order) < len(graph.nodes):  # a cycle through a box: keep the rest as it was
        placed = set(order)
        order += [nid for nid in graph.nodes if nid not in placed]
    graph.nodes = {nid: graph.nodes[nid] for nid in order}


# -- 1. modules ----------------------------------------------------------------------------
def module_regions(graph: Graph, model, param_ids: dict[str, str]) -> list[tuple[str, set[str]]]:
    """``(module path, node ids)`` for every module whose parameters are in the graph.

    ``param_ids`` maps a parameter's qualified name (``0.weight``) to its node id.
    """
    order = list(graph.nodes)
    producers = _producers(graph)
    consumers = _consumers(graph)
    owners: dict[str, list[str]] = {}
    for pname, nid in param_ids.items():
        owners.setdefault(pname.rpartition(".")[0], []).append(nid)
    claimed: set[str] = set()
    regions = []
    for path, params in owners.items():
        params_set = set(params)
        reach = []  # per parameter: the nodes that depend on it
        for p in params:
            dep = {p}
            for nid in order:
                if any(src in dep for src in producers[nid]):
                    dep.add(nid)
            reach.append(dep - {p})
        on_all = set.intersection(*reach) if reach else set()
        if not on_all:
            continue
        end = next(nid for nid in order if nid in on_all)
        only_params = set(params_set)  # nodes computed from the parameters alone
        for nid in order:
            if producers[nid] and all(src in only_params for src in producers[nid]):
                only_params.add(nid)
        while end in only_params and len(set(consumers[end])) == 1:
            end = consumers[end][0]
        # a layout step on the result (F.linear's final transpose) ends the module
        after = set(consumers[end])
        if len(after) == 1:
            nxt = graph.nodes[next(iter(after))]
            if nxt.kind == "op" and nxt.title in _ADAPTERS and not nxt.root:
                end = nxt.id
        ancestors = {end}
        stack = [end]
        while stack:
            for src in producers[stack.pop()]:
                if src not in ancestors:
                    ancestors.add(src)
                    stack.append(src)
        any_dep = set().union(*reach)
        region = (any_dep & ancestors) | params_set
        region = {nid for nid in region if graph.nodes[nid].kind != "const"}
        # a layout adapter applied to the input only for this module (F.linear's
        # transpose of x) belongs to it; one level only, so the previous layer stays out
        for nid in list(region):
            for src in producers[nid]:
                n = graph.nodes[src]
                if n.kind == "op" and n.title in _ADAPTERS and src not in region:
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
        if region & claimed:
            continue
        claimed |= region
        regions.append((path, region))
    return regions


def collapse_modules(graph: Graph, model, param_ids: dict[str, str], expand=False) -> None:
    modules = dict(model.named_modules()) if hasattr(model, "named_modules") else {}
    boxed = []
    for path, region in module_regions(graph, model, param_ids):
        module = modules.get(path, model if path == "" else None)
        kind = type(module).__name__ if module is not None else "module"
        label = f"{kind} {path}".strip()
        if expand is True or (not isinstance(expand, bool) and path in set(expand)):
            cid = f"cluster_{len(graph.clusters)}"
            graph.clusters[cid] = label
            for nid in region:
                graph.nodes[nid].cluster = cid
            continue
        boxed.append(label)
        order = [nid for nid in graph.nodes if nid in region]
        ops = [graph.nodes[nid] for nid in order if graph.nodes[nid].kind == "op"]
        params = [graph.nodes[nid] for nid in order if graph.nodes[nid].kind == "leaf"]
        out = ops[-1] if ops else graph.nodes[order[-1]]
        title = f"{out.name} = {label}" if out.name else label
        box = VNode(f"m{len(boxed)}", "module", title, value=out.value, grad=out.grad)
        box.shape, box.freed, box.root = out.shape, out.freed, out.root
        box.members = _recorded(graph, region)
        for p in params:
            pname = p.name or p.title
            short = pname[len(path) + 1 :] if path and pname.startswith(path + ".") else pname
            line = f"{short} {shape_text(p.shape or ())}"
            if p.grad is not None:
                line += f", \u2016grad\u2016 {number(norm(p.grad), 4)}"
            box.detail.append(line)
        box.detail.append("ops: " + " \u2192 ".join(symbol(n.title) for n in ops))
        _merge(graph, region, box)
    if boxed:
        graph.notes.append(
            f"Collapsed {len(boxed)} module(s) into one box each ({', '.join(sorted(boxed))}); "
            "pass expand=True (or expand=['name']) to draw their operations."
        )


# -- 2. repeated structure -----------------------------------------------------------------
def _signature(n: VNode) -> str:
    return f"{n.kind}:{n.title}" if n.kind in ("op", "module") else ""


def _chains(graph: Graph) -> list[list[str]]:
    consumers = _consumers(graph)
    producers = _producers(graph)
    nxt: dict[str, str] = {}
    for nid, n in graph.nodes.items():
        dst = consumers[nid]
        if n.kind in ("op", "module") and len(dst) == 1 and not n.root and not n.cluster:
            nxt[nid] = dst[0]
    prev: dict[str, str] = {}
    for nid in graph.nodes:  # forward order: keep the first producer that chains in
        for src in producers[nid]:
            if nxt.get(src) == nid and nid not in prev:
                prev[nid] = src
    chains = []
    for nid, n in graph.nodes.items():
        if n.kind not in ("op", "module") or n.cluster or nid in prev:
            continue  # not the head of a chain
        chain = [nid]
        while chain[-1] in nxt and prev.get(nxt[chain[-1]]) == chain[-1]:
            chain.append(nxt[chain[-1]])
        if len(chain) >= MIN_REPEATS:
            chains.append(chain)
    return chains


def _best_run(sigs: list[str], i: int) -> tuple[int, int]:
    """``(period, repeats)`` of the longest repetition starting at ``i`` (0, 0 if none)."""
    best = (0, 0)
    for p in range(1, MAX_PERIOD + 1):
        pattern = sigs[i : i + p]
        if len(pattern) < p or "" in pattern:
            break
        r = 1
        while sigs[i + r * p : i + (r + 1) * p] == pattern:
            r += 1
        if r >= MIN_REPEATS and p * r >= MIN_RUN and p * r > best[0] * best[1]:
            best = (p, r)
    return best


def collapse_repeats(graph: Graph) -> None:
    runs = []
    for chain in _chains(graph):
        sigs = [_signature(graph.nodes[nid]) for nid in chain]
        i = 0
        while i < len(chain):
            p, r = _best_run(sigs, i)
            if p:
                runs.append((chain[i : i + p * r], p, r))
                i += p * r
            else:
                i += 1
    described = []
    in_runs = {nid for run, _, _ in runs for nid in run}
    for k, (run, p, r) in enumerate(runs):
        if any(nid not in graph.nodes for nid in run):
            continue  # defensive: a run is never folded into another (see below)
        members = set(run)
        # fold in side inputs used only inside the run: constants, and single ops on
        # leaves or constants (an RNN step's U @ x_t); leaves (parameters) stay visible
        consumers = _consumers(graph)
        producers = _producers(graph)
        for nid, n in graph.nodes.items():
            if nid in members or nid in in_runs or n.root or n.cluster:
                continue
            if not consumers[nid] or not all(dst in members for dst in consumers[nid]):
                continue
            simple = all(graph.nodes[src].kind in ("leaf", "const") for src in producers[nid])
            if n.kind == "const" or (n.kind == "op" and simple):
                members.add(nid)
                for src in producers[nid]:  # that op's own constants come along
                    if graph.nodes[src].kind == "const" and set(consumers[src]) <= members:
                        members.add(src)
        last = graph.nodes[run[-1]]
        pattern = " \u2192 ".join(symbol(graph.nodes[nid].title) for nid in run[:p])
        box = VNode(f"r{k}", "repeat", f"repeated {r}\u00d7", value=last.value, grad=last.grad)
        box.shape, box.freed = last.shape, last.freed
        box.members = _recorded(graph, members)
        box.detail.append(pattern)
        extra = len(members) - len(run)
        if extra:
            box.detail.append(f"+ {extra} side input(s) folded in")
        described.append(f"{r}\u00d7 [{pattern}]")
        _merge(graph, members, box)
    if described:
        listed = "; ".join(described[:4])
        if len(described) > 4:
            listed += f"; and {len(described) - 4} more"
        graph.notes.append(f"Collapsed repeated structure: {listed}.")


# -- 3. size limit -------------------------------------------------------------------------
def limit_size(graph: Graph, max_nodes: int) -> None:
    if max_nodes is None or len(graph.nodes) <= max_nodes:
        return
    producers = _producers(graph)
    consumers = _consumers(graph)
    # walk back from the output, taking a box only once all of its consumers are taken:
    # the hidden part then feeds the kept part and never the other way round
    waiting = {nid: len(set(consumers[nid])) for nid in graph.nodes}
    keep: list[str] = []
    frontier = [nid for nid, n in graph.nodes.items() if n.root]
    while frontier and len(keep) < max_nodes - 1:
        nxt = []
        for nid in frontier:
            if len(keep) >= max_nodes - 1:
                break
            keep.append(nid)
            for src in dict.fromkeys(producers[nid]):
                waiting[src] -= 1
                if waiting[src] == 0:
                    nxt.append(src)
        frontier = nxt
    kept = set(keep)
    hidden = [nid for nid in graph.nodes if nid not in kept]
    total = _recorded(graph, hidden)
    counts = Counter(graph.nodes[nid].title for nid in hidden if graph.nodes[nid].kind == "op")
    box = VNode("more", "more", f"\u2026 {total} more nodes not drawn")
    box.members = total
    top = ", ".join(f"{op} \u00d7{c}" for op, c in counts.most_common(5))
    if top:
        box.detail.append(top)
    _merge(graph, set(hidden), box)
    graph.notes.append(
        f"Size limit: drew the {len(keep)} boxes nearest the output; {total} earlier "
        f"recorded nodes are summarised in one box (raise max_nodes to see them)."
    )
