"""Gradient clipping with PyTorch's names: ``clip_grad_norm_`` and ``clip_grad_value_``.

Both act in place on the ``.grad`` of the given parameters (those without a gradient are
skipped) after ``backward()`` and before the optimizer step."""

from __future__ import annotations

import numpy as np

from chainrule.tensors import Tensor
from chainrule.tensors.device import device_of


def _grads(parameters) -> list[np.ndarray]:
    params = [parameters] if isinstance(parameters, Tensor) else list(parameters)
    return [p.grad._value for p in params if p.grad is not None]


def clip_grad_norm_(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False) -> Tensor:
    """Scale all gradients together so that their joint ``norm_type`` norm is at most
    ``max_norm``; returns the norm before clipping."""
    grads = _grads(parameters)
    if not grads:
        return Tensor(0.0)
    p = float(norm_type)
    per = [np.linalg.norm(g.ravel(), ord=p) for g in grads]
    total = float(np.max(per)) if p == np.inf else float(np.linalg.norm(per, ord=p))
    if error_if_nonfinite and not np.isfinite(total):
        raise RuntimeError(f"clip_grad_norm_: the total gradient norm is {total}")
    scale = float(max_norm) / (total + 1e-6)
    if scale < 1.0:
        for g in grads:
            g *= scale
    norm = Tensor(np.asarray(total, np.result_type(*grads)))  # in the gradients' dtype
    return norm.to(device_of(grads[0]))  # and on their device


def clip_grad_value_(parameters, clip_value) -> None:
    """Clip every gradient entry into ``[-clip_value, clip_value]``."""
    c = float(clip_value)
    for g in _grads(parameters):
        np.clip(g, -c, c, out=g)
