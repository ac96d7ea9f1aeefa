"""The ``Optimizer`` base class: parameter groups, per-parameter state, ``zero_grad``,
``step(closure)`` and PyTorch-layout ``state_dict``/``load_state_dict``.

Updates are plain NumPy on each parameter's values, written back through
``param.data = ...`` (which bumps the tensor's version, so a graph that saved the old
value refuses to backpropagate through it, as in PyTorch). Nothing is recorded: an
optimizer step is never part of a graph. Per-parameter state (momentum buffers, Adam's
moments) is kept as NumPy arrays; ``state_dict`` hands it out as tensors.
"""

from __future__ import annotations

import copy
from collections import defaultdict

import numpy as np

from chainrule.core.backend import array_namespace
from chainrule.tensors import Tensor, enable_grad
from chainrule.tensors.device import device_of, move, to_host

__all__ = ["Optimizer", "required"]


class _Required:
    def __repr__(self) -> str:
        return "<required parameter>"


required = _Required()


def _check_nonnegative(**values: float) -> None:
    """PyTorch's checks of the hyperparameters that can't be negative, in the order
    given, with its messages (``Invalid learning rate: -1.0``)."""
    for name, value in values.items():
        if value < 0.0:
            raise ValueError(f"Invalid {_CALLED.get(name, name + ' value')}: {value}")


_CALLED = {"lr": "learning rate", "eps": "epsilon value"}


class Optimizer:
    """Base class: subclasses set ``defaults`` and implement ``_update(p, theta, grad,
    group)``, the new values of one parameter; the base class walks the groups, skips
    parameters without a gradient, negates it under ``maximize`` and writes back."""

    def __init__(self, params, defaults: dict):
        self.defaults = dict(defaults)
        self.state: defaultdict = defaultdict(dict)
        self.param_groups: list[dict] = []
        if isinstance(params, Tensor):
            raise TypeError(
                "params argument given to the optimizer should be an iterable of Tensors "
                f"or dicts, but got {type(params).__name__}"
            )
        groups = list(params)
        if not groups:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    def add_param_group(self, param_group: dict) -> None:
        group = dict(param_group)
        params = group["params"]
        group["params"] = [params] if isinstance(params, Tensor) else list(params)
        for p in group["params"]:
            if not isinstance(p, Tensor):
                raise TypeError(f"optimizer can only optimize Tensors, got {type(p).__name__}")
            if not p.is_leaf:
                raise ValueError("can't optimize a non-leaf Tensor")
        for name, default in self.defaults.items():
            if default is required and name not in group:
                raise ValueError(f"parameter group didn't specify a value of required {name!r}")
            group.setdefault(name, default)
        seen = {id(p) for g in self.param_groups for p in g["params"]}
        if any(id(p) in seen for p in group["params"]):
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(group)

    def zero_grad(self, set_to_none: bool = True) -> None:
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                if set_to_none:
                    p.grad = None
                else:
                    g = p.grad._value
                    p.grad = Tensor(array_namespace((g,)).zeros_like(g))

    def step(self, closure=None):
        """One update of every parameter that has a gradient. ``closure`` (optional)
        re-evaluates the model and returns the loss, which ``step`` returns."""
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        for group in self.param_groups:
            maximize = group.get("maximize", False)
            for p in group["params"]:
                if p.grad is None:
                    continue
                grad = p.grad._value  # (on the parameter's device, like its values)
                new = self._update(p, p._value, -grad if maximize else grad, group)
                p.data = new.astype(p.dtype, copy=False)
        return loss

    def _update(
        self, p: Tensor, theta: np.ndarray, grad: np.ndarray, group: dict
    ) -> np.ndarray:  # pragma: no cover - abstract
        """The new values of parameter ``p`` (now ``theta``) after one step along
        ``grad`` (already negated under ``maximize``), with ``group``'s settings."""
        raise NotImplementedError

    def _stepped_state(self, p: Tensor, theta: np.ndarray, **buffers: bool) -> dict:
        """``p``'s state with its ``step`` count advanced. On the first step it is
        created: ``step`` 0, and zeros shaped like ``theta`` for each buffer named with
        a true value (``exp_avg=True, max_exp_avg_sq=amsgrad``), in that order."""
        state = self.state[p]
        if not state:
            state["step"] = 0
            for name, wanted in buffers.items():
                if wanted:
                    state[name] = array_namespace((theta,)).zeros_like(theta)
        state["step"] += 1
        return state

    # -- state dict -------------------------------------------------------------------------
    def state_dict(self) -> dict:
        """``{"state": {index: {name: value}}, "param_groups": [{..., "params": [index]}]}``
        with parameters numbered in group order, as PyTorch does."""
        index: dict[int, int] = {}
        groups = []
        for group in self.param_groups:
            packed = {k: copy.deepcopy(v) for k, v in group.items() if k != "params"}
            packed["params"] = []
            for p in group["params"]:
                index.setdefault(id(p), len(index))
                packed["params"].append(index[id(p)])
            groups.append(packed)
        state = {}
        for group in self.param_groups:
            for p in group["params"]:
                if p in self.state and self.state[p]:
                    state[index[id(p)]] = {
                        k: Tensor(to_host(v)) if hasattr(v, "shape") else _step_tensor(k, v)
                        for k, v in self.state[p].items()
                    }
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: dict) -> None:
        groups = state_dict["param_groups"]
        if len(groups) != len(self.param_groups):
            raise ValueError(
                f"loaded state dict has {len(groups)} parameter groups, the optimizer has "
                f"{len(self.param_groups)}"
            )
        for i, (saved, own) in enumerate(zip(groups, self.param_groups, strict=True)):
            if len(saved["params"]) != len(own["params"]):
                raise ValueError(
                    f"loaded state dict's group {i} has {len(saved['params'])} parameters, "
                    f"the optimizer's has {len(own['params'])}"
                )
        by_index = {}
        for saved, own in zip(groups, self.param_groups, strict=True):
            for idx, p in zip(saved["params"], own["params"], strict=True):
                by_index[int(idx)] = p
            for k, v in saved.items():
                if k != "params":
                    own[k] = copy.deepcopy(v)
        self.state = defaultdict(dict)
        for idx, entries in state_dict["state"].items():
            p = by_index[int(idx)]
            restored = {}
            for k, v in entries.items():
                arr = np.asarray(to_host(v._value if isinstance(v, Tensor) else v))
                if k == "step":
                    restored[k] = int(arr)
                else:
                    if arr.shape != tuple(p.shape):
                        raise ValueError(
                            f"optimizer state {k!r} for parameter {idx} has shape {arr.shape}, "
                            f"the parameter has shape {tuple(p.shape)}"
                        )
                    restored[k] = move(np.array(arr, dtype=p.dtype), device_of(p._value))
            self.state[p] = restored

    def __repr__(self) -> str:
        lines = [type(self).__name__ + " ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            for key in sorted(k for k in group if k != "params"):
                lines.append(f"    {key}: {group[key]}")
        lines.append(")")
        return "\n".join(lines)


def _step_tensor(key, value):
    # PyTorch keeps the step count as a (float) tensor
    return Tensor(float(value)) if key == "step" else value  # (the default dtype)
