"""Per-example gradients, the everyday use of ``vmap``: the gradient of a small MLP's
loss for each of 64 examples, as a Python loop over ``grad``, as ``vmap(grad)``, and as
PyTorch's ``torch.func.vmap(grad)`` when installed. All results are checked against the
loop before timing. One run, best of interleaved rounds, ratios to the loop.
Run: ``python benchmarks/bench_vmap.py``."""

from __future__ import annotations

import timeit

import numpy as np

import chainrule as cr
import chainrule.numpy as cnp

BATCH, SIZES = 64, (32, 16)
ROUNDS = 7


def _data():
    rng = np.random.default_rng(0)
    w1 = rng.standard_normal((SIZES[0], SIZES[1])) / np.sqrt(SIZES[0])
    w2 = rng.standard_normal(SIZES[1]) / np.sqrt(SIZES[1])
    return (w1, w2), rng.standard_normal((BATCH, SIZES[0])), rng.standard_normal(BATCH)


def loss(params, x, y):
    w1, w2 = params
    return (cnp.tanh(x @ w1) @ w2 - y) ** 2


def _loop(params, xs, ys):
    g = cr.grad(loss)
    grads = [g(params, x, y) for x, y in zip(xs, ys)]
    return np.stack([a for a, _ in grads]), np.stack([b for _, b in grads])


def _vmapped(params, xs, ys):
    return cr.vmap(cr.grad(loss), in_axes=(None, 0, 0))(params, xs, ys)


def _torch_impl():
    import torch
    from torch.func import grad, vmap

    torch.set_num_threads(1)

    def t_loss(params, x, y):
        w1, w2 = params
        return (torch.tanh(x @ w1) @ w2 - y) ** 2

    per_example = vmap(grad(t_loss), in_dims=(None, 0, 0))

    def run(params, xs, ys):
        tp = tuple(torch.from_numpy(p) for p in params)
        out = per_example(tp, torch.from_numpy(xs), torch.from_numpy(ys))
        return tuple(o.numpy() for o in out)

    return f"PyTorch {torch.__version__} torch.func.vmap(grad)", run


def main() -> None:
    params, xs, ys = _data()
    impls = [("chainrule: loop over grad", _loop), ("chainrule: vmap(grad)", _vmapped)]
    try:
        impls.append(_torch_impl())
    except ImportError:
        pass
    want = _loop(params, xs, ys)
    for name, fn in impls:
        for g, w in zip(fn(params, xs, ys), want):
            np.testing.assert_allclose(g, w, rtol=1e-10, atol=1e-12, err_msg=name)
    best = {name: float("inf") for name, _ in impls}
    for _ in range(ROUNDS):  # interleaved, so that machine noise hits all alike
        for name, fn in impls:
            t = timeit.timeit(lambda fn=fn: fn(params, xs, ys), number=5) / 5
            best[name] = min(best[name], t)
    base = best[impls[0][0]]
    print(f"Per-example gradients: MLP {SIZES[0]}-{SIZES[1]}-1, {BATCH} examples, float64")
    print(f"{'implementation':44s} {'ms':>8s} {'x loop':>8s}")
    for name, t in best.items():
        print(f"{name:44s} {t * 1e3:8.2f} {t / base:8.2f}")


if __name__ == "__main__":
    main()
