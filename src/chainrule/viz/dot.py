"""DOT text for a :class:`~chainrule.viz.graph.Graph`, and rendering with Graphviz.

``to_dot`` is plain string building, so it works with nothing installed. Rendering
(SVG, PNG, PDF) goes through the ``graphviz`` Python package when it is installed,
else straight to the ``dot`` program; both are looked up only when a picture is
asked for. Without ``dot`` the error says how to install Graphviz.

Reading the picture: data flows left to right (forward pass). Each box shows the op,
the shape of its result (arrays), its forward value and, after ``backward()``, its
gradient (the cotangent it received: d output / d this value). An edge label is the
local derivative d(consumer)/d(input), shown on scalar graphs. Blue boxes are leaves
that require grad, grey ovals constants, the red box the output.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import textwrap

import numpy as np

from chainrule.viz.format import as_array, shape_text, summary
from chainrule.viz.graph import Graph, VNode
from chainrule.viz.notation import symbol

INSTALL_HINT = (
    "Rendering needs Graphviz's `dot` program, which was not found on PATH. Install "
    "Graphviz (Debian/Ubuntu: `sudo apt-get install graphviz`; macOS: `brew install "
    "graphviz`; conda: `conda install -c conda-forge graphviz`; Windows and others: "
    "https://graphviz.org/download/) and the Python package (`pip install "
    "chainrule[viz]`). Meanwhile `.to_dot()` or saving to a .dot file works without it."
)

FORMATS = {".svg": "svg", ".png": "png", ".pdf": "pdf", ".dot": "dot", ".gv": "dot"}

FONT = "Helvetica"
GRAD_COLOR = "#b91c1c"
STYLE = {  # kind -> (fill, border)
    "leaf": ("#dbeafe", "#2563eb"),
    "op": ("#f8fafc", "#64748b"),
    "root": ("#fee2e2", "#dc2626"),
    "const": ("#ffffff", "#94a3b8"),
    "module": ("#ede9fe", "#7c3aed"),
    "repeat": ("#fef3c7", "#d97706"),
    "more": ("#f1f5f9", "#94a3b8"),
}


class GraphvizNotFound(RuntimeError):
    """Graphviz's ``dot`` program is missing; the message says how to install it."""


# -- DOT text ------------------------------------------------------------------------------
def _esc(text: str) -> str:
    text = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;")


def _quote(text: str) -> str:
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


NOTE_WIDTH = 100  # characters per line of the notes (at least; or the legend's width)
SMALL = 11  # point size of the secondary lines (shape, static arguments, notes)
MUTED = "#475569"


def _row(text: str, *, size: int | None = None, color: str | None = None, bold=False) -> str:
    body = _esc(text)
    if bold:
        body = f"<b>{body}</b>"
    attrs = []
    if size:
        attrs.append(f'point-size="{size}"')
    if color:
        attrs.append(f'color="{color}"')
    if attrs:
        body = f"<font {' '.join(attrs)}>{body}</font>"
    return f"<tr><td>{body}</td></tr>"


def _title(n: VNode) -> str:
    if n.kind == "op":
        sym = symbol(n.title)
        op = n.title if sym == n.title else f"{n.title} ({sym})"
        return f"{n.name} = {op}" if n.name else op
    if n.kind == "repeat" and n.name:
        return f"{n.name} = {n.title}"
    return n.title


def _type_text(n: VNode) -> str | None:
    """``(32, 10)``, with the dtype when it is not float64 (``(2,) float32``)."""
    arr = as_array(n.value)
    dtype = "" if arr is None or arr.dtype == np.float64 else str(arr.dtype)
    if n.shape is not None and len(n.shape) > 0:
        return f"{shape_text(n.shape)} {dtype}".strip()
    return dtype or None


def _value_rows(n: VNode) -> list[tuple]:
    rows = []
    kind = _type_text(n)
    if kind:
        rows.append((kind, SMALL, MUTED, False))
    if n.value is not None:
        rows.append((f"value {summary(n.value)}", None, None, False))
    elif n.freed:
        rows.append(("value freed by backward()", SMALL, "#64748b", False))
    if n.grad is not None:
        rows.append((f"grad {summary(n.grad)}", None, GRAD_COLOR, False))
    if n.grad_note:
        rows.append((n.grad_note, SMALL, GRAD_COLOR, False))
    return rows


def _is_scalar_constant(n: VNode) -> bool:
    return n.kind == "const" and (
        n.shape is None or len(n.shape) == 0 or n.value is None or n.value.size == 1
    )


def rows(n: VNode) -> list[tuple]:
    """The lines of a box: ``(text, point size or None, colour or None, bold)``."""
    if _is_scalar_constant(n):
        return [(n.title, None, None, False)]
    if n.kind == "const":
        return [(n.title, None, None, True), (_type_text(n) or "", SMALL, MUTED, False),
                (summary(n.value), SMALL, None, False)]  # fmt: skip
    out = [(_title(n), 15, None, True)]
    out += [(line, SMALL, MUTED, False) for line in n.detail]
    return out + _value_rows(n)


def node_label(n: VNode) -> str:
    if _is_scalar_constant(n):
        return _quote(n.title)
    body = "".join(_row(t, size=s, color=c, bold=b) for t, s, c, b in rows(n))
    table = '<table border="0" cellborder="0" cellspacing="0" cellpadding="2">'
    return f"<{table}{body}</table>>"


