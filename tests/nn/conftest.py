"""Fixtures of the nn tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def torch_float64(float64_default):
    """PyTorch and chainrule both with float64 as their default dtype during the test
    (restored after), so that layers are compared in double precision."""
    torch = pytest.importorskip("torch")
    old = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    yield torch
    torch.set_default_dtype(old)
