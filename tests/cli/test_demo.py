"""``chainrule demo``: the guided tour tells the whole story, with or without Graphviz."""

from __future__ import annotations

import pytest

from chainrule.cli import main
from tests.viz._helpers import without_dot


def _run_demo(tmp_path, capsys):
    pytest.importorskip("sklearn")
    out = tmp_path / "demo"
    assert main(["demo", "--out", str(out), "--epochs", "1"]) == 0
    return out, capsys.readouterr().out


def test_demo_tells_the_whole_story(tmp_path, capsys):
    out, printed = _run_demo(tmp_path, capsys)
    for part in [
        "Chain rule",  # the symbolic derivation
        "x.grad = 30   ✓ the same as the symbolic result",
        "∂y/∂x = ∂y/∂add · ∂add/∂multiply · ∂multiply/∂x",
        "test accuracy",
        "∂L/∂W1 = ",
        "∂h/∂z1",
        "W1.grad:",
    ]:
        assert part in printed, part
    produced = {p.name for p in out.iterdir()}
    assert {"chain_rule.dot", "network.dot"} & produced or {
        "chain_rule.svg",
        "network.svg",
    } <= produced


def test_demo_completes_without_graphviz(tmp_path, capsys, monkeypatch):
    without_dot(monkeypatch)
    out, printed = _run_demo(tmp_path, capsys)
    assert {"chain_rule.dot", "network.dot"} <= {p.name for p in out.iterdir()}
    assert printed.count("apt-get install graphviz") == 1  # the hint once, not per picture
    assert "Done." in printed
