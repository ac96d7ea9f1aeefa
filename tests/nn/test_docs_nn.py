"""Every ```python block of docs/nn.md runs, in order, in one namespace."""

import pathlib
import re

import pytest

import chainrule as cr
from chainrule import serialization

DOC = pathlib.Path(__file__).resolve().parents[2] / "docs" / "nn.md"


def test_docs_nn_runs(monkeypatch):
    pytest.importorskip("sklearn")
    pytest.importorskip("safetensors")
    # cr.save/cr.load are re-exported by chainrule/__init__.py; provide them here too so
    # this page's test doesn't depend on the order the two changes land in
    monkeypatch.setattr(cr, "save", getattr(cr, "save", serialization.save), raising=False)
    monkeypatch.setattr(cr, "load", getattr(cr, "load", serialization.load), raising=False)
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(), flags=re.S)
    assert len(blocks) >= 5
    namespace: dict = {}
    for i, block in enumerate(blocks):
        exec(compile(block, f"nn.md[block {i}]", "exec"), namespace)
