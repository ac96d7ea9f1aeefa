"""The ``chainrule`` command line (also ``python -m chainrule``).

Each subcommand lives in its own module exposing ``register(subparsers)``, which adds
an argparse parser whose ``func`` default is ``run(args) -> int``. Any
``CLIError`` (or ``ValueError``/``KeyError`` raised by the library for bad user input,
an ``OSError`` such as a missing file or an unwritable output path, or a missing
optional dependency) becomes one line on stderr and exit status 2, never a traceback.
A malformed command line (unknown flag, ``--epochs abc``) is one line too: argparse's
message and where to find help, with status 2. Plain ``chainrule`` prints the help
(status 0). On a stream that cannot encode the notation (``∂``, ``·``), it is written
in ASCII (``d``, ``*``) rather than failing.
"""

from __future__ import annotations

import argparse
import sys

from chainrule.cli import demo, diff, explore, graph, train
from chainrule.cli._common import CLIError, ascii_fallback

_SUBCOMMANDS = (diff, graph, train, demo, explore)  # in the order --help lists them


class _Parser(argparse.ArgumentParser):
    """argparse's parser with a one-line usage error (argparse prints the whole usage
    block first). Subcommand parsers are made of the same class."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def _one_line(exc: BaseException) -> str:
    """The exception's message on one line (an OSError as 'problem: file'). The first
    argument, not ``str(exc)``: the parser's errors add a caret picture to the latter."""
    if isinstance(exc, OSError) and exc.strerror:
        text = exc.strerror + (f": {exc.filename}" if exc.filename else "")
    elif exc.args and isinstance(exc.args[0], str):
        text = exc.args[0]
    else:
        text = str(exc)
    return " ".join(line.strip() for line in text.splitlines() if line.strip())


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="chainrule",
        description="Automatic differentiation on NumPy, and the chain rule made visible.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in _SUBCOMMANDS:
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        ascii_fallback(stream)
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):  # plain `chainrule`: the help, which is no error
        parser.print_help()
        return 0
    try:
        return int(args.func(args) or 0)
    except (CLIError, ValueError, KeyError, OSError, ImportError) as exc:
        print(f"chainrule {args.command}: error: {_one_line(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("chainrule: interrupted", file=sys.stderr)
        return 130
