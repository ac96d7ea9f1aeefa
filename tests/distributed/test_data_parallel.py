"""Two processes training on half a batch each end with the same parameters as one
process training on the whole batch (float64, 20 steps, to 1e-10), for an MLP and a CNN,
with DistributedDataParallel and with the functional pattern; and a rank that trains
alone on its half ends far from them (so the comparison can fail)."""

import re

from tests.distributed._mpi import run_workers


def test_two_processes_match_one_process_on_the_full_batch():
    done = run_workers("_worker_training.py", n=2, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    found = re.findall(
        r"rank (\d) (mlp|cnn) (ddp|functional) ([0-9.e+-]+) alone ([0-9.e+-]+)", done.stdout
    )
    assert {(r, m, k) for r, m, k, _, _ in found} == {
        (r, m, k) for r in "01" for m in ("mlp", "cnn") for k in ("ddp", "functional")
    }, done.stdout
    for rank, model, kind, together, alone in found:
        assert float(together) < 1e-10, (rank, model, kind, together)
        assert float(alone) > 1e-3, (rank, model, kind, alone)
    for rank in "01":
        assert f"rank {rank} unused parameters named" in done.stdout, done.stdout
