"""Which way the picture flows: left to right, or top to bottom.

A short graph of small boxes reads best left to right (the way the forward pass is
written); a deep one, or one of wide array boxes, would then be a strip too long to
read at a glance. ``choose_rankdir`` estimates the picture Graphviz will draw both
ways, from the boxes' text: left to right when that fits a screen; else top to bottom
when that fits the screen's width (notebooks and browsers shrink a wide picture to
the page, but scroll a tall one at full size); else whichever needs less shrinking.
"""

from __future__ import annotations

from chainrule.viz.boxes import box_size
from chainrule.viz.graph import Graph

SCREEN = (1600.0, 1000.0)  # points: what "at a glance" has to fit in
RANKSEP, NODESEP = 40.0, 22.0  # points between ranks / between boxes of one rank


def levels(graph: Graph) -> dict[str, int]:
    """Each box's rank as Graphviz lays it out: an op one past its latest input; an
    input (leaf, constant) just before its first consumer."""
    producers: dict[str, list[str]] = {nid: [] for nid in graph.nodes}
    consumers: dict[str, list[str]] = {nid: [] for nid in graph.nodes}
    for e in graph.edges:
        producers[e.dst].append(e.src)
        consumers[e.src].append(e.dst)
    level: dict[str, int] = {}
    for nid in graph.nodes:  # forward order: inputs first (constants come last: level 1)
        level[nid] = 1 + max((level.get(src, 1) for src in producers[nid]), default=0)
    for nid in graph.nodes:
        if not producers[nid] and consumers[nid]:
            level[nid] = max(1, min(level[dst] for dst in consumers[nid]) - 1)
    return level


def depth(graph: Graph) -> int:
    """The number of boxes on the longest input-to-output chain."""
    return max(levels(graph).values(), default=0)


def _extent(graph: Graph, level: dict[str, int], sizes, across: int) -> tuple[float, float]:
    """(length along the flow, breadth across it) of the picture."""
    along: dict[int, float] = {}
    wide: dict[int, float] = {}
    for nid, lv in level.items():
        a, b = sizes[nid][1 - across], sizes[nid][across]
        along[lv] = max(along.get(lv, 0.0), a)
        wide[lv] = wide.get(lv, -NODESEP) + b + NODESEP
    length = sum(along.values()) + RANKSEP * max(len(along) - 1, 0)
    return length, max(wide.values(), default=0.0)


def _scale(width: float, height: float) -> float:
    return min(1.0, SCREEN[0] / max(width, 1.0), SCREEN[1] / max(height, 1.0))


def choose_rankdir(graph: Graph) -> str:
    """ "LR" or "TB", whichever shows the picture best on a screen (see the module doc)."""
    if not graph.nodes:
        return "LR"
    level = levels(graph)
    sizes = {nid: box_size(n) for nid, n in graph.nodes.items()}
    # left to right: ranks follow one another in x, so the length uses box widths
    lr_width, lr_height = _extent(graph, level, sizes, across=1)
    if lr_width <= SCREEN[0] and lr_height <= SCREEN[1]:
        return "LR"
    tb_height, tb_width = _extent(graph, level, sizes, across=0)
    if tb_width <= SCREEN[0]:
        return "TB"
    return "TB" if _scale(tb_width, tb_height) > _scale(lr_width, lr_height) else "LR"
