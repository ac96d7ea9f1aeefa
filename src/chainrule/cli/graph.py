"""``chainrule graph EXPR --at x=1 -o graph.svg``: draw an expression's computation graph.

The expression is parsed by :mod:`chainrule.symbolic` (mathematics only, never
evaluated as code), computed with chainrule ops on tensors that require grad, and
back-propagated with ``retain_graph=True`` so the picture shows every value, gradient
and local derivative. The output format follows the extension (.svg .png .pdf .dot).
Without Graphviz's ``dot`` program the DOT text is written next to the requested
file and the error says how to install Graphviz.
"""

from __future__ import annotations

import math
import os

import numpy as np

import chainrule as cr
from chainrule import viz
from chainrule.cli._common import CLIError, parse_assignments
from chainrule.viz.dot import FORMATS, GraphvizNotFound
from chainrule.viz.format import number


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "graph",
        help="draw the computation graph of an expression, with values and gradients",
        description="Draw the computation graph of an expression at a point: each node "
        "shows its value and gradient, each edge its local derivative.",
    )
    p.add_argument("expression", help='e.g. "(3x+2)^2" or "sin(x*y) + x^2"')
    p.add_argument(
        "--at",
        action="append",
        metavar="NAME=VALUE",
        help="the point, e.g. --at x=1 --at y=2 (or --at x=1,y=2); every variable needs one",
    )
    p.add_argument(
        "-o",
        "--output",
        default="graph.svg",
        help="output file; .svg, .png, .pdf or .dot (default: graph.svg)",
    )
    p.set_defaults(func=run)


def build_graph(expression: str, point: dict[str, float]):
    """``(graph, value, gradients)`` for ``expression`` at ``point``; CLIError on bad input."""
    # chainrule.symbolic needs SymPy, an optional dependency: imported when the command runs
    from chainrule import symbolic
    from chainrule.symbolic.numpy_eval import evaluate

    try:
        expr = symbolic.parse(expression)
    except ValueError as exc:
        raise CLIError(f"can't read {expression!r}: {str(exc).splitlines()[0]}") from None
    names = sorted(str(s) for s in expr.free_symbols)
    if not names:
        raise CLIError(f"{expression!r} has no variables, so there is nothing to differentiate")
    unknown = sorted(set(point) - set(names))
    if unknown:
        raise CLIError(
            f"unknown variable {unknown[0]!r}: the expression's variables are {', '.join(names)}"
        )
    missing = [n for n in names if n not in point]
    if missing:
        example = " ".join(f"--at {n}=1" for n in missing)
        raise CLIError(f"no value for {', '.join(missing)}: pass {example}")
    inputs = {n: cr.tensor(point[n], dtype=cr.float64, requires_grad=True) for n in names}
    # outside the domain (log of a negative number) the value is nan or inf: that is
    # reported once by run() in words, not as NumPy's RuntimeWarnings with source lines
    with np.errstate(all="ignore"):
        try:
            out = evaluate(expr, inputs)
        except ValueError as exc:
            raise CLIError(str(exc)) from None
        if not isinstance(out, cr.Tensor) or not out.requires_grad:
            raise CLIError(f"{expression!r} does not depend on its variables")
        out.backward(retain_graph=True)
        # the picture's local derivatives overflow where the value does (x^x^x^x at 2)
        graph = viz.draw(out, names={**inputs, "f": out})
    grads = {n: (t.grad.item() if t.grad is not None else 0.0) for n, t in inputs.items()}
    return graph, out.item(), grads


def run(args) -> int:
    point = parse_assignments(args.at)
    path = args.output
    if os.path.splitext(path)[1].lower() not in FORMATS:
        raise CLIError(f"-o {path}: use a .svg, .png, .pdf or .dot file name")
    if os.path.isdir(path):
        raise CLIError(f"-o {path}: that is a directory; give a file name such as graph.svg")
    graph, value, grads = build_graph(args.expression, point)
    at = ", ".join(f"{k}={number(v)}" for k, v in point.items())
    print(f"f = {args.expression} at {at}:  f = {number(value)}")
    for name, g in grads.items():
        print(f"  \u2202f/\u2202{name} = {number(g)}")
    if not all(math.isfinite(v) for v in [value, *grads.values()]):
        print("  (not finite at this point: it may lie outside the expression's domain)")
    try:
        graph.save(path)
    except GraphvizNotFound as exc:
        fallback = os.path.splitext(path)[0] + ".dot"
        graph.save(fallback)
        raise CLIError(f"wrote {fallback} instead of {path}. {exc}") from None
    except OSError as exc:
        raise CLIError(f"can't write {path}: {exc.strerror or exc}") from None
    print(f"wrote {path}")
    return 0
