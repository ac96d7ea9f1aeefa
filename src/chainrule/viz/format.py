"""How numbers and arrays are written in pictures and explanations.

One place for the formatting rules, so that ``draw`` and ``explain_backward`` show the
same value the same way: scalars in full (up to 6 significant digits), arrays as a
summary (shape, mean, min and max; or shape and norm where a magnitude is what matters).
"""

from __future__ import annotations

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
