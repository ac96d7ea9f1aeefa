"""The boxes and arrows of a picture (:class:`VNode`, :class:`VEdge`) and how one box is
written in Graphviz's DOT language.

Each box shows the op, the shape of its result (arrays), its forward value and, after
``backward()``, its gradient (the cotangent it received: d output / d this value).
Blue boxes are leaves that require grad, grey ovals constants, the red box the output.
:func:`box_size` estimates how big Graphviz will draw a box, for choosing the layout
(:mod:`.layout`); the whole graph's DOT text is :meth:`.graph.Graph.to_dot`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from chainrule.tensors import get_default_dtype
from chainrule.viz.format import as_array, shape_text, summary
from chainrule.viz.labels import symbol


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


GRAD_COLOR = "#b91c1c"
SMALL = 11  # point size of the secondary lines (shape, static arguments, notes)
MUTED = "#475569"
STYLE = {  # kind -> (fill, border)
    "leaf": ("#dbeafe", "#2563eb"),
    "op": ("#f8fafc", "#64748b"),
    "root": ("#fee2e2", "#dc2626"),
    "const": ("#ffffff", "#94a3b8"),
    "module": ("#ede9fe", "#7c3aed"),
    "repeat": ("#fef3c7", "#d97706"),
    "more": ("#f1f5f9", "#94a3b8"),
}


def _esc(text: str) -> str:
    text = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;")


def quote(text: str) -> str:
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


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
    """``(32, 10)``, with the dtype when it is neither float64 (NumPy's default) nor the
    Tensor's default dtype (``(2,) float16``)."""
    arr = as_array(n.value)
    usual = arr is None or arr.dtype == np.float64 or arr.dtype == get_default_dtype()
    dtype = "" if usual else str(arr.dtype)
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
        return quote(n.title)
    body = "".join(_row(t, size=s, color=c, bold=b) for t, s, c, b in rows(n))
    table = '<table border="0" cellborder="0" cellspacing="0" cellpadding="2">'
    return f"<{table}{body}</table>>"


def box_size(n: VNode) -> tuple[float, float]:
    """Roughly how big Graphviz will draw the box, in points (for choosing a layout)."""
    lines = rows(n)
    width = max(len(t) * 0.6 * (s or 13) * (1.08 if b else 1.0) for t, s, _, b in lines)
    height = sum(1.25 * (s or 13) + 4 for _, s, _, _ in lines)
    return width + 20, height + 10


def node_line(n: VNode) -> str:
    kind = "root" if n.root else n.kind
    fill, border = STYLE[kind]
    attrs = {"label": node_label(n), "fillcolor": quote(fill), "color": quote(border)}
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
    return f"  {quote(n.id)} [{body}];"
