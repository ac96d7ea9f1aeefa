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


def check_dtype(layer, name: str, input, weight) -> None:
    """Refuse an input whose dtype is not the weight's, as PyTorch does (a float64
    batch into a float32 model would otherwise compute silently in float64). The error
    names the layer class (or the function) and both dtypes."""
    if weight is None:
        return
    have, want = _dtype(input), _dtype(weight)
    if have != want:
        who = type(layer).__name__ if layer is not None else name
        raise RuntimeError(
            f"{who}: input dtype {have} does not match weight dtype {want}; cast the "
            f"input (x.to({want})) or the model (model.to({have}))"
        )


def _caller(layer, name: str) -> str:
    """How an error message names who called: the layer's repr when a module called
    (``Linear(in_features=3, ...)``), else the function's ``name``."""
    return repr(layer) if layer is not None else name
