"""docs/tutorial.ipynb runs from top to bottom in a fresh kernel (nbclient), so it
never goes stale, and says what the tutorial promises: the derivative 30, W1's
gradient as the product of the layer factors, and a lower loss after one step."""

import os
import pathlib
import shutil

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
pytest.importorskip("sympy")

NOTEBOOK = pathlib.Path(__file__).resolve().parents[1] / "docs" / "tutorial.ipynb"
SRC = pathlib.Path(__file__).resolve().parents[1] / "src"


def _text(cell) -> str:
    parts = []
    for out in cell.get("outputs", []):
        parts.append(out.get("text", ""))
        parts.append(out.get("data", {}).get("text/plain", ""))
    return "".join(parts)


def test_the_tutorial_notebook_runs_and_tells_the_story(tmp_path, monkeypatch):
    nb = nbformat.read(NOTEBOOK, as_version=4)
    path = os.environ.get("PYTHONPATH", "")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(p for p in (str(SRC), path) if p))
    nbclient.NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    code = [c for c in nb.cells if c.cell_type == "code"]
    text = "\n".join(_text(c) for c in code)
    assert "Result: d/dx (3x + 2)^2 = 18x + 12" in text
    assert "∂y/∂x = ∂y/∂u · ∂u/∂x" in text
    assert "∂L/∂W1 = ∂L/∂z2 · ∂z2/∂h · ∂h/∂z1 · ∂z1/∂W1" in text
    assert "W1.grad:" in text and "✓ the same" in text
    assert _text(code[-1]).strip().endswith("True")  # the loss went down
    assert _text(code[-3]).strip() == "True"  # the product of the factors is W1.grad
    if shutil.which("dot"):  # the pictures are in the output
        pictures = [o for c in code for o in c.outputs if "image/svg+xml" in o.get("data", {})]
        assert len(pictures) == 2
