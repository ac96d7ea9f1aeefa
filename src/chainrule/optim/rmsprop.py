"""RMSprop with PyTorch's exact update (centered, momentum, weight decay, maximize):

g ← ∇ + λ·θ
s ← α·s + (1 - α)·g²
a ← sqrt(s - ḡ²) + ε  with ḡ ← ḡ + (1 - α)·(g - ḡ)  (centered),  else  sqrt(s) + ε
b ← μ·b + g/a;  θ ← θ - lr·b   (momentum > 0),   else  θ ← θ - lr·g/a
"""

from __future__ import annotations

import numpy as np

from chainrule.core.backend import array_namespace
from chainrule.optim.optimizer import Optimizer, _check_nonnegative

__all__ = ["RMSprop"]


class RMSprop(Optimizer):
    def __init__(
        self,
        params,
        lr: float = 1e-2,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        momentum: float = 0.0,
        centered: bool = False,
        capturable: bool = False,
        foreach=None,
        maximize: bool = False,
        differentiable: bool = False,
    ):
        _check_nonnegative(
            lr=lr, eps=eps, momentum=momentum, weight_decay=weight_decay, alpha=alpha
        )
        defaults = dict(
            lr=lr,
            alpha=alpha,
            eps=eps,
            weight_decay=weight_decay,
            momentum=momentum,
            centered=centered,
            maximize=maximize,
        )
        super().__init__(params, defaults)

    def _update(self, p, theta: np.ndarray, g: np.ndarray, group: dict) -> np.ndarray:
        lr, alpha, eps = group["lr"], group["alpha"], group["eps"]
        wd, mu, centered = group["weight_decay"], group["momentum"], group["centered"]
        state = self._stepped_state(
            p, theta, square_avg=True, momentum_buffer=mu > 0, grad_avg=centered
        )
        if wd != 0:
            g = g + wd * theta
        s = state["square_avg"] * alpha + (1.0 - alpha) * (g * g)
        state["square_avg"] = s
        if centered:
            gbar = state["grad_avg"]
            gbar = gbar + (1.0 - alpha) * (g - gbar)
            state["grad_avg"] = gbar
            avg = array_namespace((s,)).sqrt(s - gbar * gbar) + eps
        else:
            avg = array_namespace((s,)).sqrt(s) + eps
        if mu > 0:
            buf = state["momentum_buffer"] * mu + g / avg
            state["momentum_buffer"] = buf
            return theta - lr * buf
        return theta - lr * (g / avg)
