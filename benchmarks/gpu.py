"""chainrule on a GPU through CuPy: the rule table's sweep against NumPy's values, then
the time of an MLP training step (functional, and with the Tensor API: an
``nn.Sequential`` moved with ``.to("cuda")``, ``device=`` inputs, SGD) and of a
big-matmul gradient against PyTorch CUDA on the same GPU.

Needs an NVIDIA GPU, CuPy (``pip install "chainrule[gpu]"``) and, for the timings,
PyTorch built for CUDA. Run from the repository root (the sweep reads the test
specs): ``python benchmarks/gpu.py [--skip-sweep] [--repeat R]``.
``--check-on-cpu`` runs every part with NumPy standing in for CuPy and PyTorch on
the CPU (tiny sizes, no meaningful timings): it only checks that the script works.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import chainrule as cr  # noqa: E402
import chainrule.numpy as cnp  # noqa: E402
from chainrule.core.reverse import ReverseTrace, RootNode, backward_pass  # noqa: E402
from chainrule.core.trace import Box, new_trace, unbox_all  # noqa: E402
from chainrule.functional.pytree import tree_flatten  # noqa: E402


class _Device:
    """The array library under test (CuPy, or NumPy for --check-on-cpu)."""

    def __init__(self, check_on_cpu: bool):
        if check_on_cpu:
            self.xp, self.name, self.torch_device = np, "numpy (check only)", "cpu"
            self.to_host, self.sync = np.asarray, lambda: None
            return
        try:
            import cupy
        except ImportError:
            sys.exit('benchmarks/gpu.py needs CuPy: pip install "chainrule[gpu]"')
        try:
            count = cupy.cuda.runtime.getDeviceCount()
        except cupy.cuda.runtime.CUDARuntimeError as err:
            sys.exit(f"benchmarks/gpu.py: no usable CUDA GPU ({err})")
        if count == 0:
            sys.exit("benchmarks/gpu.py: no CUDA GPU found")
        props = cupy.cuda.runtime.getDeviceProperties(0)
        self.xp, self.name, self.torch_device = cupy, props["name"].decode(), "cuda"
        self.to_host, self.sync = cupy.asnumpy, cupy.cuda.Device(0).synchronize


# -- the sweep ------------------------------------------------------------------------------
def _device_vjp(fun, args, xp):
    """Values and input cotangents of ``fun`` at ``args``, by the core's reverse mode."""
    with new_trace(ReverseTrace) as trace:
        inputs = [trace.new_input(a) for a in args]
        outs = tree_flatten(fun(*inputs))[0]
    mine = [o for o in outs if isinstance(o, Box) and o._trace is trace]
    found = {}
    seeds = [xp.ones_like(o._value) for o in mine]
    if mine:
        root = RootNode([o._node for o in mine])
        backward_pass(root, seeds, visit=lambda n, ct: found.setdefault(n, ct))
    return [unbox_all(o) for o in outs], [found.get(i._node) for i in inputs]


def _close(got, want, to_host) -> bool:
    if (got is None) != (want is None):
        return False
    if got is None:
        return True
    got = to_host(got) if not isinstance(got, float | int | np.generic) else got
    return np.allclose(got, want, rtol=1e-9, atol=1e-11, equal_nan=True)


def sweep(dev: _Device) -> int:
    """Every sweep entry on the device against NumPy: forward values and VJPs."""
    from tests.primitives.test_sweep import SPECS, _args

    failures = []
    for spec in SPECS:
        args = _args(spec)
        try:
            want_out, want_ct = _device_vjp(spec.fun, args, np)
            got_out, got_ct = _device_vjp(spec.fun, [dev.xp.asarray(a) for a in args], dev.xp)
            pairs = list(zip(got_out, want_out)) + list(zip(got_ct, want_ct))
            bad = [i for i, (g, w) in enumerate(pairs) if not _close(g, w, dev.to_host)]
            if bad:
                failures.append(f"{spec.name}: values differ (outputs, then cotangents: {bad})")
        except Exception as err:  # noqa: BLE001 - every entry is reported, not the first
            failures.append(f"{spec.name}: {type(err).__name__}: {str(err)[:120]}")
    print(f"sweep on {dev.name}: {len(SPECS) - len(failures)}/{len(SPECS)} entries agree")
    for line in failures:
        print("  ", line)
    return len(failures)


# -- timings ----------------------------------------------------------------------------------
def _median_time(step, sync, repeat, number):
    step()
    sync()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(number):
            step()
        sync()
        times.append((time.perf_counter() - t0) / number)
    return statistics.median(times)


def _mlp_loss(params, x, onehot):
    h = x
    for i, (w, b) in enumerate(params):
        h = cnp.matmul(h, w) + b
        if i < len(params) - 1:
            h = cnp.maximum(h, 0.0)
    z = h - cnp.max(h, axis=1, keepdims=True)
    logp = z - cnp.log(cnp.sum(cnp.exp(z), axis=1, keepdims=True))
    return -cnp.sum(logp * onehot) / x.shape[0]


def _mlp_data(sizes, batch, xp):
    rng = np.random.default_rng(0)
    params = [
        ((rng.standard_normal((m, n)) / np.sqrt(m)).astype(np.float32), np.zeros(n, np.float32))
        for m, n in zip(sizes[:-1], sizes[1:])
    ]
    x = rng.standard_normal((batch, sizes[0])).astype(np.float32)
    onehot = np.eye(sizes[-1], dtype=np.float32)[rng.integers(0, sizes[-1], batch)]
    to = xp.asarray
    return [(to(w), to(b)) for w, b in params], to(x), to(onehot)


