"""Data-parallel training over MPI processes on this machine, and a model for many.

1. Gradient all-reduce bandwidth: ``chainrule.distributed.all_reduce`` on a gradient
   pytree (the MLP's and the CNN's, and a 4 MB one), and DDP's bucket reduction
   (``MPI_Iallreduce`` on the flat bucket), against raw mpi4py ``Allreduce`` on a
   buffer of the same size, with 2 processes.
2. Training throughput (images/s) of ``DistributedDataParallel`` with 1 and 2
   processes, global batch 64 split over the processes (each step is the same update).
3. Predicted step time on 8-64 machines from an alpha-beta model of ring all-reduce
   (see docs/distributed.md for the model and its assumptions):
   ``t_step(p) = t_compute(B) + 2 (p - 1) alpha + 2 (p - 1) / p * n * beta``,
   with the compute time of a per-machine batch B measured here in one process.

Run: ``python benchmarks/distributed.py [--steps N] [--alpha S] [--beta S_PER_BYTE]``.
The script starts ``mpiexec`` itself (the one the ``distributed`` extra installs).
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import platform
import subprocess
import sys
import time

import numpy as np

HERE = pathlib.Path(__file__).resolve()


def _models():
    from chainrule import nn

    mlp = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10))
    cnn = nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(32 * 2 * 2, 128),
        nn.ReLU(),
        nn.Linear(128, 10),
    )
    return {"MLP 64-128-10": mlp, "CNN (train digits --model cnn)": cnn}


def _best(fns, repeat: int) -> list:
    """The fastest of ``repeat`` timings of each of ``fns``, timed in alternation (so
    machine noise hits them alike); every rank starts each timing together, and the
    slowest rank's time counts."""
    from chainrule import distributed as dist

    times = [[] for _ in fns]
    for _ in range(repeat):
        for fn, seen in zip(fns, times):
            dist.barrier()
            t0 = time.perf_counter()
            fn()
            seen.append(time.perf_counter() - t0)
    best = np.array([min(t) for t in times])
    return list(np.max(np.stack(dist.all_gather(best)), axis=0))


def _repeated(call, steps: int):
    def run():
        for _ in range(steps):
            call()  # each result is dropped at once, as a training loop would

    return run


def _bandwidth(steps: int) -> list:
    from mpi4py import MPI

    from chainrule import distributed as dist
    from chainrule.distributed.collectives import start_all_reduce_sum

    comm = MPI.COMM_WORLD
    trees = {
        name: {k: np.ones(v.shape) for k, v in m.state_dict().items()}
        for name, m in _models().items()
    }
    trees["4 MB pytree (4 leaves)"] = {f"w{i}": np.ones(2**17) for i in range(4)}
    rows = []
    for name, tree in trees.items():
        flat = np.ones(sum(v.size for v in tree.values()))
        calls = [
            lambda: comm.Allreduce(MPI.IN_PLACE, flat),
            lambda: dist.all_reduce(tree),
            lambda: start_all_reduce_sum(flat).Wait(),
        ]
        raw, ours, bucket = _best([_repeated(call, steps) for call in calls], 7)
        mb = flat.nbytes / 2**20
        rows.append((name, flat.nbytes, mb * steps / raw, mb * steps / ours, mb * steps / bucket))
    return rows


def _throughput(steps: int) -> list:
    import chainrule as cr
    from chainrule import distributed as dist
    from chainrule import nn, optim
    from chainrule.nn import functional as F

    rank, world = dist.get_rank(), dist.get_world_size()
    rng = np.random.default_rng(0)
    rows = []
    for name, model in _models().items():
        batch = 64
        shape = (batch, 64) if name.startswith("MLP") else (batch, 1, 8, 8)
        x = cr.tensor(rng.random(shape, dtype=np.float32))[rank::world]  # the models' dtype
        y = cr.tensor(rng.integers(0, 10, batch))[rank::world]
        net = nn.parallel.DistributedDataParallel(model)
        opt = optim.SGD(model.parameters(), lr=0.01)

        def train():
            for _ in range(steps):
                opt.zero_grad()
                F.cross_entropy(net(x), y).backward()
                opt.step()

        train()  # warm-up
        (seconds,) = _best([train], 3)
        rows.append((name, world, batch * steps / seconds, seconds / steps))
    return rows


def _worker(steps: int) -> None:
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    from chainrule import distributed as dist

    dist.init_process_group(backend="mpi")
    result = {"throughput": _throughput(steps)}
    if dist.get_world_size() > 1:
        result["bandwidth"] = _bandwidth(steps)
    if dist.get_rank() == 0:
        print("RESULT " + json.dumps(result), flush=True)
    dist.destroy_process_group()


def _run(n: int, steps: int) -> dict:
    mpiexec = pathlib.Path(sys.executable).parent / "mpiexec"
    cmd = [str(mpiexec), "-n", str(n), sys.executable, str(HERE), "--worker", "--steps", str(steps)]
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=600, env=env, check=True)
    line = next(x for x in out.stdout.splitlines() if x.startswith("RESULT "))
    return json.loads(line[len("RESULT ") :])


def _predict(one: list, alpha: float, beta: float, per_machine: int) -> list:
    """Weak scaling: each machine keeps a batch of ``per_machine`` images."""
    from chainrule.tensors import manual_seed

    manual_seed(0)
    sizes = {name: sum(p.numel() for p in m.parameters()) * 8 for name, m in _models().items()}
    rows = []
    for name, _, images_per_s, _ in one:
        compute = per_machine / images_per_s
        n = sizes[name]
        for p in (8, 16, 32, 64):
            comm = 2 * (p - 1) * alpha + 2 * (p - 1) / p * n * beta
            rows.append((name, p, compute * 1e3, comm * 1e3, (compute + comm) * 1e3))
    return rows


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--steps", type=int, default=50)
    p.add_argument("--alpha", type=float, default=30e-6, help="latency per message, s")
    p.add_argument("--beta", type=float, default=0.8e-9, help="s per byte (10 Gb/s: 0.8e-9)")
    p.add_argument("--batch", type=int, default=32, help="per-machine batch for the model")
    p.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.worker:
        return _worker(args.steps)
    one, two = _run(1, args.steps), _run(2, args.steps)
    print(f"# {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(
        "\n| gradient all-reduce, 2 processes | bytes | raw mpi4py MB/s | all_reduce | % | "
        "DDP bucket | % |\n|---|---|---|---|---|---|---|"
    )
    for name, nbytes, raw, ours, bucket in two["bandwidth"]:
        print(
            f"| {name} | {nbytes:,} | {raw:,.0f} | {ours:,.0f} | {100 * ours / raw:.0f} | "
            f"{bucket:,.0f} | {100 * bucket / raw:.0f} |"
        )
    print("\n| training, global batch 64 | processes | images/s | ms/step |\n|---|---|---|---|")
    for name, n, rate, step in one["throughput"] + two["throughput"]:
        print(f"| {name} | {n} | {rate:,.0f} | {1e3 * step:.2f} |")
    print(
        f"\n| predicted, batch {args.batch}/machine, alpha {args.alpha:g} s, beta "
        f"{args.beta:g} s/B | machines | compute ms | all-reduce ms | step ms |\n"
        "|---|---|---|---|---|"
    )
    for name, m, compute, comm, step in _predict(
        one["throughput"], args.alpha, args.beta, args.batch
    ):
        print(f"| {name} | {m} | {compute:.2f} | {comm:.3f} | {step:.2f} |")


if __name__ == "__main__":
    main()