def box_size(n: VNode) -> tuple[float, float]:
    """Roughly how big Graphviz will draw the box, in points (for choosing a layout)."""
    lines = rows(n)
    width = max(len(t) * 0.6 * (s or 13) * (1.08 if b else 1.0) for t, s, _, b in lines)
    height = sum(1.25 * (s or 13) + 4 for _, s, _, _ in lines)
    return width + 20, height + 10


def _node_line(n: VNode) -> str:
    kind = "root" if n.root else n.kind
    fill, border = STYLE[kind]
    attrs = {"label": node_label(n), "fillcolor": _quote(fill), "color": _quote(border)}
    if n.kind == "const":
        scalar = _is_scalar_constant(n)
        attrs["shape"] = "ellipse" if scalar else "box"
        attrs["fontcolor"] = '"#334155"'
        attrs["fontsize"] = "12"
        if scalar:
            attrs.update(margin='"0.03,0.02"', width="0.4", height="0.3")
    if n.kind == "more":
        attrs["style"] = '"rounded,filled,dashed"'
    if n.root or n.kind in ("module", "repeat"):
        attrs["penwidth"] = "2"
    body = ", ".join(f"{k}={v}" for k, v in attrs.items())
    return f"  {_quote(n.id)} [{body}];"


def _legend(graph: Graph) -> list[str]:
    parts = ["value: forward value"]
    if graph.has_grad:
        parts.append("grad: d(output)/d(this value), from backward()")
    if graph.scalar_labels:
        parts.append("edge label: local derivative d(consumer)/d(input)")
    return parts


def to_dot(graph: Graph) -> str:
    lines = [
        "digraph chainrule {",
        f"  graph [rankdir={graph.rankdir}, fontname={_quote(FONT)}, fontsize=12, "
        'fontcolor="#334155", labelloc="t", labeljust="l", nodesep=0.3, ranksep=0.45, '
        "pad=0.25, "
        f'label="{_graph_label(graph)}"];',
        f'  node [shape=box, style="rounded,filled", fontname={_quote(FONT)}, fontsize=13, '
        'margin="0.12,0.06", penwidth=1.2];',
        f'  edge [fontname={_quote(FONT)}, fontsize=12, color="#475569", arrowsize=0.7, '
        'fontcolor="#1d4ed8"];',
    ]
    clustered: dict[str, list[VNode]] = {}
    for n in graph.nodes.values():
        if n.cluster:
            clustered.setdefault(n.cluster, []).append(n)
        else:
            lines.append(_node_line(n))
    for cid, members in clustered.items():
        lines.append(f"  subgraph {_quote(cid)} {{")
        lines.append(
            f'    label={_quote(graph.clusters[cid])}; style="rounded,dashed"; '
            f'color="#7c3aed"; fontcolor="#5b21b6"; fontsize=14;'
        )
        lines += ["  " + _node_line(n) for n in members]
        lines.append("  }")
    for e in graph.edges:
        attrs = []
        if e.label is not None:
            attrs.append(f"label={_quote(' ' + e.label + ' ')}")
        if graph.nodes[e.src].kind == "const":
            attrs.append('color="#94a3b8"')
        tail = f" [{', '.join(attrs)}]" if attrs else ""
        lines.append(f"  {_quote(e.src)} -> {_quote(e.dst)}{tail};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _graph_label(graph: Graph) -> str:
    """Notes, then the legend; left-justified lines (DOT's ``\\l`` line ends), wrapped so
    that a long note does not make a small picture wide."""
    legend = "   \u00b7   ".join(_legend(graph))  # one line
    width = max(NOTE_WIDTH, len(legend))
    lines = [part for note in graph.notes for part in textwrap.wrap(note, width)]
    lines.append(legend)
    return "".join(_quote(line)[1:-1] + "\\l" for line in lines)


# -- rendering -----------------------------------------------------------------------------
def render(dot_text: str, format: str = "svg") -> bytes:
    """Render DOT text with Graphviz; raise :class:`GraphvizNotFound` without ``dot``."""
    try:
        import graphviz
    except ImportError:
        graphviz = None
    if graphviz is not None:
        try:
            return graphviz.Source(dot_text).pipe(format=format)
        except graphviz.ExecutableNotFound:
            raise GraphvizNotFound(INSTALL_HINT) from None
    exe = shutil.which("dot")
    if exe is None:
        raise GraphvizNotFound(INSTALL_HINT)
    proc = subprocess.run([exe, f"-T{format}"], input=dot_text.encode(), capture_output=True)
    if proc.returncode != 0:
        raise RuntimeError(f"dot failed: {proc.stderr.decode(errors='replace').strip()}")
    return proc.stdout


def dot_available() -> bool:
    """Whether pictures can be rendered here (Graphviz's ``dot`` is on PATH)."""
    return shutil.which("dot") is not None


def save(graph: Graph, path) -> str:
    """Write ``graph`` to ``path``; the extension picks the format."""
    path = os.fspath(path)
    ext = os.path.splitext(path)[1].lower()
    if ext not in FORMATS:
        raise ValueError(
            f"can't tell the format of {path!r}: use one of {', '.join(sorted(FORMATS))}"
        )
    fmt = FORMATS[ext]
    data = graph.to_dot().encode() if fmt == "dot" else render(graph.to_dot(), fmt)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)
    return path
