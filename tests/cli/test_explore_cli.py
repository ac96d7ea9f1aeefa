"""``chainrule explore``: the command serves on 127.0.0.1 and prints the URL."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import urllib.request

import pytest

from chainrule.cli import main

SRC = os.path.join(os.path.dirname(__file__), "..", "..", "src")


def test_explore_serves_the_page_on_localhost_and_prints_the_url():
    env = {**os.environ, "PYTHONPATH": os.path.abspath(SRC)}
    cmd = [sys.executable, "-m", "chainrule", "explore", "--no-browser"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        line = proc.stdout.readline()
        url = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert url, line + proc.stderr.read() if proc.poll() is not None else line
        with urllib.request.urlopen(url.group(0), timeout=10) as response:
            page = response.read().decode()
        assert "chainrule explore" in page and "katex.min.js" in page
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.mark.parametrize("argv, message", [(["--port", "70000"], "--port must be 0..65535"),
                                           (["--timeout", "0"], "--timeout")])  # fmt: skip
def test_explore_rejects_bad_options(capsys, argv, message):
    assert main(["explore", "--no-browser", *argv]) == 2
    assert message in capsys.readouterr().err
