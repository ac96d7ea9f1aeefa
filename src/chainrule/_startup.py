"""Ctrl-C while ``python -m chainrule`` is still importing the library.

Python imports the package (NumPy and every layer, about half a second) before it runs
``chainrule/__main__.py``, so nothing of the command's own interrupt handling
(``chainrule_cli``) exists yet, and a Ctrl-C in that time would end in a
KeyboardInterrupt traceback. The package root imports this module first: when the
interpreter was started as ``python -m chainrule``, it installs a SIGINT handler that
ends the start as the command does (one line, status 130, 128 + SIGINT), and
:func:`restore` puts the previous handler back once the package is imported. A program
that imports chainrule any other way keeps Python's ordinary KeyboardInterrupt.
"""

from __future__ import annotations

import os
import signal
import sys

INTERRUPTED = 130


def started_as_command(argv: list[str]) -> bool:
    """Whether ``argv`` (the interpreter's own, ``sys.orig_argv``) runs
    ``python [options] -m chainrule ...`` and Python is still locating the module to run
    (``sys.argv`` is ``["-m"]`` until then)."""
    if sys.argv[:1] != ["-m"]:
        return False
    for i, arg in enumerate(argv[1:], 1):
        if arg == "-m":
            return argv[i + 1 : i + 2] == ["chainrule"]
        if arg.startswith("-m"):
            return arg == "-mchainrule"
    return False


def _end_the_start(signum, frame):
    # End the process here rather than raise SystemExit: the handler can run inside C
    # code that swallows any exception (an attribute test, a finaliser), and the start
    # would then go on to run the command. Nothing is written yet, so nothing is lost.
    print("chainrule: interrupted", file=sys.stderr)
    sys.stderr.flush()
    os._exit(INTERRUPTED)


_previous = None
if started_as_command(getattr(sys, "orig_argv", [])):
    _previous = signal.signal(signal.SIGINT, _end_the_start)


def restore() -> None:
    """Give SIGINT back to the handler it had before (a no-op unless installed)."""
    global _previous
    if _previous is not None:
        signal.signal(signal.SIGINT, _previous)
        _previous = None
