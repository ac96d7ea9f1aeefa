"""chainrule against its peers on five workloads, in one table of medians and ratios to
hand-written NumPy. Run: ``python benchmarks/bench_peers.py [--quick] [--threads T]``.

Workloads (the same graph in every library; see ``peer_workloads.py``): a scalar graph of
1003 ops, an elementwise chain of 201 ops on (8,) arrays, an MLP training step, the
gradient of ``sum(tanh(A @ B))`` for 1024² matrices, and a full 100x100 Hessian.
Implementations: hand-written NumPy (the reference), chainrule (functional, Tensor,
nn), and PyTorch, JAX (eager and jit), HIPS autograd and micrograd where installed
(``pip install -e ".[bench]"``); a peer that is missing gets a note instead of a row.

Method: each library runs in its own worker process (``peer_worker.py``), all with the
same thread count (BLAS, OpenMP, XLA). Every implementation's gradients are checked
against the hand-written NumPy ones before it is timed. Repetitions are interleaved:
repetition 1 of every implementation, then repetition 2, ..., so that machine noise hits
all alike; a repetition runs the workload enough times to last ``--rep-seconds`` and the
table shows the median over repetitions (``--clock cpu`` times each worker's CPU time
instead of the wall clock, steadier when other processes share the machine). Garbage
collection stays on.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from peer_workloads import MATMUL_N, OPS, TITLES, WORKLOADS  # noqa: E402

MODULES = ("peer_numpy", "peer_chainrule", "peer_torch", "peer_jax", "peer_autograd")
MODULES += ("peer_micrograd",)
PEER_PACKAGES = {"peer_torch": "torch", "peer_jax": "jax", "peer_autograd": "autograd"}
PEER_PACKAGES["peer_micrograd"] = "micrograd"
REFERENCE = "NumPy, hand-written"
MLP_MEMORY_STEPS = 21


def _parse(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument(
        "--quick",
        action="store_true",
        help="5 short repetitions, no JAX eager, no memory measurement",
    )
    p.add_argument("--repeat", type=int, help="repetitions (default 5 quick, 9 full)")
    p.add_argument("--rep-seconds", type=float, help="seconds per repetition (0.01 / 0.2)")
    p.add_argument("--threads", type=int, default=1, help="threads for every library (1)")
    p.add_argument(
        "--clock",
        choices=("wall", "cpu"),
        default="wall",
        help="wall-clock time, or the worker's CPU time (steadier on a shared machine)",
    )
    p.add_argument("--workloads", nargs="+", choices=WORKLOADS, default=list(WORKLOADS))
    args = p.parse_args(argv)
    args.repeat = args.repeat or (5 if args.quick else 9)
    if args.repeat < 1:
        p.error("--repeat must be at least 1")
    args.rep_seconds = args.rep_seconds or (0.01 if args.quick else 0.2)
    return args


def _env(threads: int) -> dict:
    env = dict(os.environ)
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env[var] = str(threads)
    if threads == 1:
        env["XLA_FLAGS"] = "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(HERE), env.get("PYTHONPATH")]))
    return env


class Worker:
    """A library's process; ``ask`` sends one command and waits for its answer."""

    def __init__(self, module: str, env: dict):
        self.module = module
        self.proc = subprocess.Popen(
            [sys.executable, str(HERE / "peer_worker.py"), module],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        self.hello = None

    def read(self) -> dict:
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"worker {self.module} exited (status {self.proc.wait()})")
        return json.loads(line)

    def ask(self, **cmd) -> dict:
        self.proc.stdin.write(json.dumps(cmd) + "\n")
        self.proc.stdin.flush()
        return self.read()

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.stdin.close()
            self.proc.wait()


def start_workers(env):
    workers, notes = [], []
    for module in MODULES:
        workers.append(Worker(module, env))  # all start (import) at once
    ready = []
    for w in workers:
        w.hello = w.read()
        if "missing" in w.hello:
            pkg = PEER_PACKAGES.get(w.module, w.module)
            notes.append(f"{pkg} not installed ({w.hello['missing']}): no rows")
            w.close()
        else:
            ready.append(w)
    return ready, notes


def run_workload(workers, workloads, args, notes):
    """Median seconds per call of every implementation of the given workloads (timed in
    one interleaved loop), keyed by (workload, implementation), and the check errors."""
    entries, errors = [], {}
    for w in workers:
        for workload in workloads:
            if not any(workload in wl for wl in w.hello["impls"].values()):
                continue
            setup = w.ask(
                cmd="setup", workload=workload, seconds=args.rep_seconds, quick=args.quick
            )
            for name, info in setup.items():
                if "failed" in info:
                    notes.append(f"{workload}: {name} failed its check or setup: {info['failed']}")
                else:
                    entries.append((w, workload, name))
                    errors[workload, name] = info["error"]
    times = {(workload, name): [] for _, workload, name in entries}
    for rep in range(args.repeat):
        shift = rep % max(len(entries), 1)  # rotate who goes first
        for w, workload, name in entries[shift:] + entries[:shift]:
            answer = w.ask(cmd="time", workload=workload, impl=name, clock=args.clock)
            times[workload, name].append(answer["seconds"])
    return {key: statistics.median(t) for key, t in times.items()}, errors


