"""The ``chainrule`` command line (also ``python -m chainrule``).

Each subcommand lives in its own module exposing ``register(subparsers)``, which adds
an argparse parser whose ``func`` default is ``run(args) -> int``. Any
``CLIError`` (or ``ValueError``/``FileNotFoundError`` raised by the library for bad
user input) becomes one line on stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from chainrule.cli._common import CLIError

_SUBCOMMANDS = ("diff", "graph", "train", "demo")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="chainrule",
        description="Automatic differentiation on NumPy, and the chain rule made visible.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in _SUBCOMMANDS:
        try:
            module = importlib.import_module(f"chainrule.cli.{name}")
        except ModuleNotFoundError as exc:  # subcommand not built yet
            if exc.name != f"chainrule.cli.{name}":
                raise
            continue
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except (CLIError, ValueError, FileNotFoundError, KeyError) as exc:
        message = exc.args[0] if exc.args else str(exc)
        print(f"chainrule {args.command}: error: {message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("chainrule: interrupted", file=sys.stderr)
        return 130
