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
    """A scalar, readable: ``30``, ``-0.5``, ``0.761594``, ``1.5e-08``, ``nan``."""
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
    """Scalars in full; arrays as ``mean m  [min, max]`` (the shape is shown apart)."""
    arr = as_array(value)
    if arr is None:
        return "tuple" if isinstance(value, tuple) else "?"
    if arr.size == 1:
        return number(arr.reshape(()))
    if arr.size == 0:
        return "empty"
    if arr.dtype.kind not in "fciu":
        return f"dtype {arr.dtype}"
    if arr.dtype.kind == "c":
        return f"mean {number(arr.mean(), 4)}"
    lo, hi = number(arr.min(), 4), number(arr.max(), 4)
    return f"mean {number(arr.mean(), 4)}  [{lo}, {hi}]"


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
