"""``detect_anomaly()``: find the first NaN or Inf, in either pass, and say where.

While active, every primitive's forward output and every cotangent produced in the
backward pass is checked. The first non-finite value raises ``FloatingPointError``
naming the operation, the pass, and the line of user code that created the operation
(recorded at forward time, so a backward failure still points at the user's line).
"""

from __future__ import annotations

import contextvars
import os
import sys
from contextlib import contextmanager
from types import FrameType

import numpy as np

from chainrule.core.trace import unbox_all

_enabled: contextvars.ContextVar[bool] = contextvars.ContextVar("chainrule_anomaly", default=False)
_UNKNOWN = (
    "<unknown> (the forward pass ran outside detect_anomaly(); run it inside to see the line)"
)
_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@contextmanager
def detect_anomaly():
    """Context manager: raise ``FloatingPointError`` at the first NaN/Inf produced."""
    token = _enabled.set(True)
    try:
        yield
    finally:
        _enabled.reset(token)


def anomaly_enabled() -> bool:
    return _enabled.get()


def user_line() -> str:
    """``file:line`` of the innermost stack frame outside the chainrule package."""
    frame: FrameType | None = sys._getframe(1)
    while frame is not None:
        filename = os.path.abspath(frame.f_code.co_filename)
        if not filename.startswith(_PACKAGE_DIR) and "contextlib" not in filename:
            return f"{frame.f_code.co_filename}:{frame.f_lineno}"
        frame = frame.f_back
    return "<unknown>"


def _all_finite(value) -> bool:
    value = unbox_all(value)
    if value is None:
        return True
    if isinstance(value, tuple):
        return all(_all_finite(v) for v in value)
    arr = np.asarray(value)
    if arr.dtype.kind not in "fc":
        return True
    return bool(np.isfinite(arr).all())


def check_forward(name: str, value) -> None:
    if not _all_finite(value):
        raise FloatingPointError(
            f"detect_anomaly: operation '{name}' produced NaN or Inf in the forward pass, "
            f"created at {user_line()}"
        )


def check_backward(name: str, argnum: int, value, where: str | None) -> None:
    if not _all_finite(value):
        raise FloatingPointError(
            f"detect_anomaly: the backward pass of operation '{name}' produced NaN or Inf "
            f"in the gradient of its argument {argnum}; the operation was created at "
            f"{where or _UNKNOWN}"
        )


def check_tangent(name: str, value) -> None:
    if not _all_finite(value):
        raise FloatingPointError(
            f"detect_anomaly: operation '{name}' produced a NaN or Inf tangent in forward "
            f"mode, created at {user_line()}"
        )


def check_seed(value) -> None:
    """The gradient passed to ``backward(gradient=...)``."""
    if not _all_finite(value):
        raise FloatingPointError(
            "detect_anomaly: the gradient passed to backward() contains NaN or Inf"
        )
