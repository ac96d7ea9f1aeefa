"""A module tree's state as a flat mapping, and back: what ``Module.state_dict`` and
``Module.load_state_dict`` do.

Keys are the dotted paths of PyTorch (``"features.0.weight"``): a module's own
parameters, then its persistent buffers, then each child's entries under the child's
name. Loading checks every key's shape and dtype before it writes anything, so a
failed load leaves the model as it was.
"""

from __future__ import annotations

from collections import OrderedDict, namedtuple

import numpy as np

from chainrule.tensors import Tensor, no_grad
from chainrule.tensors.device import device_of, move

__all__ = ["IncompatibleKeys", "array_of", "collect_state", "load_state"]

IncompatibleKeys = namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])


def array_of(value) -> np.ndarray:
    """The values of a tensor (shared, on its device), or an array-like as a NumPy
    array (a state_dict may hold either)."""
    return value._value if isinstance(value, Tensor) else np.asarray(value)


def collect_state(module, destination, prefix: str, keep_vars: bool) -> OrderedDict:
    """Add ``module``'s entries to ``destination`` (a new ``OrderedDict`` when None)
    under ``prefix``; children are asked through their own ``state_dict`` method."""
    if destination is None:
        destination = OrderedDict()
    for name, p in module._parameters.items():
        if p is not None:
            destination[prefix + name] = p if keep_vars else _on_host(p)
    for name, b in module._buffers.items():
        if b is not None and name not in module._non_persistent:
            destination[prefix + name] = b if keep_vars else _on_host(b)
    for name, child in module._modules.items():
        if child is not None:
            child.state_dict(destination, prefix + name + ".", keep_vars)
    return destination


def _key_problems(missing: list, unexpected: list) -> list[str]:
    problems = []
    if unexpected:
        problems.append("Unexpected key(s) in state_dict: " + ", ".join(map(repr, unexpected)))
    if missing:
        problems.append("Missing key(s) in state_dict: " + ", ".join(map(repr, missing)))
    return problems


def _value_problem(key: str, value: np.ndarray, have: np.ndarray) -> str | None:
    """Why ``value`` can't be loaded into a tensor holding ``have`` (None if it can)."""
    if value.shape != have.shape:
        return (
            f"size mismatch for {key}: copying a param with shape {value.shape} from "
            f"checkpoint, the shape in current model is {have.shape}"
        )
    if value.dtype != have.dtype:
        return (
            f"dtype mismatch for {key}: the checkpoint has {value.dtype}, the current "
            f"model has {have.dtype} (cast the model with .to({value.dtype}) or the "
            "checkpoint's values first)"
        )
    return None


def load_state(module, state_dict, strict: bool) -> IncompatibleKeys:
    """Copy ``state_dict``'s values into ``module``'s tensors by key, all or nothing:
    any problem (with ``strict``, a missing or unexpected key too) raises one
    ``RuntimeError`` listing every problem, before anything is written."""
    own = module.state_dict(keep_vars=True)
    missing = [k for k in own if k not in state_dict]
    unexpected = [k for k in state_dict if k not in own]
    problems = _key_problems(missing, unexpected) if strict else []
    pending = []
    for key, target in own.items():
        if key in state_dict:
            value = array_of(state_dict[key])
            problem = _value_problem(key, value, array_of(target))
            if problem is None:
                pending.append((target, value))
            else:
                problems.append(problem)
    if problems:
        raise RuntimeError(
            f"Error(s) in loading state_dict for {type(module).__name__}:\n\t"
            + "\n\t".join(problems)
        )
    with no_grad():
        for target, value in pending:
            target.data = move(value.copy(), device_of(target._value))
    return IncompatibleKeys(missing, unexpected)


def _on_host(t: Tensor) -> Tensor:
    """A detached tensor of ``t``'s values: shared on the CPU, a host copy of a device
    tensor's (so that a checkpoint never holds device arrays)."""
    return t.detach().cpu()
