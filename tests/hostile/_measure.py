"""How long and how much memory one answer costs: CPU time (robust to a loaded
machine, where wall time is not) and the peak of traced allocations (tracemalloc sees
Python's and NumPy's allocations, so a refused file that allocated its claimed size
would show)."""

import time
import tracemalloc


def cost(fn, *args):
    """``(outcome, cpu_seconds, wall_seconds, peak_bytes)`` of ``fn(*args)``; the
    outcome is the result or the exception raised."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    cpu, wall = time.process_time(), time.perf_counter()
    try:
        outcome = fn(*args)
    except Exception as exc:  # noqa: BLE001 - the caller checks the type
        outcome = exc
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return outcome, cpu, wall, peak
