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
}

# (page, a line of the block) -> the NumPy warning that block shows on purpose. The
# custom_jvp example differentiates softplus at x = 1000, where its naive primal
# log1p(exp(x)) overflows to inf just as it does in NumPy; the point of the example is
# that the custom JVP rule still gives the exact derivative there.
EXPECTED_WARNINGS = {
    ("functional.md", "return cnp.log1p(cnp.exp(x))"): "overflow encountered in exp",
}


def _run(block: str, name: str, page: str, namespace: dict) -> None:
    code = compile(block, name, "exec")
    expected = [w for (p, line), w in EXPECTED_WARNINGS.items() if p == page and line in block]
    if not expected:
        exec(code, namespace)
        return
    # any other warning the block gives is raised again when the context exits
    with pytest.warns(RuntimeWarning, match="|".join(map(re.escape, expected))):
        exec(code, namespace)


@pytest.mark.parametrize("page", PAGES)
def test_docs_page_runs(page):
    for package in PAGES[page]:
        pytest.importorskip(package)
    text = (DOCS / page).read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert blocks, f"{page} has no python blocks"
    namespace: dict = {}
    for i, block in enumerate(blocks):
        _run(block, f"{page}[block {i}]", page, namespace)


def test_every_expected_warning_names_a_block_that_exists():
    for page, line in EXPECTED_WARNINGS:
        assert line in (DOCS / page).read_text(), f"{page} no longer shows {line!r}"
