"""Shared helpers for the nn tests that compare with PyTorch: the tolerance and inputs."""

from __future__ import annotations

import numpy as np

TOL = dict(rtol=1e-6, atol=1e-6)


def randn(*shape, seed=0) -> np.ndarray:
    """Standard normal float64 values of ``shape``, the same for the same ``seed``."""
    return np.random.default_rng(seed).normal(size=shape)
