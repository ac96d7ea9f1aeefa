"""Keeping big graphs readable: module boxes, repeated structure, and a size limit.

Passes over a :class:`~chainrule.viz.graph.Graph`, in this order:

1. **Modules** (given a model): see :mod:`chainrule.viz.modules`.
2. **Repeats** (in a picture of more than ``COLLAPSE_ABOVE`` boxes, unless asked for
   or turned off). Along chains of single-consumer nodes, a pattern of up to 6 ops that
   repeats at least 3 times in a row, over at least 6 nodes (a Python loop, a stack of
   identical layers), becomes one box "repeated N×: tanh → multiply → add". Side
   inputs used only inside the run (constants, and single ops on leaves or constants)
   are folded into it; leaves are kept.
3. **Constants.** In a big picture (more than ``FOLD_CONSTANTS_ABOVE`` boxes) each
   scalar constant is written inside the box that uses it (``· × 0.5``) instead of
   taking a box of its own.
4. **Size limit.** If more than ``max_nodes`` boxes remain, the ones nearest the output
   are kept and the rest become one box that lists what it holds.

Every pass adds a note saying what it collapsed; the picture prints the notes.
"""

from __future__ import annotations

from collections import Counter

from chainrule.viz import regroup
from chainrule.viz.boxes import VNode
from chainrule.viz.format import number
from chainrule.viz.graph import Graph
from chainrule.viz.labels import symbol

MAX_PERIOD = 6
MIN_REPEATS = 3
MIN_RUN = 6  # recorded nodes: three multiplies in a row are not yet "structure"
FOLD_CONSTANTS_ABOVE = 40  # boxes; a small picture keeps its constants as ovals
COLLAPSE_ABOVE = 40  # boxes; a short loop is drawn step by step (draw(collapse_repeats=...))
_INFIX = {"add", "subtract", "multiply", "safe_mul", "divide", "power", "float_power"}


# -- 2. repeated structure -----------------------------------------------------------------
def _signature(n: VNode) -> str:
    return f"{n.kind}:{n.title}" if n.kind in ("op", "module") else ""


def _chains(graph: Graph) -> list[list[str]]:
    consumers = regroup.consumers(graph)
    producers = regroup.producers(graph)
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
    """Fold each repeated run of ops (and its side inputs) into one box."""
    runs = _runs(graph)
    in_runs = {nid for run, _, _ in runs for nid in run}
    consumers = regroup.consumers(graph)
    producers = regroup.producers(graph)
    groups, described = [], []
    for k, (run, p, r) in enumerate(runs):
        members = _with_side_inputs(graph, run, in_runs, consumers, producers)
        pattern = " \u2192 ".join(symbol(graph.nodes[nid].title) for nid in run[:p])
        groups.append((members, _repeat_box(graph, f"r{k}", run, r, pattern, members)))
        described.append(f"{r}\u00d7 [{pattern}]")
    if groups:
        regroup.merge(graph, groups)
    if described:
        listed = "; ".join(described[:4])
        if len(described) > 4:
            listed += f"; and {len(described) - 4} more"
        graph.notes.append(f"Collapsed repeated structure: {listed}.")


def _runs(graph: Graph) -> list[tuple[list[str], int, int]]:
    """``(boxes, period, repeats)`` of every repetition along the graph's chains."""
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
    return runs


def _with_side_inputs(graph: Graph, run, in_runs, consumers, producers) -> set[str]:
    """The run's boxes and the side inputs used only inside it: constants, and single
    ops on leaves or constants (an RNN step's U @ x_t); leaves (parameters) stay
    visible. Runs never share a node, so each run's side inputs are its own."""
    members = set(run)
    side = dict.fromkeys(src for nid in run for src in producers[nid])
    for nid in side:
        n = graph.nodes[nid]
        if nid in members or nid in in_runs or n.root or n.cluster:
            continue
        if not consumers[nid] or not all(dst in members for dst in consumers[nid]):
            continue
        simple = all(graph.nodes[src].kind in ("leaf", "const") for src in producers[nid])
        if n.kind == "const" or (n.kind == "op" and simple):
            members.add(nid)
            # that op's own constants come along
            regroup.absorb_constants(graph, members, [nid], consumers, producers)
    return members


def _repeat_box(graph: Graph, box_id: str, run, repeats: int, pattern: str, members) -> VNode:
    """The box "repeated N×" standing for ``members``; it shows the run's last value."""
    last = graph.nodes[run[-1]]
    title = f"repeated {repeats}\u00d7"
    box = VNode(box_id, "repeat", title, name=last.name, value=last.value, grad=last.grad)
    box.shape, box.freed, box.root = last.shape, last.freed, last.root
    box.members = regroup.recorded(graph, members)
    box.detail.append(pattern)
    extra = len(members) - len(run)
    if extra:
        box.detail.append(f"+ {extra} side input(s) folded in")
    return box


# -- 3. scalar constants --------------------------------------------------------------------
def fold_constants(graph: Graph, above: int = FOLD_CONSTANTS_ABOVE) -> None:
    """Write scalar constants inside the op boxes that use them, in a big picture."""
    if len(graph.nodes) <= above:
        return
    consumers = regroup.consumers(graph)
    folded = set()
    for nid, n in graph.nodes.items():
        value = n.value
        if n.kind != "const" or value is None or getattr(value, "size", 2) != 1:
            continue
        if not consumers[nid] or any(graph.nodes[d].kind != "op" for d in consumers[nid]):
            continue
        folded.add(nid)
    if not folded:
        return
    for e in graph.edges:
        if e.src in folded:
            op = graph.nodes[e.dst]
            value = number(graph.nodes[e.src].value)
            if op.title in _INFIX and e.argnum in (0, 1):
                sym = symbol(op.title)
                op.detail.append(
                    f"{value} {sym} \u00b7" if e.argnum == 0 else f"\u00b7 {sym} {value}"
                )
            else:
                op.detail.append(f"arg{e.argnum} = {value}")
    graph.edges = [e for e in graph.edges if e.src not in folded]
    graph.nodes = {nid: n for nid, n in graph.nodes.items() if nid not in folded}
    graph.notes.append(
        f"{len(folded)} scalar constants are written inside the boxes that use them "
        "(\u00b7 \u00d7 0.5 means this box's input times 0.5)."
    )


# -- 4. size limit -------------------------------------------------------------------------
def limit_size(graph: Graph, max_nodes: int) -> None:
    if max_nodes is None or len(graph.nodes) <= max_nodes:
        return
    producers = regroup.producers(graph)
    consumers = regroup.consumers(graph)
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
    total = regroup.recorded(graph, hidden)
    counts = Counter(graph.nodes[nid].title for nid in hidden if graph.nodes[nid].kind == "op")
    box = VNode("more", "more", f"\u2026 {total} more nodes not drawn")
    box.members = total
    top = ", ".join(f"{op} \u00d7{c}" for op, c in counts.most_common(5))
    if top:
        box.detail.append(top)
    regroup.merge(graph, [(set(hidden), box)])
    graph.notes.append(
        f"Size limit: drew the {len(keep)} boxes nearest the output; {total} earlier "
        f"recorded nodes are summarised in one box (raise max_nodes to see them)."
    )
