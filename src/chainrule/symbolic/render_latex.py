"""LaTeX and Markdown rendering of derivations (``to_latex``, ``to_markdown``).

Both follow the plain-text layout of :mod:`.render_text` line for line: LaTeX as
one ``aligned`` block with ``\\quad`` indentation, Markdown as a nested list with
``$...$`` maths, which Jupyter and GitHub both display. SymPy's own ``latex``
printer handles the leaves (see :mod:`.printer`).
"""

from __future__ import annotations

from . import display as dm
from .notation import math_latex
from .printer import latex
from .render_text import TRIVIAL_RULES, headline_nodes
from .steps import Step

_TEXT_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "#": r"\#",
    "%": r"\%",
    "_": r"\_",
    "^": r"\^{}",
    "~": r"\~{}",
}


def _escape(prose: str) -> str:
    return "".join(_TEXT_ESCAPES.get(ch, ch) for ch in prose)


def line_latex(line) -> str:
    out = []
    for seg in line:
        out.append(rf"\text{{{_escape(seg)}}}" if isinstance(seg, str) else math_latex(seg))
    return " ".join(out)


def line_markdown(line) -> str:
    return "".join(seg if isinstance(seg, str) else f"${math_latex(seg)}$" for seg in line)


def headline_latex(step: Step, extra: tuple = ()) -> str:
    return " = ".join(math_latex(node) for node in headline_nodes(step, extra))


def _visible(step: Step):
    return [sub for sub in step.substeps if sub.rule not in TRIVIAL_RULES]


def _latex_rows(step: Step, depth: int, extra: tuple = ()) -> list[str]:
    pad = r"\quad " * depth
    rows = [rf"&{pad}\textbf{{{_escape(step.title)}:}}\ {headline_latex(step, extra)}"]
    rows += [rf"&{pad}\qquad {line_latex(note)}" for note in step.notes]
    for sub in _visible(step):
        rows += _latex_rows(sub, depth + 1)
    return rows


def _header(d) -> tuple:
    line: tuple = ("Differentiate ", dm.Expr(d.expr), " with respect to ", dm.Expr(d.var), ".")
    if d.constants:
        names: tuple = ()
        for k, c in enumerate(d.constants):
            names += (", ", dm.Expr(c)) if k else (dm.Expr(c),)
        plural = " as constants." if len(d.constants) > 1 else " as a constant."
        return line, ("Treating ", *names, plural)
    return (line,)


def _answer(d) -> dm.Equation:
    return dm.equation(dm.Deriv(d.expr, d.var), d.result)


def _derivation_rows(d) -> list[str]:
    rows = [rf"&{line_latex(line)}" for line in _header(d)]
    rows += _latex_rows(d.steps, 0, (dm.Expr(d.result),))
    rows.append(rf"&\textbf{{Result:}}\ {math_latex(_answer(d))}")
    return rows


def _aligned(rows: list[str]) -> str:
    return "\\begin{aligned}\n" + " \\\\\n".join(rows) + "\n\\end{aligned}"


def derivation_latex(d) -> str:
    return _aligned(_derivation_rows(d))


def _markdown_items(step: Step, depth: int, extra: tuple = ()) -> list[str]:
    pad = "  " * depth
    head = f"{pad}- **{step.title}:** ${headline_latex(step, extra)}$"
    notes = [f"{pad}  {line_markdown(note)}" for note in step.notes]
    lines = [head + ("  " if notes else "")]
    lines += [n + "  " for n in notes[:-1]] + notes[-1:]
    for sub in _visible(step):
        lines += _markdown_items(sub, depth + 1)
    return lines


def derivation_markdown(d) -> str:
    lines = [line_markdown(line) + "  " for line in _header(d)]
    lines[-1] = lines[-1].rstrip()
    lines.append("")
    lines += _markdown_items(d.steps, 0, (dm.Expr(d.result),))
    lines += ["", f"**Result:** ${math_latex(_answer(d))}$"]
    return "\n".join(lines)


def gradient_latex(g) -> str:
    rows = []
    for d in g.values():
        rows += [*(["&"] if rows else []), *_derivation_rows(d)]  # blank row between
    return _aligned(rows)


def gradient_markdown(g) -> str:
    parts = [f"Gradient of ${latex(g.expr)}$:", ""]
    for d in g.values():
        parts += [derivation_markdown(d), ""]
    return "\n".join(parts).rstrip() + "\n"
