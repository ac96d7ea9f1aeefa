"""How numbers and arrays are written in pictures and explanations.

One place for the formatting rules, so that ``draw`` and ``explain_backward`` show the
same value the same way: scalars in full (up to 6 significant digits), arrays as a
summary (shape, mean, min and max; or shape and norm where a magnitude is what matters).
"""

from __future__ import annotations

import re
import textwrap

import numpy as np


def as_array(value) -> np.ndarray | None:
    """``value`` as a NumPy array (Tensors, NumPy scalars and Python numbers), or None."""
    if value is None:
        return None
    if isinstance(value, tuple):
        return None
    raw = getattr(value, "_value", value)  # a Tensor (or another box): its array
    try:
        return np.asarray(raw)
    except Exception:  # pragma: no cover - exotic objects are shown by repr
        return None


def number(v, digits: int = 6) -> str:
    """A scalar, readable: ``30``, ``-0.5``, ``0.761594``, ``1.5e-08``, ``nan``.

    Also a one-element array of any shape (a ``(1,)`` loss, a ``(1, 1)`` output)."""
    if np.ndim(v) and np.size(v) == 1:
        v = np.asarray(v).reshape(())
    v = complex(v) if np.iscomplexobj(v) else float(v)
    if isinstance(v, complex):
        return f"{v:.{digits}g}"
    if not np.isfinite(v):
        return str(v)
    if v == int(v) and abs(v) < 1e15:
        return str(int(v))
    return f"{v:.{digits}g}"


