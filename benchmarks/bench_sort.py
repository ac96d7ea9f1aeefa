"""Sorting under a gradient: time and peak memory of the gradient of ``sum(sort(x) * w)``
on 10^7 float64 values, for chainrule (``cr.grad``) and for NumPy by hand (``np.sort``
for the value, ``np.argsort`` and a scatter for the gradient), plus plain ``np.sort``,
untraced ``cnp.sort`` and the traced forward alone. Peak memory is what ``tracemalloc``
sees NumPy allocate above the inputs. Best of ``REPEAT`` runs.
Run: ``python benchmarks/bench_sort.py [n]``."""

from __future__ import annotations

import sys
import time
import tracemalloc

import numpy as np

import chainrule as cr
import chainrule.numpy as cnp

REPEAT = 3


def _numpy_grad(x, w):
    value = np.sum(np.sort(x) * w)
    perm = np.argsort(x)
    g = np.empty_like(x)
    g[perm] = w
    return value, g


def _chainrule_grad(x, w):
    return cr.value_and_grad(lambda v: cnp.sum(cnp.sort(v) * w))(x)


def _chainrule_forward(x, w):
    return cr.vjp(lambda v: cnp.sum(cnp.sort(v) * w), x)[0]


def _measure(fn, *args):
    best = float("inf")
    for _ in range(REPEAT):
        start = time.perf_counter()
        fn(*args)
        best = min(best, time.perf_counter() - start)
    tracemalloc.start()
    fn(*args)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return best, peak


def main(n: int = 10**7) -> None:
    rng = np.random.default_rng(0)
    x, w = rng.standard_normal(n), rng.standard_normal(n)
    got, want = _chainrule_grad(x, w)[1], _numpy_grad(x, w)[1]
    np.testing.assert_allclose(got, want)  # the same gradient, or the timing is moot
    rows = [
        ("np.sort", _measure(np.sort, x)),
        ("cnp.sort (untraced)", _measure(cnp.sort, x)),
        ("NumPy by hand: value and grad", _measure(_numpy_grad, x, w)),
        ("cr.vjp, forward only", _measure(_chainrule_forward, x, w)),
        ("cr.value_and_grad", _measure(_chainrule_grad, x, w)),
    ]
    base_t, base_m = rows[2][1]
    print(f"n = {n:,} float64, NumPy {np.__version__}, best of {REPEAT}")
    print(f"{'':32}{'time s':>9}{'peak MB':>10}{'vs hand t':>11}{'vs hand mem':>13}")
    for name, (t, m) in rows:
        print(f"{name:32}{t:9.3f}{m / 1e6:10.1f}{t / base_t:11.2f}{m / base_m:13.2f}")


if __name__ == "__main__":
    main(int(float(sys.argv[1])) if len(sys.argv) > 1 else 10**7)
