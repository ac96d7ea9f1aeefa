"""The ``chainrule`` console script's entry point, kept outside the ``chainrule`` package.

Importing anything inside ``chainrule`` first runs the package's ``__init__`` (NumPy and
every layer, about half a second), and a Ctrl-C in that time would end in a
KeyboardInterrupt traceback. This module imports nothing heavy, so it is loaded before
the interrupt can land: an interrupt while importing or while a command runs prints one
line and exits with status 130 (128 + SIGINT), as shells expect.
"""

from __future__ import annotations

import sys

INTERRUPTED = 130


def main() -> int:
    try:
        from chainrule.cli import main as run_command

        return run_command()
    except KeyboardInterrupt:
        try:
            print("chainrule: interrupted", file=sys.stderr)
        except KeyboardInterrupt:  # a second Ctrl-C while saying so
            pass
        return INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