def mlp_memory(workers, env) -> dict:
    """Peak-RSS growth over the MLP steps, each implementation in a fresh process."""
    out = {}
    for w in workers:
        for name, wl in w.hello["impls"].items():
            if "mlp" in wl:
                cmd = [sys.executable, str(HERE / "peer_worker.py"), w.module]
                cmd += ["--mlp-memory", name, str(MLP_MEMORY_STEPS)]
                res = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
                out[name] = json.loads(res.stdout)["mib"]
    return out


IMPORT_SNIPPET = """
import json, sys, time
def rss():
    with open('/proc/self/status') as f:
        return next(int(l.split()[1]) for l in f if l.startswith('VmRSS:'))
if {pre_numpy}:
    import numpy
now = time.{clock}
r0, t0 = rss(), now()
import chainrule
heavy = [m for m in ('scipy', 'sympy', 'torch', 'jax', 'graphviz') if m in sys.modules]
print(json.dumps([now() - t0, (rss() - r0) / 1024, heavy]))
"""


def import_cost(env, repeat: int, clock: str, notes: list):
    """Median seconds and MiB of ``import chainrule`` in fresh processes, with and without
    NumPy imported first; a note if it pulled in an optional heavy library."""
    out = {}
    now = "process_time" if clock == "cpu" else "perf_counter"
    for pre in (False, True):
        code = IMPORT_SNIPPET.format(pre_numpy=pre, clock=now)
        runs = []
        for _ in range(repeat):
            cmd = [sys.executable, "-c", code]
            res = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
            runs.append(json.loads(res.stdout))
        out[pre] = (statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs))
        if runs[0][2]:
            notes.append(f"`import chainrule` also imported {', '.join(runs[0][2])}")
    return out


def _row_cells(workload, name, sec, base, error, extra):
    if workload in OPS:
        value = f"{sec / OPS[workload] * 1e6:.2f} µs/op"
    else:
        value = f"{sec * 1e3:.2f} ms"
    ratio = f"{sec / base:.2f}" if base else "—"
    return [name, value, ratio, f"{error:.0e}" if error else "0", extra]


def table(results, memory, raw_matmul) -> list[str]:
    lines = ["| workload | implementation | median | × NumPy | check | notes |"]
    lines.append("|---|---|---:|---:|---:|---|")
    for workload, (times, errors) in results.items():
        base = times.get(REFERENCE)
        for name, sec in times.items():
            extra = ""
            if workload == "mlp" and name in memory:
                extra = f"peak RSS +{memory[name]:.1f} MiB over {MLP_MEMORY_STEPS} steps"
            if workload == "matmul" and raw_matmul:
                gflops = 6 * MATMUL_N**3 / sec / 1e9
                raw = 2 * MATMUL_N**3 / raw_matmul / 1e9
                extra = f"{gflops:.0f} GFLOP/s = {gflops / raw:.0%} of NumPy's A@B ({raw:.0f})"
            cells = _row_cells(workload, name, sec, base, errors[name], extra)
            lines.append("| " + " | ".join([workload] + cells) + " |")
    lines.append("")
    lines += [f"- {workload}: {TITLES[workload]}" for workload in results]
    return lines


def _header(args, workers, notes, imports) -> list[str]:
    versions = {"python": platform.python_version()}
    for w in workers:
        versions.update(w.hello["versions"])
    cpu = platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name"))
    except (OSError, StopIteration):
        pass
    lines = [
        f"{time.strftime('%Y-%m-%d')}, {cpu}, {os.cpu_count()} CPUs, "
        f"{args.threads} thread(s) per library, {args.clock} clock, median of {args.repeat} "
        f"interleaved repetitions of ≥ {args.rep_seconds} s",
        ", ".join(f"{k} {v}" for k, v in versions.items()),
    ]
    for pre, (sec, mib) in imports.items():
        when = "after `import numpy`" if pre else "in a fresh interpreter (NumPy included)"
        lines.append(f"`import chainrule` {when}: {sec * 1e3:.0f} ms, +{mib:.1f} MiB RSS")
    return lines + [f"note: {n}" for n in notes]


def main(argv=None) -> int:
    args = _parse(argv)
    env = _env(args.threads)
    workers, notes = start_workers(env)
    results, memory, raw_matmul = {}, {}, None
    try:
        for workload in args.workloads:
            t0 = time.perf_counter()
            extra = ("matmul_raw",) if workload == "matmul" else ()
            times, errors = run_workload(workers, (workload, *extra), args, notes)
            raw_matmul = times.pop(("matmul_raw", REFERENCE), raw_matmul)
            results[workload] = (
                {name: t for (_, name), t in times.items()},
                {name: e for (wl, name), e in errors.items() if wl == workload},
            )
            print(f"{workload}: {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    finally:
        for w in workers:
            w.close()
    if "mlp" in args.workloads and not args.quick:
        memory = mlp_memory(workers, env)
    if args.quick:
        notes.append("quick mode: JAX eager (slow on small work) runs in the full mode only")
    if "mlp" in args.workloads and args.quick:
        notes.append("MLP peak-memory growth is measured in the full mode only (fresh processes)")
    imports = import_cost(env, args.repeat, args.clock, notes)
    print("\n".join(_header(args, workers, notes, imports)))
    print()
    print("\n".join(table(results, memory, raw_matmul)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
