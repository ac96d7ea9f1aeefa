"""Editing a picture's graph: who feeds whom, and folding groups of boxes into one box.

The passes of :mod:`.collapse` and :mod:`.modules` find groups of boxes (a module, a
repeated loop body, the part beyond the size limit) and hand them to :func:`merge`,
which keeps the boxes in forward order (inputs before consumers), the order every
pass relies on.
"""

from __future__ import annotations

import heapq

from chainrule.viz.boxes import VEdge, VNode
from chainrule.viz.graph import Graph


def consumers(graph: Graph) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {nid: [] for nid in graph.nodes}
    for e in graph.edges:
        out[e.src].append(e.dst)
    return out


def producers(graph: Graph) -> dict[str, list[str]]:
    inp: dict[str, list[str]] = {nid: [] for nid in graph.nodes}
    for e in graph.edges:
        inp[e.dst].append(e.src)
    return inp


def recorded(graph: Graph, ids) -> int:
    """How many recorded nodes (not constants) the boxes ``ids`` stand for."""
    return sum(graph.nodes[nid].members for nid in ids if graph.nodes[nid].kind != "const")


def absorb_constants(graph: Graph, members: set[str], nodes, consumers_of, producers_of) -> None:
    """Add to ``members`` the constants that feed ``nodes`` and nothing outside
    ``members`` (``consumers_of``, ``producers_of``: from :func:`consumers`,
    :func:`producers`)."""
    for nid in nodes:
        for src in producers_of[nid]:
            if graph.nodes[src].kind == "const" and set(consumers_of[src]) <= members:
                members.add(src)


def merge(graph: Graph, groups: list[tuple[set[str], VNode]]) -> None:
    """Replace each group of boxes by its one box, all in one pass over the graph (a
    5,000-op chain has hundreds of runs to fold: one pass each would be quadratic)."""
    owner: dict[str, VNode] = {}
    for members, box in groups:
        for nid in members:
            owner[nid] = box
    new_nodes: dict[str, VNode] = {}
    for nid, n in graph.nodes.items():
        box = owner.get(nid)
        if box is None:
            new_nodes[nid] = n
        elif box.id not in new_nodes:
            new_nodes[box.id] = box  # where its first member was
    seen = set()
    edges = []
    for e in graph.edges:
        src_box, dst_box = owner.get(e.src), owner.get(e.dst)
        src = e.src if src_box is None else src_box.id
        dst = e.dst if dst_box is None else dst_box.id
        if src == dst:
            continue
        label = e.label if (src_box is None and dst_box is None) else None
        if label is None and (src, dst) in seen:
            continue
        seen.add((src, dst))
        edges.append(VEdge(src, dst, label, e.argnum))
    graph.nodes = new_nodes
    graph.edges = edges
    _sort_topologically(graph)


def _sort_topologically(graph: Graph) -> None:
    """Reorder ``graph.nodes`` so that inputs come before consumers (stable otherwise):
    the passes rely on it, and a merged box can land before its inputs."""
    producers_of = producers(graph)
    consumers_of = consumers(graph)
    remaining = {nid: len(set(producers_of[nid])) for nid in graph.nodes}
    position = {nid: k for k, nid in enumerate(graph.nodes)}
    order = []
    heap = [(position[nid], nid) for nid, k in remaining.items() if k == 0]
    heapq.heapify(heap)
    while heap:
        _, nid = heapq.heappop(heap)
        order.append(nid)
        for dst in set(consumers_of[nid]):
            remaining[dst] -= 1
            if remaining[dst] == 0:
                heapq.heappush(heap, (position[dst], dst))
    if len(order) < len(graph.nodes):  # a cycle through a box: keep the rest as it was
        placed = set(order)
        order += [nid for nid in graph.nodes if nid not in placed]
    graph.nodes = {nid: graph.nodes[nid] for nid in order}
