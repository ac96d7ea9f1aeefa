"""Per-op overhead on small work: µs per elementwise op on an (8,) array, forward +
backward, for chainrule (Tensor and functional ``grad``), raw NumPy (forward and a
hand-written backward), and PyTorch and HIPS autograd when installed. One run, ratios to
raw NumPy. Run: ``python benchmarks/bench_overhead.py``."""

from __future__ import annotations

import timeit

import numpy as np

import chainrule as cr
import chainrule.numpy as cnp

N_OPS = 100  # length of the chain y = sin(y)
REPEAT = 5


def _chain_numpy():
    x = np.linspace(0.1, 0.8, 8)
    # forward, keeping what the backward needs, then the backward by hand
    ys = [x]
    y = x
    for _ in range(N_OPS):
        y = np.sin(y)
        ys.append(y)
    g = np.ones_like(y)
    for k in range(N_OPS, 0, -1):
        g = g * np.cos(ys[k - 1])
    return g


def _chain_tensor():
    x = cr.tensor(np.linspace(0.1, 0.8, 8), requires_grad=True)
    y = x
    for _ in range(N_OPS):
        y = cnp.sin(y)
    y.backward(gradient=np.ones(8))
    return x.grad


def _chain_functional():
    def f(x):
        for _ in range(N_OPS):
            x = cnp.sin(x)
        return cnp.sum(x)

    return cr.grad(f)(np.linspace(0.1, 0.8, 8))


def _chain_torch():
    import torch

    x = torch.linspace(0.1, 0.8, 8, dtype=torch.float64, requires_grad=True)
    y = x
    for _ in range(N_OPS):
        y = torch.sin(y)
    y.backward(torch.ones(8, dtype=torch.float64))
    return x.grad


def _chain_autograd():
    import autograd.numpy as anp
    from autograd import grad

    def f(x):
        for _ in range(N_OPS):
            x = anp.sin(x)
        return anp.sum(x)

    return grad(f)(np.linspace(0.1, 0.8, 8))


def _time_interleaved(impls, number=50, rounds=REPEAT * 3):
    """Best time of each implementation, measured in alternation so that a burst of
    machine noise hits all of them alike. Returns µs per op (forward + backward)."""
    best = {name: float("inf") for name, _ in impls}
    for _, fn in impls:
        fn()  # warm up
    for _ in range(rounds):
        for name, fn in impls:
            t = timeit.timeit(fn, number=number) / number
            best[name] = min(best[name], t)
    return [(name, best[name] / N_OPS * 1e6) for name, _ in impls]


def main() -> None:
    impls = [
        ("raw NumPy (fwd + hand-written bwd)", _chain_numpy),
        ("chainrule Tensor .backward()", _chain_tensor),
        ("chainrule grad()", _chain_functional),
    ]
    try:
        import torch

        torch.set_num_threads(1)
        impls.append((f"PyTorch {torch.__version__} CPU (1 thread)", _chain_torch))
    except ImportError:
        pass
    try:
        from importlib.metadata import version

        import autograd  # noqa: F401

        impls.append((f"HIPS autograd {version('autograd')} grad()", _chain_autograd))
    except ImportError:
        pass
    rows = _time_interleaved(impls)
    base = rows[0][1]
    print(f"Per-op overhead: sin on an (8,) float64 array, forward + backward, {N_OPS}-op chain")
    print(f"{'implementation':40s} {'µs/op':>8s} {'x NumPy':>8s}")
    for name, us in rows:
        print(f"{name:40s} {us:8.2f} {us / base:8.2f}")


if __name__ == "__main__":
    main()
