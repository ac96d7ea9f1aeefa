"""Shared helpers for the viz tests: small graphs and a Graphviz switch."""

from __future__ import annotations

import re
import shutil

import pytest

import chainrule as cr

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot not installed")


def square_of_affine():
    """(3x + 2)^2 at x = 1: value 25, gradient 30."""
    x = cr.tensor(1.0, requires_grad=True)
    y = (3 * x + 2) ** 2
    return x, y


def node_labels(dot: str) -> dict[str, str]:
    """Node id -> the text of its label (HTML tags stripped)."""
    out = {}
    pattern = r'^\s*"(\w+)" \[label=(<.*?</table>>|"(?:[^"\\]|\\.)*")'
    for m in re.finditer(pattern, dot, flags=re.M):
        out[m.group(1)] = re.sub(r"<[^>]+>", " ", m.group(2))
    return out


def edges(dot: str) -> list[tuple[str, str, str | None]]:
    """``(src, dst, label)`` for every edge of the DOT text."""
    out = []
    for m in re.finditer(r'^\s*"(\w+)" -> "(\w+)"(?: \[(.*)\])?;$', dot, flags=re.M):
        label = re.search(r'label=" (.*?) "', m.group(3) or "")
        out.append((m.group(1), m.group(2), label.group(1) if label else None))
    return out


def without_dot(monkeypatch):
    """Make Graphviz's ``dot`` unfindable for this test."""
    monkeypatch.setenv("PATH", "/nonexistent")
