"""The collectives under ``mpiexec -n 2``; failing ranks end the job; the errors for a
missing process group and a missing mpi4py."""

import os
import subprocess
import sys

import numpy as np
import pytest

from chainrule import distributed as dist
from tests.distributed._mpi import SRC, run_workers


def test_collectives_on_arrays_tensors_and_pytrees():
    done = run_workers("_worker_collectives.py", n=2, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "rank 0 ok" in done.stdout and "rank 1 ok" in done.stdout, done.stdout


@pytest.mark.parametrize("how", ["raise", "die"])
def test_a_failing_rank_ends_the_job_with_an_error(how):
    done = run_workers("_worker_fault.py", n=2, timeout=30, args=[how])
    assert done.returncode != 0
    assert "rank 0 was never stopped" not in done.stdout
    if how == "raise":
        assert "rank 1 failed" in done.stderr and "the data on this rank is broken" in done.stderr


def test_without_init_process_group_the_error_says_to_call_it():
    pytest.importorskip("mpi4py")
    assert not dist.is_initialized()
    with pytest.raises(RuntimeError, match=r"init_process_group\(backend=\"mpi\"\)"):
        dist.all_reduce(np.ones(2))
    with pytest.raises(RuntimeError, match="not initialized"):
        dist.get_rank()
    with pytest.raises(ValueError, match="only 'mpi'"):
        dist.init_process_group(backend="nccl")


def test_without_mpi4py_the_error_gives_the_install_command():
    code = (
        "import sys; sys.modules['mpi4py'] = None\n"
        "from chainrule import distributed as dist\n"
        "assert not dist.is_available()\n"
        "for call in (dist.init_process_group, dist.get_world_size):\n"
        "    try:\n"
        "        call()\n"
        "    except ImportError as exc:\n"
        "        print(exc)\n"
    )
    env = dict(os.environ, PYTHONPATH=str(SRC))
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )
    assert out.returncode == 0, out.stderr
    lines = out.stdout.strip().split("\n")
    assert len(lines) == 2 and all('pip install "chainrule[distributed]"' in x for x in lines)
