"""Ctrl-C at the command line: one short line and status 130, never a traceback, both
while the library is still being imported and while a command runs, for the console
script and for ``python -m chainrule``."""

from __future__ import annotations

import os
import pathlib
import signal
import subprocess
import sys
import time

import pytest

SRC = pathlib.Path(__file__).resolve().parents[2] / "src"

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


# the console script's own wrapper: import the entry module, then call it
CONSOLE_SCRIPT = ["-c", "import sys, chainrule_cli; sys.exit(chainrule_cli.main())"]


def _interrupt_after(delay: float, *argv: str, launcher=CONSOLE_SCRIPT):
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    proc = subprocess.Popen(
        [sys.executable, *launcher, *argv],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(delay)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


@pytest.mark.parametrize(
    "delay, argv",
    [
        (0.15, ["diff", "x^2", "--at", "x=1"]),  # while NumPy and chainrule are imported
        # while training runs (many epochs: it is still going when the signal lands)
        (3.0, ["train", "digits", "--epochs", "1000"]),
    ],
    ids=["during-imports", "during-a-command"],
)
def test_ctrl_c_is_one_line_and_status_130(delay, argv):
    result = _interrupt_after(delay, *argv)
    assert result.returncode == 130, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr
    assert result.stderr.strip() == "chainrule: interrupted"


@pytest.mark.parametrize("delay", [0.1, 0.3])
def test_ctrl_c_while_python_m_chainrule_imports_the_package(delay):
    # Python imports the whole package before it runs chainrule/__main__.py
    result = _interrupt_after(delay, "diff", "x^2", "--at", "x=1", launcher=["-m", "chainrule"])
    assert result.returncode == 130, (result.returncode, result.stderr)
    assert result.stderr.strip() == "chainrule: interrupted"


def test_python_m_chainrule_runs_the_command():
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    done = subprocess.run(
        [sys.executable, "-m", "chainrule", "diff", "x^2", "--at", "x=3"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "6" in done.stdout


def test_importing_chainrule_keeps_pythons_keyboard_interrupt():
    """Only ``python -m chainrule`` gets the one-line ending; a program that imports the
    library (here: a script run with -c) keeps its KeyboardInterrupt."""
    code = (
        "import signal, chainrule\n"
        "assert signal.getsignal(signal.SIGINT) is signal.default_int_handler\n"
        "from chainrule import _startup\n"
        "assert not _startup.started_as_command(['python', '-m', 'chainrule'])\n"
    )
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
