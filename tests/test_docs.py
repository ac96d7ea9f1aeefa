"""Every ```python block in the listed docs pages runs, in order, in one namespace per
page: the docs are examples that cannot rot."""

import pathlib
import re

import pytest

DOCS = pathlib.Path(__file__).resolve().parents[1] / "docs"
PAGES = ["functional.md", "tensor.md", "autograd.md"]


@pytest.mark.parametrize("page", PAGES)
def test_docs_page_runs(page):
    text = (DOCS / page).read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert blocks, f"{page} has no python blocks"
    namespace: dict = {}
    for i, block in enumerate(blocks):
        code = compile(block, f"{page}[block {i}]", "exec")
        exec(code, namespace)