def time_mlp(dev, torch, sizes, batch, repeat, number):
    params, x, onehot = _mlp_data(sizes, batch, dev.xp)
    grad_fn = cr.grad(_mlp_loss)

    def step():
        nonlocal params
        grads = grad_fn(params, x, onehot)
        params = [(w - 0.01 * gw, b - 0.01 * gb) for (w, b), (gw, gb) in zip(params, grads)]

    ours = _median_time(step, dev.sync, repeat, number)
    host = _mlp_data(sizes, batch, np)
    tp = [
        tuple(torch.tensor(v, device=dev.torch_device, requires_grad=True) for v in pair)
        for pair in host[0]
    ]
    tx, tt = (torch.tensor(v, device=dev.torch_device) for v in host[1:])

    def torch_step():
        h = tx
        for i, (w, b) in enumerate(tp):
            h = h @ w + b
            h = torch.relu(h) if i < len(tp) - 1 else h
        loss = -(torch.log_softmax(h, dim=1) * tt).sum() / tx.shape[0]
        grads = torch.autograd.grad(loss, [v for pair in tp for v in pair])
        with torch.no_grad():
            for v, g in zip([v for pair in tp for v in pair], grads):
                v -= 0.01 * g

    return ours, _median_time(torch_step, _torch_sync(torch, dev), repeat, number)


def _mlp_module(nn, sizes):
    layers = []
    for m, n in zip(sizes[:-1], sizes[1:]):
        layers += [nn.Linear(m, n), nn.ReLU()]
    return nn.Sequential(*layers[:-1])


def time_nn(dev, torch, sizes, batch, repeat, number):
    """One SGD step of an nn MLP on the device, written the same way for both libraries
    (``model.to(device)``, ``tensor(..., device=)``), so chainrule's Tensor world runs
    on CuPy there."""
    _, x, onehot = _mlp_data(sizes, batch, np)

    def stepper(lib):
        model = _mlp_module(lib.nn, sizes).to(dev.torch_device)
        opt = lib.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
        tx, tt = (lib.tensor(v, device=dev.torch_device) for v in (x, onehot))

        def step():
            opt.zero_grad()
            ((model(tx) - tt) ** 2).mean().backward()
            opt.step()

        return step

    ours = _median_time(stepper(cr), dev.sync, repeat, number)
    return ours, _median_time(stepper(torch), _torch_sync(torch, dev), repeat, number)


def time_matmul(dev, torch, n, repeat, number):
    rng = np.random.default_rng(1)
    a, b = ((rng.standard_normal((n, n)) / np.sqrt(n)).astype(np.float32) for _ in range(2))
    grad_fn = cr.grad(lambda a, b: cnp.sum(cnp.tanh(cnp.matmul(a, b))), argnums=(0, 1))
    da, db = dev.xp.asarray(a), dev.xp.asarray(b)
    ours = _median_time(lambda: grad_fn(da, db), dev.sync, repeat, number)
    ta, tb = (torch.tensor(v, device=dev.torch_device, requires_grad=True) for v in (a, b))

    def torch_step():
        torch.autograd.grad(torch.tanh(ta @ tb).sum(), [ta, tb])

    return ours, _median_time(torch_step, _torch_sync(torch, dev), repeat, number)


def _torch_sync(torch, dev):
    return torch.cuda.synchronize if dev.torch_device == "cuda" else (lambda: None)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--check-on-cpu", action="store_true", help="NumPy for CuPy, tiny sizes")
    p.add_argument("--skip-sweep", action="store_true")
    p.add_argument("--repeat", type=int, default=7, help="rounds; the median is reported")
    args = p.parse_args()
    dev = _Device(args.check_on_cpu)
    failed = 0 if args.skip_sweep else sweep(dev)
    try:
        import torch
    except ImportError:
        print("PyTorch is not installed: no timings")
        return 1 if failed else 0
    if dev.torch_device == "cuda" and not torch.cuda.is_available():
        sys.exit("benchmarks/gpu.py: this PyTorch has no CUDA; install a CUDA build")
    small = args.check_on_cpu
    sizes, batch = ((20, 16, 16, 10), 8) if small else ((784, 256, 256, 10), 128)
    n = 64 if small else 4096
    repeat, number = (2, 2) if small else (args.repeat, 20)
    rows = [
        (
            f"MLP {'-'.join(map(str, sizes))} step, batch {batch}, float32",
            *time_mlp(dev, torch, sizes, batch, repeat, number),
        ),
        (
            f"nn MLP + SGD step (Tensor API, device={dev.torch_device!r})",
            *time_nn(dev, torch, sizes, batch, repeat, number),
        ),
        (f"grad of sum(tanh(A @ B)), {n}x{n} float32", *time_matmul(dev, torch, n, repeat, number)),
    ]
    print(f"\ntimings on {dev.name} (median of {repeat} rounds of {number})")
    print(f"{'workload':48s} {'chainrule ms':>13s} {'PyTorch ms':>11s} {'ratio':>6s}")
    for name, ours, theirs in rows:
        print(f"{name:48s} {ours * 1e3:13.3f} {theirs * 1e3:11.3f} {ours / theirs:6.2f}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
