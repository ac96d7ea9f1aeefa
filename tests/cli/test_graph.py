"""``chainrule graph``: the picture, the values it prints, and one-line errors."""

from __future__ import annotations

import warnings

import pytest

from chainrule.cli import main
from tests.viz._helpers import needs_dot, without_dot

pytest.importorskip("sympy")  # the expression is parsed by chainrule.symbolic


@needs_dot
def test_graph_writes_the_picture_and_prints_value_and_gradient(tmp_path, capsys):
    out = tmp_path / "g.svg"
    assert main(["graph", "(3x+2)^2", "--at", "x=1", "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "f = 25" in printed and "∂f/∂x = 30" in printed
    svg = out.read_text()
    assert "grad 30" in svg and "f = power" in svg


def test_graph_to_dot_needs_no_graphviz(tmp_path, monkeypatch):
    without_dot(monkeypatch)
    out = tmp_path / "g.dot"
    assert main(["graph", "x*y + sin(x)", "--at", "x=1,y=2", "-o", str(out)]) == 0
    text = out.read_text()
    assert text.startswith("digraph") and "grad" in text


def test_graph_without_dot_writes_dot_and_exits_2_with_a_hint(tmp_path, monkeypatch, capsys):
    without_dot(monkeypatch)
    out = tmp_path / "g.png"
    assert main(["graph", "(3x+2)^2", "--at", "x=1", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "install" in err.lower() and "g.dot" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert (tmp_path / "g.dot").exists() and not out.exists()


@pytest.mark.parametrize(
    "argv, message",
    [
        (["graph", "x +* 2", "--at", "x=1"], "can't read"),
        (["graph", "x*y", "--at", "x=1"], "no value for y"),
        (["graph", "x^2", "--at", "z=1"], "unknown variable 'z'"),
        (["graph", "x^2", "--at", "x=one"], "not a number"),
        (["graph", "3 + 4", "--at", "x=1"], "has no variables"),
        (["graph", "__import__('os')", "--at", "x=1"], "can't read"),
        (["graph", "x^2", "--at", "x=1", "-o", "g.jpeg"], ".svg"),
    ],
)
def test_graph_bad_input_is_one_line_and_status_2(argv, message, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1


def test_graph_computes_a_repeated_subexpression_once(tmp_path, capsys):
    out = tmp_path / "g.dot"
    assert main(["graph", "x*y + sin(x*y)", "--at", "x=0.5,y=2", "-o", str(out)]) == 0
    text = out.read_text()
    assert text.count("multiply") == 1  # one node feeding both uses
    assert "grad 1.5403" in text  # 1 + cos(1): the two paths summed at that node


def test_graph_outside_the_domain_says_so_without_numpy_warnings(tmp_path, capfd):
    out = tmp_path / "g.dot"
    assert main(["graph", "log(x)", "--at", "x=-1", "-o", str(out)]) == 0
    captured = capfd.readouterr()
    assert "f = nan" in captured.out and "outside the expression's domain" in captured.out
    assert "RuntimeWarning" not in captured.err


def test_graph_to_a_directory_is_one_line_and_status_2(tmp_path, capsys):
    out = tmp_path / "pictures.svg"
    out.mkdir()
    assert main(["graph", "x^2", "--at", "x=1", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "is a directory" in err and len(err.strip().splitlines()) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["pictures.svg"]
    assert list(out.iterdir()) == []


def test_graph_overflow_is_said_in_words_without_numpy_warnings(tmp_path, capfd):
    out = tmp_path / "g.dot"
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")  # the suite's "error" would hide a caught one
        assert main(["graph", "x^x^x^x^x^x^x^x", "--at", "x=2", "-o", str(out)]) == 0
    assert [str(w.message) for w in seen] == []
    captured = capfd.readouterr()
    assert "f = inf" in captured.out and "not finite" in captured.out
    assert "Warning" not in captured.err
    assert "grad" in out.read_text()  # the picture is still drawn, with its gradients
