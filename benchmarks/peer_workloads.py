"""The five peer-comparison workloads: their inputs, their op counts and the gradient check.

Every library builds the same graph from the same NumPy inputs made here, so the only
thing that differs between rows of the table is the library. ``bench_peers.py`` is the
entry point; this module holds no timing code.
"""

from __future__ import annotations

import numpy as np

WORKLOADS = ("scalar", "elementwise", "mlp", "matmul", "hessian")

# scalar graph: 167 rounds of 6 ops plus the final add
SCALAR_ROUNDS = 167
# elementwise: 50 rounds of 4 ops plus the final sum
ELEMENTWISE_ROUNDS = 50
OPS = {"scalar": SCALAR_ROUNDS * 6 + 1, "elementwise": ELEMENTWISE_ROUNDS * 4 + 1}

MLP_SIZES = (784, 256, 256, 10)
MLP_BATCH = 128
MLP_LR = 0.01
MATMUL_N = 1024
HESSIAN_SHAPE = (50, 100)

# float64 workloads agree to rounding; float32 ones differ by summation order in BLAS
TOLERANCE = {"scalar": 1e-9, "elementwise": 1e-9, "hessian": 1e-9, "mlp": 1e-3, "matmul": 1e-3}

TITLES = {
    "scalar": f"scalar graph, {OPS['scalar']} ops on float64 scalars (µs/op)",
    "elementwise": f"elementwise, {OPS['elementwise']} ops on (8,) float64 (µs/op)",
    "mlp": "MLP 784-256-256-10 train step, batch 128, float32 (ms)",
    "matmul": f"gradient of sum(tanh(A @ B)), A, B {MATMUL_N}² float32 (ms)",
    "hessian": "full 100x100 Hessian of Σ logsumexp(M x) + ½ x·x, float64 (ms)",
}


def numpy_like_graphs(xp):
    """``(scalar_graph, elementwise_graph)`` written once against a NumPy-like namespace
    ``xp`` (``chainrule.numpy``, ``autograd.numpy``, ``jax.numpy``), so that the libraries
    with NumPy's names run literally the same graph."""

    def scalar_graph(a, b):
        x, y = a, b
        for _ in range(SCALAR_ROUNDS):
            m = x * y
            s = m + b
            x = xp.tanh(s)
            p = x**2
            e = xp.exp(p)
            y = e * a
        return x + y

    def elementwise_graph(x, y):
        h = x
        for _ in range(ELEMENTWISE_ROUNDS):
            h = h * y
            h = xp.sin(h)
            h = h + x
            h = xp.exp(h)
        return xp.sum(h)

    return scalar_graph, elementwise_graph


def make_data(workload: str) -> dict:
    """Fresh inputs for one workload (NumPy arrays and floats; callers may not mutate them)."""
    if workload == "scalar":
        return {"a": 0.5, "b": -0.3}
    if workload == "elementwise":
        rng = np.random.default_rng(1)
        return {"x": rng.uniform(-1, 1, 8), "y": rng.uniform(-1, 1, 8)}
    if workload == "mlp":
        rng = np.random.default_rng(2)
        params = []
        for fan_in, fan_out in zip(MLP_SIZES[:-1], MLP_SIZES[1:]):
            # He initialisation, weights stored (out, in) as torch.nn.Linear does
            w = rng.standard_normal((fan_out, fan_in)) * np.sqrt(2.0 / fan_in)
            params += [w.astype(np.float32), np.zeros(fan_out, np.float32)]
        x = rng.standard_normal((MLP_BATCH, MLP_SIZES[0])).astype(np.float32)
        labels = rng.integers(0, MLP_SIZES[-1], MLP_BATCH)
        return {"params": params, "x": x, "labels": labels}
    if workload in ("matmul", "matmul_raw"):
        rng = np.random.default_rng(3)
        shape = (MATMUL_N, MATMUL_N)
        a = rng.standard_normal(shape).astype(np.float32)
        return {"a": a, "b": rng.standard_normal(shape).astype(np.float32)}
    if workload == "hessian":
        rng = np.random.default_rng(4)
        return {"m": rng.standard_normal(HESSIAN_SHAPE), "x": rng.standard_normal(100)}
    raise ValueError(f"unknown workload {workload!r}; expected one of {WORKLOADS}")


def check(workload: str, got, want) -> float:
    """Largest error of ``got`` against the hand-written NumPy gradients ``want``, relative
    to the largest reference value of each array; raises if it exceeds the tolerance."""
    got, want = list(got), list(want)
    if len(got) != len(want):
        raise AssertionError(f"{workload}: {len(got)} gradients, expected {len(want)}")
    worst = 0.0
    for k, (g, w) in enumerate(zip(got, want)):
        g, w = np.asarray(g, dtype=np.float64), np.asarray(w, dtype=np.float64)
        if g.shape != w.shape:
            raise AssertionError(
                f"{workload}: gradient {k} has shape {g.shape}, expected {w.shape}"
            )
        err = float(np.max(np.abs(g - w)) / max(float(np.max(np.abs(w))), 1e-300))
        if not err <= TOLERANCE[workload]:  # also catches NaN
            raise AssertionError(
                f"{workload}: gradient {k} differs from hand-written NumPy by {err:.2e} "
                f"(relative), more than {TOLERANCE[workload]:.0e}"
            )
        worst = max(worst, err)
    return worst
