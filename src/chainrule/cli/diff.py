"""``chainrule diff EXPR``: an exact derivative, step by step.

Examples::

    chainrule diff "(3x+2)^2"
    chainrule diff "x^2*y + sin(x*y)" --wrt y --at x=1,y=2
    chainrule diff "sin(x)^2" --format latex
    chainrule diff -- "-x^2"        # an expression starting with '-' needs '--'

Without ``--wrt``, an expression in several variables gets all its partial
derivatives. SymPy is imported only when the command runs.
"""

from __future__ import annotations

import argparse
import os
import sys

from chainrule.cli._common import CLIError, parse_assignments
from chainrule.viz.format import fit


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "diff",
        help="differentiate an expression exactly, showing each rule",
        description="Differentiate an expression exactly and show each step of the "
        "chain rule. Syntax: ^ or ** for powers, implicit multiplication (3x, "
        "2(x+1)), sin cos tan exp ln log sqrt abs ... (see docs/symbolic.md).",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("expr", help='the expression, e.g. "(3x+2)^2"')
    parser.add_argument("--wrt", metavar="VAR", help="the variable (default: the only one)")
    parser.add_argument(
        "--at",
        action="append",
        metavar="NAME=VALUE",
        help="also evaluate the derivative there (repeatable, or x=1,y=2)",
    )
    parser.add_argument(
        "--format",
        choices=("text", "latex", "markdown"),
        default="text",
        help="output notation (default: text)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from chainrule import symbolic  # needs SymPy, an optional dependency

    values = parse_assignments(args.at)
    color = args.format == "text" and _use_color(sys.stdout)
    expr = symbolic.parse(args.expr)
    if args.wrt is None and len(expr.free_symbols) > 1:
        result = symbolic.gradient(expr)
    else:
        result = symbolic.derive(expr, wrt=args.wrt)
    known = {s.name for s in expr.free_symbols}
    missing = sorted(known - set(values))
    if (
        values and missing and set(values) <= known
    ):  # the derivation still helps; then say what --at lacks
        print(_render(result, args.format, color))
        given = ",".join(f"{k}={v:g}" for k, v in values.items())
        wanted = ",".join(f"{name}=VALUE" for name in missing)
        raise CLIError(
            f"to evaluate it, give a value for {', '.join(missing)} too: --at {given},{wanted}"
        )
    # Evaluate first, so that a bad --at fails before anything is printed.
    tail = _values_line(result, values, args.format) if values else None
    print(_render(result, args.format, color))
    if tail is not None:
        print(tail)
    return 0


def _render(result, fmt: str, color: bool) -> str:
    if fmt == "latex":
        return result.to_latex()
    if fmt == "markdown":
        return result.to_markdown()
    return fit(result.to_text(color=color))  # 80 columns: long equalities break at '='


def _values_line(result, values: dict[str, float], fmt: str) -> str:
    from chainrule.symbolic.grammar import GREEK_SYMBOL  # SymPy, as in run()

    try:
        if hasattr(result, "var"):  # one derivative
            numbers = {result.var.name: result.at(**values)}
        else:
            numbers = result.at(**values)
    except ValueError as exc:
        raise CLIError(str(exc)) from None
    where = ", ".join(f"{name} = {value:g}" for name, value in values.items())
    parts = ", ".join(
        f"d/d{GREEK_SYMBOL.get(name, name)} = {number:.12g}" for name, number in numbers.items()
    )
    if fmt == "latex":
        return f"% at {where}: {parts}"
    if fmt == "markdown":
        return f"\nAt {where}: {parts}"
    return f"At {where}: {parts}"


def _use_color(stream) -> bool:
    """ANSI colour only on a terminal, and never when NO_COLOR is set."""
    if "NO_COLOR" in os.environ:
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())
