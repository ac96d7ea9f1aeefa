"""Run a worker script of this folder under ``mpiexec -n N`` (the MPI that pip installed
next to this Python), with a time limit, and return the finished process."""

from __future__ import annotations

import os
import pathlib
import shutil
import subprocess
import sys

import pytest

HERE = pathlib.Path(__file__).resolve().parent
SRC = HERE.parents[1] / "src"


def mpiexec() -> str:
    pytest.importorskip("mpi4py", reason='the distributed extra: pip install -e ".[test]"')
    local = pathlib.Path(sys.executable).parent / "mpiexec"
    found = str(local) if local.exists() else shutil.which("mpiexec")
    assert found, "mpi4py is installed but no mpiexec was found (pip install mpich)"
    return found


def run_workers(script: str, n: int = 2, timeout: float = 60, args=()):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(SRC), str(HERE.parents[1])]))
    cmd = [mpiexec(), "-n", str(n), sys.executable, str(HERE / script), *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
