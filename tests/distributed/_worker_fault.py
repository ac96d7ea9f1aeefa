"""Run under ``mpiexec -n 2`` with an argument: rank 1 raises (``raise``) or dies
without a word (``die``) while rank 0 waits for it in a collective."""

import os
import signal
import sys

import numpy as np

from chainrule import distributed as dist

dist.init_process_group(backend="mpi")
if dist.get_rank() == 1:
    if sys.argv[1] == "raise":
        raise ValueError("the data on this rank is broken")
    os.kill(os.getpid(), signal.SIGKILL)
dist.all_reduce(np.ones(3))
print("rank 0 was never stopped")
