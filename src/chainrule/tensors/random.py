"""The library's random state: ``manual_seed(n)`` makes initialisation, dropout and
shuffling reproducible (PyTorch's ``torch.manual_seed``)."""

from __future__ import annotations

import numpy as np

_state = {"rng": np.random.default_rng()}


def manual_seed(seed: int) -> np.random.Generator:
    """Seed chainrule's global generator (used by ``nn.init``, ``Dropout``, ``DataLoader``
    and the ``randn``/``rand`` factories). Returns the generator."""
    if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool):
        raise TypeError(f"manual_seed expects an integer seed, got {type(seed).__name__}")
    _state["rng"] = np.random.default_rng(int(seed))
    return _state["rng"]


def default_generator() -> np.random.Generator:
    return _state["rng"]
