"""Stochastic gradient descent with PyTorch's exact update (momentum, dampening,
Nesterov, weight decay, maximize):

    g ← ∇ + λ·θ
    b ← g                      (first step)        b ← μ·b + (1 - τ)·g   (later steps)
    g ← g + μ·b  (Nesterov)    or   g ← b
    θ ← θ - lr·g
"""

from __future__ import annotations

import numpy as np

from chainrule.optim.optimizer import Optimizer, _check_nonnegative

__all__ = ["SGD"]


class SGD(Optimizer):
    def __init__(
        self,
        params,
        lr: float = 1e-3,
        momentum: float = 0.0,
        dampening: float = 0.0,
        weight_decay: float = 0.0,
        nesterov: bool = False,
        *,
        maximize: bool = False,
        foreach=None,
        differentiable: bool = False,
        fused=None,
    ):
        _check_nonnegative(lr=lr, momentum=momentum, weight_decay=weight_decay)
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        defaults = dict(
            lr=lr,
            momentum=momentum,
            dampening=dampening,
            weight_decay=weight_decay,
            nesterov=nesterov,
            maximize=maximize,
        )
        super().__init__(params, defaults)

    def _update(self, p, theta: np.ndarray, g: np.ndarray, group: dict) -> np.ndarray:
        mu = group["momentum"]
        if group["weight_decay"] != 0:
            g = g + group["weight_decay"] * theta
        if mu != 0:
            state = self.state[p]
            buf = state.get("momentum_buffer")
            if buf is None:
                buf = g.copy()
            else:
                buf = buf * mu + (1.0 - group["dampening"]) * g
            state["momentum_buffer"] = buf
            g = g + mu * buf if group["nesterov"] else buf
        return theta - group["lr"] * g
