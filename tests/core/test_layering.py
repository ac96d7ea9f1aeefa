"""Architecture rules (STYLE.md §2): the core never imports the layers above it, and
optional heavy libraries are not imported by ``import chainrule``."""

import ast
import os
import pathlib
import subprocess
import sys

SRC = pathlib.Path(__file__).resolve().parents[2] / "src" / "chainrule"


def _imports(path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


def test_core_imports_only_core_and_numpy():
    for path in (SRC / "core").glob("*.py"):
        for name in _imports(path):
            if name.startswith("chainrule"):
                assert name.startswith("chainrule.core"), f"{path.name} imports {name}"


def test_primitives_do_not_import_upper_layers():
    forbidden = ("chainrule.nn", "chainrule.optim", "chainrule.viz", "chainrule.explain",
                 "chainrule.transforms", "chainrule.data")  # fmt: skip
    for path in (SRC / "primitives").glob("*.py"):
        for name in _imports(path):
            assert not name.startswith(forbidden), f"{path.name} imports {name}"


def test_import_chainrule_pulls_no_optional_dependency():
    code = (
        "import sys, chainrule, chainrule.numpy;"
        "heavy = [m for m in ('sympy', 'graphviz', 'sklearn', 'torch', 'rich', 'scipy') "
        "if m in sys.modules]; print(heavy)"
    )
    env = dict(os.environ, PYTHONPATH=str(SRC.parent))
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert out.stdout.strip() == "[]", out.stdout + out.stderr
