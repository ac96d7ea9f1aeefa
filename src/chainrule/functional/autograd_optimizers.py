"""autograd's ``misc.optimizers``: ``sgd`` (with momentum), ``rmsprop`` and ``adam``
on parameters of any pytree shape (flattened to one vector inside).

Each takes ``grad(params, i)``, the initial parameters, and an optional
``callback(params, i, g)`` called every iteration; it returns the final parameters in
the initial parameters' structure.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from chainrule.core.trace import unbox_all
from chainrule.functional.autograd_misc import flatten

__all__ = ["adam", "rmsprop", "sgd"]

Step = Callable[[np.ndarray, np.ndarray, int], np.ndarray]


def _run(grad: Callable, x0: Any, callback: Callable | None, num_iters: int, step) -> Any:
    """The loop the three share: ``step(x, g, i)`` updates the flat parameters."""
    flat, unflatten = flatten(x0)
    x = np.asarray(unbox_all(flat), dtype=float)

    for i in range(num_iters):
        g = np.asarray(unbox_all(flatten(grad(unflatten(x), i))[0]))
        if callback is not None:
            callback(unflatten(x), i, unflatten(g))
        x = step(x, g, i)
    return unflatten(x)


def sgd(grad, x, callback=None, num_iters=200, step_size=0.1, mass=0.9):
    """Stochastic gradient descent with momentum ``mass``."""
    velocity = None

    def step(x, g, i):
        nonlocal velocity
        velocity = np.zeros_like(x) if velocity is None else velocity
        velocity = mass * velocity - (1.0 - mass) * g
        return x + step_size * velocity

    return _run(grad, x, callback, num_iters, step)


def rmsprop(grad, x, callback=None, num_iters=100, step_size=0.1, gamma=0.9, eps=1e-8):
    """RMSProp: steps scaled by a running root mean square of the gradients."""
    avg_sq = None

    def step(x, g, i):
        nonlocal avg_sq
        avg_sq = np.ones_like(x) if avg_sq is None else avg_sq
        avg_sq = avg_sq * gamma + g**2 * (1 - gamma)
        return x - step_size * g / (np.sqrt(avg_sq) + eps)

    return _run(grad, x, callback, num_iters, step)


def adam(grad, x, callback=None, num_iters=100, step_size=0.001, b1=0.9, b2=0.999, eps=1e-8):
    """Adam (Kingma and Ba, 2015), with bias-corrected moment estimates."""
    m = v = None

    def step(x, g, i):
        nonlocal m, v
        m = np.zeros_like(x) if m is None else m
        v = np.zeros_like(x) if v is None else v
        m = (1 - b1) * g + b1 * m
        v = (1 - b2) * g**2 + b2 * v
        m_hat = m / (1 - b1 ** (i + 1))
        v_hat = v / (1 - b2 ** (i + 1))
        return x - step_size * m_hat / (np.sqrt(v_hat) + eps)

    return _run(grad, x, callback, num_iters, step)