def shape_text(shape) -> str:
    """``(32, 10)``; a 1-d shape keeps its comma: ``(5,)``; a scalar is ``()``."""
    return "(" + ", ".join(str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"


def is_scalar(value) -> bool:
    arr = as_array(value)
    return arr is not None and arr.size == 1


def summary(value) -> str:
    """Scalars in full; arrays as ``mean m  [min, max]`` (the shape is shown apart),
    ``all 1`` when every element is the same, ``mask, 40% true`` for booleans; a tuple
    (``eigh``'s result) as the shapes of its parts."""
    if isinstance(value, tuple):
        parts = [as_array(v) for v in value]
        if any(p is None for p in parts):
            return f"tuple of {len(value)}"
        return "tuple: " + ", ".join(shape_text(p.shape) for p in parts)
    arr = as_array(value)
    if arr is None:
        return "?"
    if arr.size == 1:
        return number(arr.reshape(()))
    if arr.size == 0:
        return "empty"
    if arr.dtype.kind == "b":
        return f"mask, {number(100 * arr.mean(), 3)}% true"
    if arr.dtype.kind not in "fciu":
        return f"dtype {arr.dtype}"
    if arr.dtype.kind == "c":
        return f"mean {number(arr.mean(), 4)}"
    lo, hi = arr.min(), arr.max()
    if lo == hi:
        return f"all {number(lo, 4)}"
    return f"mean {number(arr.mean(), 4)}  [{number(lo, 4)}, {number(hi, 4)}]"


def index_text(index) -> str:
    """A static index as NumPy syntax: ``[1:4]``, ``[:, 0]``, ``[None, ..., ::2]``;
    index arrays by their shape (``[int array (2, 3)]``, ``[bool mask (4,)]``)."""
    items = index if isinstance(index, tuple) else (index,)
    text = "[" + ", ".join(_index_item(i) for i in items) + "]"
    arrays = [i for i in items if isinstance(i, np.ndarray)]
    if len(text) > 40 and len(arrays) > 1:  # max-pooling's gather: say what, not each
        try:
            shape = shape_text(np.broadcast_shapes(*(a.shape for a in arrays)))
        except ValueError:
            shape = "?"
        others = len(items) - len(arrays)
        rest = f" and {others} more" if others else ""
        text = f"[{len(arrays)} index arrays, broadcast to {shape}{rest}]"
    return text


def _index_item(item) -> str:
    if item is Ellipsis:
        return "..."
    if item is None:
        return "None"
    if isinstance(item, slice):
        parts = ["" if v is None else str(v) for v in (item.start, item.stop, item.step)]
        text = f"{parts[0]}:{parts[1]}"
        return text + (f":{parts[2]}" if parts[2] else "")
    if isinstance(item, np.ndarray):
        kind = "bool mask" if item.dtype.kind == "b" else "int array"
        return f"{kind} {shape_text(item.shape)}"
    return str(item)


def static_text(value, limit: int = 28) -> str:
    """A static argument, short: arrays by shape and dtype, long reprs cut."""
    if isinstance(value, np.ndarray):
        text = f"array {shape_text(value.shape)} {value.dtype}"
    elif isinstance(value, tuple) and any(isinstance(v, np.ndarray) for v in value):
        text = "(" + ", ".join(static_text(v, limit) for v in value) + ")"
    else:
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def norm(value) -> float:
    arr = as_array(value)
    return float(np.linalg.norm(arr.ravel())) if arr is not None else float("nan")


def magnitude(value) -> str:
    """Scalars in full; arrays as ``shape (3, 4), ‖·‖ = 1.23``."""
    arr = as_array(value)
    if arr is None:
        return "?"
    if arr.size == 1 and arr.ndim == 0:
        return number(arr)
    return f"shape {shape_text(arr.shape)}, \u2016\u00b7\u2016 = {number(norm(arr), 4)}"


WIDTH = 80  # the width of a terminal that text output must fit
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def visible_len(text: str) -> int:
    """The length of ``text`` on screen (ANSI colour codes take no room)."""
    return len(_ANSI.sub("", text))


def wrap(text: str, width: int = WIDTH, indent: str = "", first: str = "") -> list[str]:
    """``text`` broken at spaces into lines of at most ``width`` characters (a word
    longer than that stays whole); ``first`` starts the first line, ``indent`` the rest."""
    return textwrap.wrap(
        text,
        width,
        initial_indent=first,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [first.rstrip()]


def join_wrapped(first: str, parts: list[str], sep: str, indent: str, width: int = WIDTH):
    """``first`` followed by ``parts`` joined with ``sep``, broken between parts (never
    inside one) so that each line fits ``width``; continuation lines start ``indent``."""
    lines, line = [], first
    for i, part in enumerate(parts):
        piece = part if i == 0 else sep + part
        if i and visible_len(line) + visible_len(piece.rstrip()) > width:
            lines.append(line + sep.rstrip())
            line = indent + part
        else:
            line += piece
    return [*lines, line]


def table(head: tuple, rows: list[tuple], indent: str = "    ", wrap_col: int = 2,
          width: int = WIDTH) -> list[str]:  # fmt: skip
    """Rows in aligned columns, fitting ``width``: column ``wrap_col`` (the widest text)
    is wrapped onto continuation lines when the whole would be wider, and if that is
    not enough, column 1 (the op, also named by the rule) is left out."""
    rows = [tuple(str(c) for c in r) for r in rows]
    widths = [max(len(r[c]) for r in [head, *rows]) for c in range(len(head))]
    spare = width - len(indent) - sum(widths) - 2 * (len(head) - 1)
    if spare < 0:
        widths[wrap_col] = max(10, widths[wrap_col] + spare)
        if len(indent) + sum(widths) + 2 * (len(head) - 1) > width and wrap_col != 1:
            keep = [c for c in range(len(head)) if c != 1]
            picked = [tuple(r[c] for c in keep) for r in rows]
            return table(tuple(head[c] for c in keep), picked, indent, keep.index(wrap_col), width)
    fmt = indent + "  ".join(f"{{:<{w}}}" for w in widths)
    out = []
    for r in [head, *rows]:
        pieces = wrap(r[wrap_col], widths[wrap_col]) if r[wrap_col] else [""]
        for k, piece in enumerate(pieces):
            cells = list(r) if k == 0 else [""] * len(r)
            cells[wrap_col] = piece
            out.append(fmt.format(*cells).rstrip())
    return out


def fit(text: str, width: int = WIDTH) -> str:
    """Every line of ``text`` made to fit ``width``: a longer line is broken before an
    ``=`` of its chain of equalities, else at spaces; continuation lines are indented
    four spaces past the line's own indent."""
    out = []
    for line in text.splitlines():
        if visible_len(line) <= width:
            out.append(line)
            continue
        lead = " " * (len(line) - len(line.lstrip()) + 4)
        first, *rest = line.split(" = ")
        pieces = join_wrapped("", [first, *rest], " = ", lead + "= ", width) if rest else [line]
        for piece in pieces:
            piece = piece.removesuffix(" =")
            if visible_len(piece) <= width:
                out.append(piece)
            else:
                body = piece.lstrip()
                first_indent = piece[: len(piece) - len(body)]
                out += wrap(body, width, indent=lead, first=first_indent)
    return "\n".join(out)
