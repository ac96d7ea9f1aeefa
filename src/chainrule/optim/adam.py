"""Adam and AdamW with PyTorch's exact updates (bias correction, amsgrad, maximize):

g ← ∇ + λ·θ                      (Adam's L2 weight decay; AdamW instead: θ ← θ·(1 - lr·λ))
m ← m + (1 - β₁)·(g - m)          v ← β₂·v + (1 - β₂)·g²
v̂ ← max(v̂, v) with amsgrad, else v
θ ← θ - (lr / (1 - β₁ᵗ)) · m / (sqrt(v̂) / sqrt(1 - β₂ᵗ) + ε)
"""

from __future__ import annotations

import math

import numpy as np

from chainrule.core.backend import array_namespace
from chainrule.optim.optimizer import Optimizer, _check_nonnegative

__all__ = ["Adam", "AdamW"]


def _check(lr, betas, eps, weight_decay):
    _check_nonnegative(lr=lr, eps=eps)
    for i, b in enumerate(betas):
        if not 0.0 <= b < 1.0:
            raise ValueError(f"Invalid beta parameter at index {i}: {b}")
    _check_nonnegative(weight_decay=weight_decay)


class Adam(Optimizer):
    _decoupled = False

    def __init__(
        self,
        params,
        lr: float = 1e-3,
        betas=(0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        amsgrad: bool = False,
        *,
        maximize: bool = False,
        foreach=None,
        capturable: bool = False,
        differentiable: bool = False,
        fused=None,
    ):
        _check(lr, betas, eps, weight_decay)
        defaults = dict(
            lr=lr,
            betas=tuple(betas),
            eps=eps,
            weight_decay=weight_decay,
            amsgrad=amsgrad,
            maximize=maximize,
        )
        super().__init__(params, defaults)

    def _update(self, p, theta: np.ndarray, g: np.ndarray, group: dict) -> np.ndarray:
        lr, (b1, b2), eps = group["lr"], group["betas"], group["eps"]
        wd, amsgrad = group["weight_decay"], group["amsgrad"]
        state = self._stepped_state(p, theta, exp_avg=True, exp_avg_sq=True, max_exp_avg_sq=amsgrad)
        t = state["step"]
        if wd != 0:
            if self._decoupled:
                theta = theta * (1.0 - lr * wd)
            else:
                g = g + wd * theta
        m = state["exp_avg"]
        m = m + (1.0 - b1) * (g - m)
        v = state["exp_avg_sq"] * b2 + (1.0 - b2) * (g * g)
        state["exp_avg"], state["exp_avg_sq"] = m, v
        if amsgrad:
            v = array_namespace((v,)).maximum(state["max_exp_avg_sq"], v)
            state["max_exp_avg_sq"] = v
        step_size = lr / (1.0 - b1**t)
        denom = array_namespace((v,)).sqrt(v) / math.sqrt(1.0 - b2**t) + eps
        return theta - step_size * (m / denom)


class AdamW(Adam):
    """Adam with decoupled weight decay (default 1e-2): θ ← θ·(1 - lr·λ) before the
    Adam step, instead of adding λ·θ to the gradient."""

    _decoupled = True

    def __init__(
        self,
        params,
        lr: float = 1e-3,
        betas=(0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
        amsgrad: bool = False,
        *,
        maximize: bool = False,
        foreach=None,
        capturable: bool = False,
        differentiable: bool = False,
        fused=None,
    ):
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, maximize=maximize)
