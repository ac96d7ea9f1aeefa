"""The README's Python blocks run as written, in order, in one namespace (a reader
pastes them one after another)."""

import pathlib
import re
import shutil

import pytest

README = pathlib.Path(__file__).resolve().parents[1] / "README.md"


def _blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)


def test_the_readme_python_blocks_run(tmp_path, monkeypatch):
    pytest.importorskip("sympy")  # the symbolic block
    pytest.importorskip("safetensors")  # the checkpoint line
    monkeypatch.chdir(tmp_path)  # the picture is written to the current folder
    blocks = _blocks()
    assert len(blocks) >= 4
    namespace: dict = {}
    for block in blocks:
        if "viz.draw(y).save" in block and shutil.which("dot") is None:
            block = block.replace('viz.draw(y).save("graph.svg")', 'viz.draw(y).save("graph.dot")')
        exec(compile(block, str(README), "exec"), namespace)
    assert set(namespace["grads"]) == {"W1", "b1"}
