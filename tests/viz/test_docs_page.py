"""Every ```python block of docs/viz.md runs, in order, in one namespace (in a temporary
folder, since the examples save pictures)."""

from __future__ import annotations

import pathlib
import re

from ._helpers import needs_dot

PAGE = pathlib.Path(__file__).resolve().parents[2] / "docs" / "viz.md"


@needs_dot
def test_viz_page_runs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    blocks = re.findall(r"```python\n(.*?)```", PAGE.read_text(), flags=re.S)
    assert len(blocks) >= 6
    namespace: dict = {}
    for i, block in enumerate(blocks):
        exec(compile(block, f"viz.md[block {i}]", "exec"), namespace)
    assert (tmp_path / "chain_rule.svg").exists() and (tmp_path / "network.png").exists()


def test_the_example_pictures_exist():
    images = PAGE.parent / "images"
    for name in ["viz_chain_rule.png", "viz_network.png"]:
        assert (images / name).read_bytes().startswith(b"\x89PNG")
        assert f"images/{name}" in PAGE.read_text()
