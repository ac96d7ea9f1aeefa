"""Fixtures of the nn tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def torch_float64():
    """PyTorch with float64 as its default dtype during the test (restored after), so
    that its layers compute in the precision of chainrule's."""
    torch = pytest.importorskip("torch")
    old = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    yield torch
    torch.set_default_dtype(old)
