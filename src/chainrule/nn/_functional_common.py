"""What the function modules of ``nn.functional`` share: the :class:`ShapeError` they
raise for inputs that don't fit a layer, how they read an argument's shape and dtype
(traced or not) without recording an op, and how an error names its caller.

``ShapeError`` is public through ``nn.functional``, which re-exports it; its
``__module__`` names that public home, which reprs, tracebacks and pickles show.
"""

from __future__ import annotations

import numpy as np

from chainrule.core.trace import unbox_all, visible_shape

__all__ = ["ShapeError"]


class ShapeError(ValueError, RuntimeError):
    """An input's shape doesn't fit a layer. Both a ``ValueError`` and (as PyTorch
    raises) a ``RuntimeError``, so either ``except`` clause catches it."""

    __module__ = "chainrule.nn.functional"  # its public home (re-exported there)


def _shape(x) -> tuple:
    return visible_shape(x)


def _dtype(x) -> np.dtype:
    return np.result_type(unbox_all(x))


def _caller(layer, name: str) -> str:
    """How an error message names who called: the layer's repr when a module called
    (``Linear(in_features=3, ...)``), else the function's ``name``."""
    return repr(layer) if layer is not None else name
