"""SymPy is an optional dependency: ``import chainrule`` and the command line do without
it, ``chainrule.symbolic`` brings it in, and without it the error says how to install it."""

import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("sympy")

SRC = Path(__file__).resolve().parents[2] / "src"


def test_sympy_is_imported_by_the_symbolic_package_only():
    code = (
        "import sys, chainrule, chainrule.cli, chainrule.cli.diff; "
        "assert 'sympy' not in sys.modules, 'sympy imported too early'; "
        "from chainrule import symbolic; assert 'sympy' in sys.modules"
    )
    env = {"PYTHONPATH": str(SRC)}
    subprocess.run([sys.executable, "-c", code], check=True, env=env)


# Python code that makes ``import sympy`` fail, as if SymPy were not installed
NO_SYMPY = "import sys; sys.modules['sympy'] = None\n"


def test_without_sympy_the_error_says_how_to_install_it():
    code = NO_SYMPY + (
        "try:\n    from chainrule import symbolic\nexcept ImportError as exc:\n    print(exc)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(SRC)},
    )
    assert "pip install 'chainrule[symbolic]'" in out.stdout, out.stdout + out.stderr


def test_without_sympy_the_cli_says_how_to_install_it_in_one_line():
    code = NO_SYMPY + "from chainrule.cli import main; sys.exit(main(['diff', 'x^2']))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env={"PYTHONPATH": str(SRC)}
    )
    assert out.returncode == 2
    assert out.stderr.startswith("chainrule diff: error: ") and out.stderr.count("\n") == 1
    assert "pip install 'chainrule[symbolic]'" in out.stderr


def test_import_chainrule_does_not_import_sympy():
    code = "import sys, chainrule; assert 'sympy' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, env={"PYTHONPATH": str(SRC)})
