"""Plain-text rendering of derivations: what ``print(derive(...))`` shows.

Layout: a header naming the expression and variable, then one line per step,
indented under its parent, reading ``Rule: d/dx expr = form = form = ...``, with
the step's notes below it, and finally the result. Steps for constants and the bare
variable are folded into their parent's line. Colour (ANSI) is optional and is
only used by the CLI on a terminal.

The functions read a step's fields (``rule``, ``title``, ``label``, ``expr``, ``var``,
``forms``, ``notes``, ``substeps``) without importing :mod:`.steps`, which imports this
module so that ``str(step)`` prints the step.
"""

from __future__ import annotations

from . import display as dm
from .notation import math_text
from .printer import text

_INDENT = "  "

# Rules shown only as part of their parent's line (d/dx 2 = 0, d/dx x = 1).
TRIVIAL_RULES = frozenset({"constant", "variable"})


def line_text(line) -> str:
    return "".join(seg if isinstance(seg, str) else math_text(seg) for seg in line)


def headline_nodes(step, extra: tuple = ()) -> list:
    """The math shown on a step's line: its label, ``d/dx expr`` and its forms, with
    forms that print the same as an earlier piece dropped (all renderers use this,
    so LaTeX and text show the same pieces)."""
    nodes = [step.label] if step.label is not None else []
    nodes.append(dm.Deriv(step.expr, step.var))
    seen = {math_text(node) for node in nodes}
    for form in (*step.forms, *extra):
        piece = math_text(form)
        if piece not in seen:
            seen.add(piece)
            nodes.append(form)
    return nodes


def headline(step, extra: tuple = ()) -> str:
    """``d/dx expr = form = ...`` as plain text."""
    return " = ".join(math_text(node) for node in headline_nodes(step, extra))


class _Style:
    def __init__(self, color: bool):
        self.color = color

    def title(self, s: str) -> str:
        return f"\033[1;36m{s}\033[0m" if self.color else s

    def result(self, s: str) -> str:
        return f"\033[1;32m{s}\033[0m" if self.color else s

    def note(self, s: str) -> str:
        return f"\033[2m{s}\033[0m" if self.color else s


def step_lines(step, depth: int = 0, extra: tuple = (), style=None) -> list[str]:
    style = style or _Style(False)
    pad = _INDENT * depth
    lines = [f"{pad}{style.title(step.title + ':')} {headline(step, extra)}"]
    lines += [f"{pad}{_INDENT}  {style.note(line_text(note))}" for note in step.notes]
    for sub in step.substeps:
        if sub.rule not in TRIVIAL_RULES:
            lines += step_lines(sub, depth + 1, style=style)
    return lines


def render_step(step) -> str:
    return "\n".join(step_lines(step))


def render_derivation(derivation, color: bool = False) -> str:
    """The whole derivation as plain text (``str(derivation)``)."""
    style = _Style(color)
    d = derivation
    lines = [f"Differentiate {text(d.expr)} with respect to {text(d.var)}."]
    if d.constants:
        names = ", ".join(text(c) for c in d.constants)
        plural = "constants" if len(d.constants) > 1 else "a constant"
        lines.append(f"Treating {names} as {plural}.")
    lines.append("")
    lines += step_lines(d.steps, extra=(dm.Expr(d.result),), style=style)
    lines.append("")
    answer = f"{math_text(dm.Deriv(d.expr, d.var))} = {text(d.result)}"
    lines.append(f"{style.result('Result:')} {answer}")
    lines += [f"Note: {note}." for note in d.notes]
    return "\n".join(lines)


def render_gradient(gradient, color: bool = False) -> str:
    """All partial derivatives, one derivation after another, then the vector."""
    style = _Style(color)
    lines = [f"Gradient of {text(gradient.expr)}: one derivative per variable.", ""]
    for derivation in gradient.values():
        lines += [render_derivation(derivation, color), ""]
    parts = ", ".join(text(d.result) for d in gradient.values())
    names = ", ".join(gradient)
    lines.append(f"{style.result('Gradient:')} ({names}) -> ({parts})")
    return "\n".join(lines)
