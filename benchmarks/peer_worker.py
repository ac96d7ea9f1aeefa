"""One library's process in the peer benchmark, driven by ``bench_peers.py`` over pipes.

Run as ``python peer_worker.py MODULE`` (MODULE is ``peer_numpy``, ``peer_chainrule``,
...). It imports the library, answers ``{"ready": ...}`` (or ``{"missing": ...}`` when the
library is not installed) and then serves one JSON command per line on stdin:

* ``{"cmd": "setup", "workload": W, "seconds": S, "quick": Q}`` checks every
  implementation of W against the hand-written NumPy gradients, warms it up and picks how
  many calls make one repetition last about S seconds (with Q, the module's ``FULL_ONLY``
  implementations are left out);
* ``{"cmd": "time", "workload": W, "impl": NAME, "clock": C}`` runs one repetition and
  answers the seconds per call, of wall-clock time (C = "wall") or of this process's
  CPU time, all its threads together (C = "cpu").

``python peer_worker.py MODULE --mlp-memory NAME STEPS`` instead measures, in this fresh
process, how far the peak resident memory rises over STEPS training steps of the MLP.
Each library has a process of its own so that no library's threads, allocator state or
import side effects touch another's numbers.
"""

from __future__ import annotations

import importlib
import json
import math
import sys
import time

import peer_numpy
from peer_workloads import check, make_data


def _send(obj) -> None:
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def _convert(module, grads):
    return [module.to_numpy(g) if hasattr(module, "to_numpy") else g for g in grads]


def _setup(module, workload, seconds, quick, prepared):
    want = peer_numpy.IMPLS[peer_numpy.NAME][workload](make_data(workload))()
    report = {}
    for name, factories in module.IMPLS.items():
        if workload not in factories or (quick and name in getattr(module, "FULL_ONLY", ())):
            continue
        try:
            fn = factories[workload](make_data(workload))
            got = fn()  # also the warm-up (and compilation, for libraries that compile)
            got = _convert(module, got)
            error = 0.0 if workload == "matmul_raw" else check(workload, got, want)
            t0 = time.perf_counter()
            fn()
            once = time.perf_counter() - t0
        except Exception as exc:  # report, so that one broken peer does not stop the run
            report[name] = {"failed": f"{type(exc).__name__}: {exc}"}
            continue
        number = max(1, math.ceil(seconds / max(once, 1e-9)))
        prepared[(workload, name)] = (fn, number)
        report[name] = {"error": error, "number": number}
    return report


def _time(prepared, workload, name, clock) -> float:
    fn, number = prepared[(workload, name)]
    now = time.process_time if clock == "cpu" else time.perf_counter
    t0 = now()
    for _ in range(number):
        fn()
    return (now() - t0) / number


def _status_kib(field: str) -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"/proc/self/status has no {field}")


def mlp_memory(module, name, steps) -> float:
    """MiB by which the peak RSS rises over ``steps`` MLP steps (the first included)."""
    step = module.IMPLS[name]["mlp"](make_data("mlp"))
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")  # resets the peak (VmHWM) to the current RSS
    base = _status_kib("VmRSS")
    for _ in range(steps):
        step()
    return (_status_kib("VmHWM") - base) / 1024


def main(argv) -> int:
    try:
        module = importlib.import_module(argv[0])
    except ImportError as exc:
        _send({"missing": str(exc)})
        return 0
    if len(argv) == 4 and argv[1] == "--mlp-memory":
        _send({"mib": mlp_memory(module, argv[2], int(argv[3]))})
        return 0
    impls = {name: sorted(f) for name, f in module.IMPLS.items()}
    _send({"ready": True, "impls": impls, "versions": module.versions()})
    prepared = {}
    for line in sys.stdin:
        cmd = json.loads(line)
        if cmd["cmd"] == "setup":
            _send(_setup(module, cmd["workload"], cmd["seconds"], cmd["quick"], prepared))
        elif cmd["cmd"] == "time":
            _send({"seconds": _time(prepared, cmd["workload"], cmd["impl"], cmd["clock"])})
        else:
            _send({"failed": f"unknown command {cmd['cmd']!r}"})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
