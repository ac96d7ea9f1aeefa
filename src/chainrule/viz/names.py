"""Names for the boxes of a picture and the factors of an explanation: the user's
variable names, given explicitly or read from the caller's frame, and the names of a
model's parameters (``0.weight``) as ``named_parameters()`` gives them.

Every map here is keyed by ``id``: of a recorded node, or, for a tensor without a
graph (a constant input), of the tensor and of its array.
"""

from __future__ import annotations

import numpy as np

from chainrule.nn import Module
from chainrule.tensors import Tensor


def caller_names(frame) -> dict[int, str]:
    """Map ``id`` of recorded nodes (and of tensors) to the caller's variable names.

    Only used for labels: ``x = cr.tensor(...); viz.draw(y)`` shows "x" on the leaf,
    and the parameters of a module the caller holds are named as in
    ``named_parameters()`` (``0.weight``), unless a variable names them.
    """
    names: dict[int, str] = {}
    if frame is None:
        return names
    local = [(k, v) for k, v in list(frame.f_locals.items()) if not k.startswith("_")]
    for key, value in local:
        if isinstance(value, Tensor):
            _add_name(names, key, value, overwrite=False)
    for _, value in local:
        for key, name in module_param_names(value).items():
            names.setdefault(key, name)
    return names


def module_param_names(value) -> dict[int, str]:
    """:func:`param_names` of ``value`` when it is an ``nn.Module``, else empty (for
    scanning a frame's variables)."""
    return param_names(value) if isinstance(value, Module) else {}


def _add_name(names: dict, key: str, t: Tensor, overwrite: bool = True) -> None:
    """Name a tensor's node, or (without a graph) the tensor and its array."""
    if t._node is not None:
        targets = [t._node]
    else:  # numpy views share the base of the array they were taken from
        base = t._value.base if isinstance(t._value, np.ndarray) else None
        targets = [t, t._value] + ([base] if base is not None else [])
    for target in targets:
        if overwrite or id(target) not in names:
            names[id(target)] = key


def names_from(mapping) -> dict[int, str]:
    """``{"x": x_tensor, ...}`` (as users pass it) to the id-keyed map ``build`` uses."""
    names: dict[int, str] = {}
    for key, value in (mapping or {}).items():
        if isinstance(value, Tensor):
            _add_name(names, key, value)
    return names


def param_names(model) -> dict[int, str]:
    """``id`` of each parameter's node -> its name in ``model.named_parameters()``;
    empty for no model."""
    if model is None:
        return {}
    return {id(p._node): k for k, p in model.named_parameters() if p._node is not None}
