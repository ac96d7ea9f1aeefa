"""``chainrule diff``: output formats, --at, colour, and one-line errors with status 2."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("sympy")

from chainrule.cli import main  # noqa: E402
from chainrule.cli.diff import _use_color  # noqa: E402

SRC = Path(__file__).resolve().parents[2] / "src"


def test_text_output(capsys):
    assert main(["diff", "(3x+2)^2"]) == 0
    out = capsys.readouterr().out
    assert "Chain rule: d/dx (3x + 2)^2 = dy/du·du/dx = 2u·3 = 6(3x + 2) = 18x + 12" in out
    assert out.rstrip().endswith("Result: d/dx (3x + 2)^2 = 18x + 12")
    assert "\033[" not in out  # captured output is not a terminal: no colour


def test_at_and_wrt(capsys):
    assert main(["diff", "x^2*y + sin(x*y)", "--wrt", "y", "--at", "x=1", "--at", "y=0"]) == 0
    out = capsys.readouterr().out
    assert "Treating x as a constant." in out
    assert out.rstrip().endswith("At x = 1, y = 0: d/dy = 2")


def test_several_variables_without_wrt_give_the_gradient(capsys):
    assert main(["diff", "x^2*y", "--at", "x=1,y=2"]) == 0
    out = capsys.readouterr().out
    assert out.count("Differentiate") == 2
    assert "Gradient: (x, y) -> (2x·y, x^2)" in out
    assert out.rstrip().endswith("At x = 1, y = 2: d/dx = 4, d/dy = 1")


@pytest.mark.parametrize(
    "fmt, start", [("latex", "\\begin{aligned}"), ("markdown", "Differentiate $")]
)
def test_formats(capsys, fmt, start):
    assert main(["diff", "sin(x)^2", "--format", fmt]) == 0
    assert capsys.readouterr().out.startswith(start)


@pytest.mark.parametrize(
    "argv, message",
    [
        (["diff", "foo(x)"], "unknown function 'foo' (at column 1)"),
        (["diff", "x.__class__"], "no attribute access"),
        (["diff", "x^2", "--wrt", "z"], "unknown variable 'z'"),
        (["diff", "x^2", "--at", "z=1"], "unknown variable 'z'"),
        (["diff", "x^2", "--at", "x"], "--at expects NAME=VALUE"),
        (["diff", "1/x", "--at", "x=0"], "undefined at x = 0"),
    ],
)
def test_bad_input_is_one_line_on_stderr_and_status_2(capsys, argv, message):
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""  # nothing half-printed
    lines = captured.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("chainrule diff: error: ")
    assert message in lines[0]


def test_missing_values_come_after_the_derivation_with_the_at_syntax(capsys):
    assert main(["diff", "tanh(w*x+b)", "--wrt", "x", "--at", "x=0.5"]) == 2
    captured = capsys.readouterr()
    assert "Result: d/dx tanh(b + w·x)" in captured.out  # the derivation is still shown
    assert captured.err.strip() == (
        "chainrule diff: error: to evaluate it, give a value for b, w too: "
        "--at x=0.5,b=VALUE,w=VALUE"
    )


def test_text_fits_80_columns(capsys):
    assert main(["diff", "tanh(w*x+b)", "--wrt", "x"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert any(line.startswith("    = w·(1 - tanh") for line in lines)  # broken at '='


def test_a_stream_that_is_not_utf8_gets_ascii_notation(monkeypatch):
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="ascii", newline="\n")
    monkeypatch.setattr(sys, "stdout", stream)
    assert main(["diff", "(3x+2)^2", "--at", "x=1"]) == 0
    stream.flush()
    text = raw.getvalue().decode("ascii")
    assert "dy/du*du/dx = 2u*3" in text and text.rstrip().endswith("d/dx = 30")


def test_plain_chainrule_prints_help_and_succeeds(capsys):
    assert main([]) == 0
    assert "COMMAND" in capsys.readouterr().out


def test_greek_names_in_at(capsys):
    assert main(["diff", "θ^2 x", "--at", "θ=1,x=2"]) == 0
    assert capsys.readouterr().out.rstrip().endswith("At θ = 1, x = 2: d/dθ = 4, d/dx = 1")


def test_long_chains_are_no_traceback(capsys):
    assert main(["diff", "x" + "+x" * 490, "--at", "x=1"]) == 0
    assert capsys.readouterr().out.rstrip().endswith("At x = 1: d/dx = 491")


def test_colour_only_on_a_terminal_without_no_color(monkeypatch):
    class Tty:
        def isatty(self):
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    assert _use_color(Tty())
    assert not _use_color(object())  # no isatty at all
    monkeypatch.setenv("NO_COLOR", "1")
    assert not _use_color(Tty())


def test_python_dash_m(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(SRC), "NO_COLOR": "1"}
    ok = subprocess.run(
        [sys.executable, "-m", "chainrule", "diff", "x^x", "--at", "x=1"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert ok.returncode == 0, ok.stderr
    assert "Logarithmic differentiation" in ok.stdout
    assert ok.stdout.rstrip().endswith("At x = 1: d/dx = 1")
    bad = subprocess.run(
        [sys.executable, "-m", "chainrule", "diff", "__import__('os')"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert bad.returncode == 2
    assert bad.stdout == ""
    assert bad.stderr.strip().splitlines() == [
        "chainrule diff: error: double-underscore names are never allowed (at column 1)"
    ]


@pytest.mark.parametrize(
    "expression, at", [("log(x)", "x=-1"), ("sqrt(x)", "x=-1"), ("asin(x)", "x=2")]
)
def test_a_point_outside_the_real_domain_is_refused_alike(expression, at, capsys):
    assert main(["diff", expression, "--at", at]) == 2
    err = capsys.readouterr().err
    assert f"the function is not real at {at.replace('=', ' = ')} (outside its domain)" in err
    assert err.count("\n") == 1
