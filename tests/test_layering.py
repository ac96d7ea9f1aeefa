"""The package's layers, as ARCHITECTURE.md draws them, checked from the source.

Every ``import`` in ``src/chainrule`` counts, wherever it stands (module top, inside a
function, under ``if TYPE_CHECKING``): the graph of imports between the package's
modules must have no cycle, and no module may import from a layer above its own.
Importing ``chainrule`` must not pull in any optional dependency.
"""

from __future__ import annotations

import ast
import os
import pathlib
import subprocess
import sys

import pytest

SRC = pathlib.Path(__file__).resolve().parents[1] / "src" / "chainrule"

# Bottom to top. A module may import its own layer's modules and any below it.
LAYERS = [
    # _files: opening user-given files safely; _startup: Ctrl-C while `python -m
    # chainrule` imports the package (both import nothing of ours)
    ("core", "_files", "_startup"),
    ("primitives",),
    ("numpy", "scipy"),
    ("tensors",),
    ("functional",),
    ("nn", "optim", "data", "distributed"),
    ("symbolic", "viz"),
    ("explore",),  # the web app, on symbolic and viz
    # the public facades: the package root and the modules that only re-export
    (
        "__init__",
        "autograd",
        "builtins",
        "extend",
        "misc",
        "serialization",
        "test_util",
        "utils",
        "wrap_util",
    ),
    ("cli", "__main__"),
]
LAYER_OF = {name: level for level, names in enumerate(LAYERS) for name in names}


def _modules() -> dict[str, tuple[pathlib.Path, bool]]:
    """Dotted module name -> (file, whether it is a package's ``__init__``)."""
    found = {}
    for path in SRC.rglob("*.py"):
        parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts.pop()
        found[".".join(parts)] = (path, is_package)
    return found


MODULES = _modules()


def _imported(module: str, is_package: bool, tree: ast.AST):
    """The package modules that ``tree`` imports (``from a import b`` counts as ``a.b``
    when that is a module, else as ``a``)."""
    here = module.split(".") if is_package else module.split(".")[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                name = alias.name
                while name and name not in MODULES:
                    name = name.rpartition(".")[0]
                if name:
                    yield name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            if not source.startswith("chainrule"):
                continue
            for alias in node.names:
                sub = f"{source}.{alias.name}"
                yield sub if sub in MODULES else source


def _graph() -> dict[str, set[str]]:
    graph = {}
    for module, (path, is_package) in MODULES.items():
        tree = ast.parse(path.read_text(), filename=str(path))
        graph[module] = set(_imported(module, is_package, tree)) - {module}
    return graph


GRAPH = _graph()


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def _layer(module: str) -> int:
    parts = module.split(".")
    top = parts[1] if len(parts) > 1 else "__init__"
    if top not in LAYER_OF:
        raise AssertionError(f"{module}: its folder {top!r} is in no layer; add it to LAYERS")
    return LAYER_OF[top]


def test_the_cycle_finder_finds_cycles():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e"}}
    assert _cycles(graph) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_the_scan_sees_the_package():
    assert len(MODULES) > 100
    assert "chainrule.core.trace" in GRAPH["chainrule.core.reverse"]
    # an import inside a function counts
    assert any(GRAPH[m] for m in GRAPH if m.startswith("chainrule.cli."))


def test_no_import_cycles():
    cycles = _cycles(GRAPH)
    assert not cycles, "import cycles:\n" + "\n".join(" <-> ".join(c) for c in cycles)


def test_no_upward_imports():
    upward = [
        f"{module} (layer {_layer(module)}) imports {target} (layer {_layer(target)})"
        for module, targets in sorted(GRAPH.items())
        for target in sorted(targets)
        if _layer(target) > _layer(module)
    ]
    assert not upward, "\n".join(upward)


@pytest.mark.parametrize("layer", ["core"])
def test_core_imports_no_numpy_layer(layer):
    """The core is NumPy-agnostic above ``backend``: only the backend and the reverse
    sweep (for ``errstate``) may import NumPy."""
    allowed = {"chainrule.core.backend", "chainrule.core.reverse", "chainrule.core.anomaly"}
    for module, (path, _) in MODULES.items():
        if module.startswith(f"chainrule.{layer}.") and module not in allowed:
            names = {
                alias.name
                for node in ast.walk(ast.parse(path.read_text()))
                if isinstance(node, ast.Import)
                for alias in node.names
            }
            assert "numpy" not in names, f"{module} imports numpy"


def test_import_chainrule_pulls_no_optional_dependency():
    code = (
        "import sys, chainrule, chainrule.numpy;"
        "heavy = [m for m in ('sympy', 'graphviz', 'sklearn', 'torch', 'rich', 'scipy', 'mpi4py') "
        "if m in sys.modules]; print(heavy)"
    )
    env = dict(os.environ, PYTHONPATH=str(SRC.parent))
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert out.stdout.strip() == "[]", out.stdout + out.stderr
