"""RMSprop with PyTorch's exact update (centered, momentum, weight decay, maximize):

g ← ∇ + λ·θ
s ← α·s + (1 - α)·g²
a ← sqrt(s - ḡ²) + ε  with ḡ ← ḡ + (1 - α)·(g - ḡ)  (centered),  else  sqrt(s) + ε
b ← μ·b + g/a;  θ ← θ - lr·b   (momentum > 0),   else  θ ← θ - lr·g/a
"""

from __future__ import annotations

import numpy as np

from chainrule.optim.optimizer import Optimizer, _grad

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
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if eps < 0.0:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if alpha < 0.0:
            raise ValueError(f"Invalid alpha value: {alpha}")
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

    def _update_group(self, group: dict) -> None:
        lr, alpha, eps = group["lr"], group["alpha"], group["eps"]
        wd, mu, centered = group["weight_decay"], group["momentum"], group["centered"]
        for p in group["params"]:
            if p.grad is None:
                continue
            g = _grad(p, group["maximize"])
            theta = p.numpy()
            state = self.state[p]
            if not state:
                state["step"] = 0
                state["square_avg"] = np.zeros_like(theta)
                if mu > 0:
                    state["momentum_buffer"] = np.zeros_like(theta)
                if centered:
                    state["grad_avg"] = np.zeros_like(theta)
            state["step"] += 1
            if wd != 0:
                g = g + wd * theta
            s = state["square_avg"] * alpha + (1.0 - alpha) * (g * g)
            state["square_avg"] = s
            if centered:
                gbar = state["grad_avg"]
                gbar = gbar + (1.0 - alpha) * (g - gbar)
                state["grad_avg"] = gbar
                avg = np.sqrt(s - gbar * gbar) + eps
            else:
                avg = np.sqrt(s) + eps
            if mu > 0:
                buf = state["momentum_buffer"] * mu + g / avg
                state["momentum_buffer"] = buf
                self._write(p, theta - lr * buf)
            else:
                self._write(p, theta - lr * (g / avg))
