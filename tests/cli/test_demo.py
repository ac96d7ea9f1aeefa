"""``chainrule demo``: the guided tour tells the whole story, with or without Graphviz."""

from __future__ import annotations

import io
import sys

import chainrule
from chainrule.cli import demo, main
from tests.viz._helpers import without_dot


def _run_demo(tmp_path, capsys):
    out = tmp_path / "demo"
    assert main(["demo", "--out", str(out), "--epochs", "1"]) == 0
    return out, capsys.readouterr().out.replace(str(tmp_path), "")


def test_demo_tells_the_whole_story(tmp_path, capsys):
    out, printed = _run_demo(tmp_path, capsys)
    for part in [
        "Chain rule",  # the symbolic derivation
        "x.grad = 30   ✓ the same as the symbolic result",
        "∂y/∂x = ∂y/∂u · ∂u/∂x",  # named after the derivation's u = 3x + 2
        "= 10 · 3",
        "test accuracy",
        "∂L/∂W1 = ∂L/∂z2 · ∂z2/∂h · ∂h/∂z1 · ∂z1/∂W1",  # the tutorial's formula
        "g @ W2",  # the key step names layer 2's weight
        "W1.grad:",
        "The product of the 4 factors",
    ]:
        assert part in printed, part
    too_wide = [line for line in printed.splitlines() if len(line) > 80]
    assert too_wide == []
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


def test_demo_without_sympy_explains_by_hand_and_goes_on(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "chainrule.symbolic", None)  # as if SymPy were missing
    monkeypatch.delattr(chainrule, "symbolic", raising=False)
    assert main(["demo", "--out", str(tmp_path / "d"), "--epochs", "0"]) == 0
    printed = capsys.readouterr().out
    assert "pip install 'chainrule[demo]'" in printed and "2u · 3" in printed
    assert "∂L/∂W1 = ∂L/∂z2" in printed and "Done." in printed


def test_a_failed_demo_leaves_no_empty_folder(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("broken on purpose")

    monkeypatch.setattr(demo.viz, "explain_backward", broken)
    out = tmp_path / "never"
    assert main(["demo", "--out", str(out), "--epochs", "0"]) == 2
    assert not out.exists()


def test_demo_on_a_stream_that_is_not_utf8_writes_ascii(tmp_path, monkeypatch):
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="cp1252", newline="\n")
    monkeypatch.setattr(sys, "stdout", stream)
    assert main(["demo", "--out", str(tmp_path / "d"), "--epochs", "0"]) == 0
    stream.flush()
    text = raw.getvalue().decode("cp1252")
    assert "dL/dW1 = dL/dz2 · dz2/dh · dh/dz1 · dz1/dW1" in text and "Done." in text
