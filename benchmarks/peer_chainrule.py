"""chainrule's three front doors on the peer workloads: the functional transforms
(``grad``, ``hessian``), the ``Tensor`` with ``.backward()``, and ``nn`` + ``optim`` (MLP only).

Factories take the workload's NumPy data and return a function doing one forward +
backward (for the MLP one training step) that returns the gradients.
"""

from __future__ import annotations

import numpy as np
from peer_workloads import MLP_LR, numpy_like_graphs

import chainrule as cr
import chainrule.numpy as cnp
from chainrule import nn, optim
from chainrule.nn import functional as F
from chainrule.scipy.special import logsumexp


def versions() -> dict:
    from importlib.metadata import version

    return {"chainrule": version("chainrule")}


def to_numpy(value):
    return value.numpy() if isinstance(value, cr.Tensor) else np.asarray(value)


# -- the graphs, written once for plain values and tensors alike ----------------------------
scalar_graph, elementwise_graph = numpy_like_graphs(cnp)


def mlp_loss(params, x, labels):
    w1, b1, w2, b2, w3, b3 = params
    h = cnp.maximum(x @ w1.T + b1, 0)
    h = cnp.maximum(h @ w2.T + b2, 0)
    logits = h @ w3.T + b3
    logp = logits - logsumexp(logits, axis=1, keepdims=True)
    return -cnp.mean(logp[np.arange(len(labels)), labels])


def matmul_graph(a, b):
    return cnp.sum(cnp.tanh(a @ b))


def hessian_f(m):
    return lambda x: cnp.sum(logsumexp(m * x, axis=1)) + 0.5 * cnp.dot(x, x)


# -- functional ------------------------------------------------------------------------------
def _functional(graph, *names):
    def factory(data):
        args = [data[n] for n in names]
        g = cr.grad(graph, argnums=tuple(range(len(args))))
        return lambda: g(*args)

    return factory


def functional_mlp(data):
    state = {"params": [p.copy() for p in data["params"]]}
    x, labels = data["x"], data["labels"]
    g = cr.grad(mlp_loss)

    def run():
        grads = g(state["params"], x, labels)
        state["params"] = [p - MLP_LR * gp for p, gp in zip(state["params"], grads)]
        return grads

    return run


def functional_hessian(data):
    h = cr.hessian(hessian_f(data["m"]))
    x = data["x"]
    return lambda: (h(x),)


# -- jit: the same gradients, traced once and replayed as generated code -----------------------
def _jitted(graph, *names):
    def factory(data):
        args = [data[n] for n in names]
        g = cr.jit(cr.grad(graph, argnums=tuple(range(len(args)))))
        return lambda: g(*args)

    return factory


def jit_mlp(data):
    state = {"params": [p.copy() for p in data["params"]]}
    x, labels = data["x"], data["labels"]

    @cr.jit
    def step(params, x, labels):
        grads = cr.grad(mlp_loss)(params, x, labels)
        return [p - MLP_LR * gp for p, gp in zip(params, grads)], grads

    def run():
        state["params"], grads = step(state["params"], x, labels)
        return grads

    return run


def jit_hessian(data):
    h = cr.jit(cr.hessian(hessian_f(data["m"])))
    x = data["x"]
    return lambda: (h(x),)


# -- Tensor ----------------------------------------------------------------------------------
def _tensor(graph, *names):
    def factory(data):
        def run():
            leaves = [cr.tensor(np.asarray(data[n]), requires_grad=True) for n in names]
            graph(*leaves).backward()
            return tuple(t.grad for t in leaves)

        return run

    return factory


def tensor_matmul(data):
    leaves = [cr.tensor(data[n], requires_grad=True) for n in ("a", "b")]

    def run():
        for t in leaves:
            t.grad = None
        matmul_graph(*leaves).backward()
        return tuple(t.grad for t in leaves)

    return run


def tensor_mlp(data):
    params = [cr.tensor(p, requires_grad=True) for p in data["params"]]
    x, labels = cr.from_numpy(data["x"]), data["labels"]

    def run():
        for p in params:
            p.grad = None
        mlp_loss(params, x, labels).backward()
        with cr.no_grad():
            for p in params:
                p.add_(p.grad, alpha=-MLP_LR)
        return tuple(p.grad for p in params)

    return run


# -- nn + optim ------------------------------------------------------------------------------
def nn_mlp(data):
    sizes = [p.shape[1] for p in data["params"][::2]] + [data["params"][-1].shape[0]]
    layers = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        layers += [nn.Linear(fan_in, fan_out, dtype=np.float32), nn.ReLU()]
    model = nn.Sequential(*layers[:-1])
    keys = [k for k, _ in model.named_parameters()]
    model.load_state_dict(dict(zip(keys, (p.copy() for p in data["params"]))))
    opt = optim.SGD(model.parameters(), lr=MLP_LR)
    x, labels = cr.from_numpy(data["x"]), cr.from_numpy(data["labels"])

    def run():
        opt.zero_grad()
        F.cross_entropy(model(x), labels).backward()
        opt.step()
        return tuple(p.grad for p in model.parameters())

    return run


IMPLS = {
    "chainrule functional": {
        "scalar": _functional(scalar_graph, "a", "b"),
        "elementwise": _functional(elementwise_graph, "x", "y"),
        "mlp": functional_mlp,
        "matmul": _functional(matmul_graph, "a", "b"),
        "hessian": functional_hessian,
    },
    "chainrule jit": {
        "scalar": _jitted(scalar_graph, "a", "b"),
        "elementwise": _jitted(elementwise_graph, "x", "y"),
        "mlp": jit_mlp,
        "matmul": _jitted(matmul_graph, "a", "b"),
        "hessian": jit_hessian,
    },
    "chainrule Tensor": {
        "scalar": _tensor(scalar_graph, "a", "b"),
        "elementwise": _tensor(elementwise_graph, "x", "y"),
        "mlp": tensor_mlp,
        "matmul": tensor_matmul,
    },
    "chainrule nn + optim": {"mlp": nn_mlp},
}
