"""Every ```python block in the listed docs pages runs, in order, in one namespace per
page: the docs are examples that cannot rot. (The symbolic and viz pages have runners
of their own, in tests/symbolic and tests/viz, which also check what the blocks print
and draw.)"""

import pathlib
import re

import pytest

DOCS = pathlib.Path(__file__).resolve().parents[1] / "docs"

# page -> the optional packages its examples use
PAGES = {
    "functional.md": (),
    "tensor.md": (),
    "autograd.md": (),
    "nn.md": ("safetensors",),
    "backends.md": ("array_api_strict",),
}


@pytest.mark.parametrize("page", PAGES)
def test_docs_page_runs(page):
    for package in PAGES[page]:
        pytest.importorskip(package)
    text = (DOCS / page).read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert blocks, f"{page} has no python blocks"
    namespace: dict = {}
    for i, block in enumerate(blocks):
        exec(compile(block, f"{page}[block {i}]", "exec"), namespace)
