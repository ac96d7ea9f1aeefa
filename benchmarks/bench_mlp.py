"""Training-step time of an MLP 784-256-256-10 (ReLU, cross-entropy, SGD), batch 128,
float32: chainrule's ``nn`` + ``optim`` against the same network written by hand in
NumPy (forward, backward and update), and PyTorch on the CPU when it is installed.

All variants run in this one process, on the same data and thread settings, so their
ratios are comparable; the absolute times depend on the machine and its BLAS.
Run: ``python benchmarks/bench_mlp.py [--steps N] [--repeat R] [--threads T]``
(one BLAS thread by default).
The table reports the median step time of R rounds of N steps each.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time


def _parse():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--steps", type=int, default=30, help="steps per round (default 30)")
    p.add_argument("--repeat", type=int, default=7, help="rounds; the median is reported")
    p.add_argument("--batch", type=int, default=128)
    p.add_argument(
        "--threads",
        type=int,
        default=1,
        help="BLAS/PyTorch threads (default 1, steady on a shared machine; 0 leaves the "
        "libraries' defaults)",
    )
    return p.parse_args()


ARGS = _parse() if __name__ == "__main__" else None
if ARGS is not None and ARGS.threads:
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(ARGS.threads)

import numpy as np  # noqa: E402  (after the thread settings)

import chainrule as cr  # noqa: E402
from chainrule import nn, optim  # noqa: E402
from chainrule.nn import functional as F  # noqa: E402

SIZES = (784, 256, 256, 10)
LR = 0.01


def _init(rng):
    """PyTorch-style uniform init, (out, in) weights, float32."""
    params = []
    for fan_in, fan_out in zip(SIZES[:-1], SIZES[1:], strict=True):
        bound = 1.0 / np.sqrt(fan_in)
        w = rng.uniform(-bound, bound, (fan_out, fan_in)).astype(np.float32)
        b = rng.uniform(-bound, bound, fan_out).astype(np.float32)
        params += [w, b]
    return params


# -- hand-written NumPy ---------------------------------------------------------------------
def numpy_step(params, x, y_onehot):
    w1, b1, w2, b2, w3, b3 = params
    n = x.shape[0]
    z1 = x @ w1.T + b1
    h1 = np.maximum(z1, 0)
    z2 = h1 @ w2.T + b2
    h2 = np.maximum(z2, 0)
    logits = h2 @ w3.T + b3
    shifted = logits - logits.max(axis=1, keepdims=True)
    logp = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -(logp * y_onehot).sum() / n
    # backward
    g = (np.exp(logp) - y_onehot) / n
    gw3, gb3 = g.T @ h2, g.sum(0)
    g = (g @ w3) * (z2 > 0)
    gw2, gb2 = g.T @ h1, g.sum(0)
    g = (g @ w2) * (z1 > 0)
    gw1, gb1 = g.T @ x, g.sum(0)
    for p, gp in zip(params, (gw1, gb1, gw2, gb2, gw3, gb3), strict=True):
        p -= LR * gp
    return loss


# -- chainrule -------------------------------------------------------------------------------
def make_chainrule(params):
    model = nn.Sequential(
        nn.Linear(784, 256, dtype=np.float32),
        nn.ReLU(),
        nn.Linear(256, 256, dtype=np.float32),
        nn.ReLU(),
        nn.Linear(256, 10, dtype=np.float32),
    )
    keys = ["0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"]
    model.load_state_dict(dict(zip(keys, (p.copy() for p in params), strict=True)))
    opt = optim.SGD(model.parameters(), lr=LR)

    def step(x, y):
        loss = F.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss

    return step


# -- PyTorch ---------------------------------------------------------------------------------
def make_torch(params, threads):
    import torch

    if threads:
        torch.set_num_threads(threads)
    model = torch.nn.Sequential(
        torch.nn.Linear(784, 256),
        torch.nn.ReLU(),
        torch.nn.Linear(256, 256),
        torch.nn.ReLU(),
        torch.nn.Linear(256, 10),
    )
    keys = ["0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"]
    model.load_state_dict({k: torch.tensor(p.copy()) for k, p in zip(keys, params, strict=True)})
    opt = torch.optim.SGD(model.parameters(), lr=LR)

    def step(x, y):
        loss = torch.nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss

    return step, torch


def _time_all(fns: dict, steps: int, repeat: int) -> dict:
    """Median seconds per step for each function. Rounds are interleaved (A, B, C, A,
    B, C, ...) so that a busy machine slows every implementation alike."""
    for fn in fns.values():
        fn()  # warm up
    rounds = {name: [] for name in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            t0 = time.perf_counter()
            for _ in range(steps):
                fn()
            rounds[name].append((time.perf_counter() - t0) / steps)
    return {name: statistics.median(r) for name, r in rounds.items()}


def main() -> int:
    args = ARGS or _parse()
    rng = np.random.default_rng(0)
    params = _init(rng)
    x = rng.random((args.batch, 784)).astype(np.float32)
    y = rng.integers(0, 10, args.batch)
    onehot = np.eye(10, dtype=np.float32)[y]

    np_params = [p.copy() for p in params]
    fns = {"NumPy, hand-written backward": lambda: numpy_step(np_params, x, onehot)}
    cr_step = make_chainrule(params)
    xc, yc = cr.from_numpy(x), cr.from_numpy(y)
    fns["chainrule nn + optim"] = lambda: cr_step(xc, yc)
    try:
        torch_step, torch = make_torch(params, args.threads)
    except ImportError:
        torch_step = None
    if torch_step is not None:
        xt, yt = torch.from_numpy(x), torch.from_numpy(y)
        fns["PyTorch CPU"] = lambda: torch_step(xt, yt)
    results = list(_time_all(fns, args.steps, args.repeat).items())

    base = results[0][1]
    print(
        f"MLP 784-256-256-10, batch {args.batch}, float32, SGD train step "
        f"(median of {args.repeat} x {args.steps} steps)"
    )
    print(
        f"Python {platform.python_version()}, NumPy {np.__version__}, {platform.machine()}, "
        f"{os.cpu_count()} CPUs, threads={args.threads or 'default'}"
    )
    print(f"{'implementation':<32}{'ms/step':>10}{'vs NumPy':>10}")
    for name, t in results:
        print(f"{name:<32}{t * 1e3:>10.3f}{t / base:>9.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
