"""Stochastic gradient descent with PyTorch's exact update (momentum, dampening,
Nesterov, weight decay, maximize):

    g ← ∇ + λ·θ
    b ← g                      (first step)        b ← μ·b + (1 - τ)·g   (later steps)
    g ← g + μ·b  (Nesterov)    or   g ← b
    θ ← θ - lr·g
"""

from __future__ import annotations

from chainrule.optim.optimizer import Optimizer, _grad

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
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
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

    def _update_group(self, group: dict) -> None:
        lr, mu, damp = group["lr"], group["momentum"], group["dampening"]
        wd, nesterov = group["weight_decay"], group["nesterov"]
        for p in group["params"]:
            if p.grad is None:
                continue
            g = _grad(p, group["maximize"])
            theta = p.numpy()
            if wd != 0:
                g = g + wd * theta
            if mu != 0:
                state = self.state[p]
                buf = state.get("momentum_buffer")
                if buf is None:
                    buf = g.copy()
                else:
                    buf = buf * mu + (1.0 - damp) * g
                state["momentum_buffer"] = buf
                g = g + mu * buf if nesterov else buf
            self._write(p, theta - lr * g)
