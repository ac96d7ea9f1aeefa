"""The record each primitive's test entry uses; the sweep in ``test_sweep.py`` runs them.

An ``OpSpec`` describes one call: the differentiable function ``fun`` (of arrays only;
keyword variants such as ``axis`` are baked in with a lambda), how to draw its
arguments, and NumPy's reference for the forward check. ``covers`` names the registered
primitives that the call exercises, which is what the coverage test counts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class Arg:
    """How to draw one float64 argument: a shape and a domain (low, high)."""

    shape: tuple = ()
    low: float = -2.0
    high: float = 2.0
    # optional custom draw: rng -> array (e.g. a positive-definite matrix)
    draw: object = None

    def sample(self, rng: np.random.Generator):
        if self.draw is not None:
            return self.draw(rng)
        return rng.uniform(self.low, self.high, size=self.shape)


@dataclass
class OpSpec:
    name: str  # a readable test id, e.g. "sum-axis1-keepdims"
    fun: object  # differentiable function of the arrays, built from chainrule.numpy
    args: list  # list[Arg]
    ref: object = None  # the same function written with plain NumPy (forward check)
    covers: tuple = ()  # registered primitive names exercised (default: (name,))
    order: int = 2
    modes: tuple = ("fwd", "rev")
    zero_derivative: bool = False  # then: check forward only, and that grad is 0
    atol: float | None = None
    rtol: float | None = None

    def primitives(self) -> tuple:
        return self.covers or (self.name,)
