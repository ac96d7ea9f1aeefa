"""Ctrl-C at the command line: one short line and status 130, never a traceback, both
while the library is still being imported and while a command runs."""

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


def _interrupt_after(delay: float, *argv: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    # the console script's own wrapper: import the entry module, then call it
    code = "import sys, chainrule_cli; sys.exit(chainrule_cli.main())"
    proc = subprocess.Popen(
        [sys.executable, "-c", code, *argv],
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
