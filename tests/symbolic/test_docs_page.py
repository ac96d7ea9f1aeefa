"""docs/symbolic.md runs: each ```python block executes in order in one namespace,
and a block that prints must be followed by a ```text block showing exactly that."""

import contextlib
import io
import re
from pathlib import Path

import pytest

pytest.importorskip("sympy")

PAGE = Path(__file__).resolve().parents[2] / "docs" / "symbolic.md"


def test_symbolic_docs_page_runs_and_shows_real_output():
    blocks = re.findall(r"```(python|text)\n(.*?)```", PAGE.read_text(), flags=re.S)
    assert blocks
    namespace: dict = {}
    for i, (kind, body) in enumerate(blocks):
        if kind != "python":
            continue
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(body, f"symbolic.md[block {i}]", "exec"), namespace)
        if out.getvalue():
            assert i + 1 < len(blocks) and blocks[i + 1][0] == "text", f"block {i} prints"
            assert out.getvalue() == blocks[i + 1][1], f"output of block {i} differs"
