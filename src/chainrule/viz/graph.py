"""The picture's model: a :class:`Graph` of boxes and arrows, and its DOT text.

:func:`.build_graph.build` makes one from a Tensor's recorded graph; :mod:`.collapse`
and :mod:`.modules` fold parts of it into single boxes; :meth:`Graph.to_dot` writes it
in Graphviz's DOT language, and :mod:`.dot` renders that.

Reading the picture: data flows left to right (forward pass), or top to bottom in a
picture too long for a screen. Each box is described in :mod:`.boxes`. An edge label
is the local derivative d(consumer)/d(input), shown on scalar graphs. The notes (what
was collapsed or could not be shown) and a legend stand above the picture.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field

from chainrule.viz.boxes import VEdge, VNode, node_line, quote
from chainrule.viz.dot import GraphvizNotFound, render, write_picture

FONT = "Helvetica"
NOTE_WIDTH = 100  # characters per line of the notes (at least; or the legend's width)


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
        lines = [*_header_lines(self), *self._node_lines()]
        for e in self.edges:
            attrs = []
            if e.label is not None:
                attrs.append(f"label={quote(' ' + e.label + ' ')}")
            if self.nodes[e.src].kind == "const":
                attrs.append('color="#94a3b8"')
            tail = f" [{', '.join(attrs)}]" if attrs else ""
            lines.append(f"  {quote(e.src)} -> {quote(e.dst)}{tail};")
        lines.append("}")
        return "\n".join(lines) + "\n"

    def _node_lines(self) -> list[str]:
        """The boxes, those of each expanded module inside its cluster."""
        lines = []
        clustered: dict[str, list[VNode]] = {}
        for n in self.nodes.values():
            if n.cluster:
                clustered.setdefault(n.cluster, []).append(n)
            else:
                lines.append(node_line(n))
        for cid, members in clustered.items():
            lines.append(f"  subgraph {quote(cid)} {{")
            lines.append(
                f'    label={quote(self.clusters[cid])}; style="rounded,dashed"; '
                f'color="#7c3aed"; fontcolor="#5b21b6"; fontsize=14;'
            )
            lines += ["  " + node_line(n) for n in members]
            lines.append("  }")
        return lines

    def pipe(self, format: str = "svg") -> bytes:
        """Render with Graphviz (``svg``, ``png``, ``pdf``, ...) and return the bytes."""
        return render(self.to_dot(), format)

    def to_svg(self) -> str:
        return self.pipe("svg").decode("utf-8")

    def save(self, path) -> str:
        """Write the picture; the format follows the extension (.svg .png .pdf .dot .gv)."""
        return write_picture(self.to_dot(), path)

    def _repr_svg_(self):
        try:
            return self.to_svg()
        except GraphvizNotFound:
            return None  # the notebook falls back to the text repr

    def __repr__(self) -> str:
        ops = sum(n.kind == "op" for n in self.nodes.values())
        edges = len(self.edges)
        return f"<chainrule.viz.Graph: {len(self.nodes)} boxes ({ops} ops), {edges} edges>"


def _header_lines(graph: Graph) -> list[str]:
    return [
        "digraph chainrule {",
        f"  graph [rankdir={graph.rankdir}, fontname={quote(FONT)}, fontsize=12, "
        'fontcolor="#334155", labelloc="t", labeljust="l", nodesep=0.3, ranksep=0.45, '
        "pad=0.25, "
        f'label="{_graph_label(graph)}"];',
        f'  node [shape=box, style="rounded,filled", fontname={quote(FONT)}, fontsize=13, '
        'margin="0.12,0.06", penwidth=1.2];',
        f'  edge [fontname={quote(FONT)}, fontsize=12, color="#475569", arrowsize=0.7, '
        'fontcolor="#1d4ed8"];',
    ]


def _legend(graph: Graph) -> list[str]:
    parts = ["value: forward value"]
    if graph.has_grad:
        parts.append("grad: d(output)/d(this value), from backward()")
    if graph.scalar_labels:
        parts.append("edge label: local derivative d(consumer)/d(input)")
    return parts


def _graph_label(graph: Graph) -> str:
    """Notes, then the legend; left-justified lines (DOT's ``\\l`` line ends), wrapped so
    that a long note does not make a small picture wide."""
    legend = "   \u00b7   ".join(_legend(graph))  # one line
    width = max(NOTE_WIDTH, len(legend))
    lines = [part for note in graph.notes for part in textwrap.wrap(note, width)]
    lines.append(legend)
    return "".join(quote(line)[1:-1] + "\\l" for line in lines)
