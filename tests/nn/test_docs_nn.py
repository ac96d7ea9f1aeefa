"""Every ```python block of docs/nn.md runs, in order, in one namespace."""

import pathlib
import re

import pytest

import chainrule as cr
from chainrule import serialization

DOC = pathlib.Path(__file__).resolve().parents[2] / "docs" / "nn.md"


def test_docs_nn_runs():
    pytest.importorskip("sklearn")
    pytest.importorskip("safetensors")
    assert cr.save is serialization.save and cr.load is serialization.load
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(), flags=re.S)
    assert len(blocks) >= 5
    namespace: dict = {}
    for i, block in enumerate(blocks):
        exec(compile(block, f"nn.md[block {i}]", "exec"), namespace)
