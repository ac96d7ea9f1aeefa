"""PyTorch (eager, CPU) on the peer workloads: autograd's ``.backward()``, ``torch.nn`` +
``torch.optim`` for the MLP and ``torch.func.hessian`` for the Hessian."""

from __future__ import annotations

import os

import numpy as np
import torch
from peer_workloads import ELEMENTWISE_ROUNDS, MLP_LR, SCALAR_ROUNDS

torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", "1")))


def versions() -> dict:
    return {"torch": torch.__version__}


def to_numpy(value):
    return value.detach().numpy() if isinstance(value, torch.Tensor) else np.asarray(value)


def scalar(data):
    def run():
        a = torch.tensor(data["a"], dtype=torch.float64, requires_grad=True)
        b = torch.tensor(data["b"], dtype=torch.float64, requires_grad=True)
        x, y = a, b
        for _ in range(SCALAR_ROUNDS):
            m = x * y
            s = m + b
            x = torch.tanh(s)
            p = x**2
            e = torch.exp(p)
            y = e * a
        (x + y).backward()
        return a.grad, b.grad

    return run


def elementwise(data):
    def run():
        x = torch.tensor(data["x"], requires_grad=True)
        y = torch.tensor(data["y"], requires_grad=True)
        h = x
        for _ in range(ELEMENTWISE_ROUNDS):
            h = h * y
            h = torch.sin(h)
            h = h + x
            h = torch.exp(h)
        torch.sum(h).backward()
        return x.grad, y.grad

    return run


def mlp(data):
    layers = []
    for w, _ in zip(data["params"][::2], data["params"][1::2]):
        layers += [torch.nn.Linear(w.shape[1], w.shape[0]), torch.nn.ReLU()]
    model = torch.nn.Sequential(*layers[:-1])
    with torch.no_grad():
        for p, value in zip(model.parameters(), data["params"]):
            p.copy_(torch.from_numpy(value))
    opt = torch.optim.SGD(model.parameters(), lr=MLP_LR)
    x, labels = torch.from_numpy(data["x"]), torch.from_numpy(data["labels"])

    def run():
        opt.zero_grad()
        torch.nn.functional.cross_entropy(model(x), labels).backward()
        opt.step()
        return tuple(p.grad for p in model.parameters())

    return run


def matmul(data):
    a = torch.from_numpy(data["a"]).requires_grad_()
    b = torch.from_numpy(data["b"]).requires_grad_()

    def run():
        a.grad = b.grad = None
        torch.sum(torch.tanh(a @ b)).backward()
        return a.grad, b.grad

    return run


def hessian(data):
    m, x = torch.from_numpy(data["m"]), torch.from_numpy(data["x"])

    def f(x):
        return torch.sum(torch.logsumexp(m * x, dim=1)) + 0.5 * torch.dot(x, x)

    h = torch.func.hessian(f)
    return lambda: (h(x),)


IMPLS = {
    f"PyTorch {torch.__version__}": {
        "scalar": scalar,
        "elementwise": elementwise,
        "mlp": mlp,
        "matmul": matmul,
        "hessian": hessian,
    }
}
