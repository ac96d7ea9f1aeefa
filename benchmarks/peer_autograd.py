"""HIPS autograd on the peer workloads (``grad``, ``hessian``); the MLP is written
functionally and updated with a list of new arrays each step."""

from __future__ import annotations

import warnings
from importlib.metadata import version

import autograd
import autograd.numpy as anp
import numpy as np
from autograd.scipy.special import logsumexp
from peer_workloads import MLP_LR, numpy_like_graphs

# autograd's tanh VJP is g / cosh(x)², which overflows to g / inf = 0 (the right limit)
# for the large pre-activations of the matmul workload; the warning is noise here.
warnings.filterwarnings("ignore", "overflow encountered", RuntimeWarning, "autograd")


def versions() -> dict:
    return {"autograd": version("autograd")}


def to_numpy(value):
    return np.asarray(value)


scalar_graph, elementwise_graph = numpy_like_graphs(anp)


def mlp_loss(params, x, labels):
    w1, b1, w2, b2, w3, b3 = params
    h = anp.maximum(x @ w1.T + b1, 0)
    h = anp.maximum(h @ w2.T + b2, 0)
    logits = h @ w3.T + b3
    logp = logits - logsumexp(logits, axis=1, keepdims=True)
    return -anp.mean(logp[np.arange(len(labels)), labels])


def _grad(graph, *names):
    def factory(data):
        args = [data[n] for n in names]
        g = autograd.grad(lambda *a: graph(*a), list(range(len(args))))
        return lambda: g(*args)

    return factory


def mlp(data):
    state = {"params": [p.copy() for p in data["params"]]}
    x, labels = data["x"], data["labels"]
    g = autograd.grad(mlp_loss)

    def run():
        grads = g(state["params"], x, labels)
        state["params"] = [p - MLP_LR * gp for p, gp in zip(state["params"], grads)]
        return grads

    return run


def hessian(data):
    m, x = data["m"], data["x"]
    h = autograd.hessian(lambda x: anp.sum(logsumexp(m * x, axis=1)) + 0.5 * anp.dot(x, x))
    return lambda: (h(x),)


IMPLS = {
    f"autograd {version('autograd')}": {
        "scalar": _grad(scalar_graph, "a", "b"),
        "elementwise": _grad(elementwise_graph, "x", "y"),
        "mlp": mlp,
        "matmul": _grad(lambda a, b: anp.sum(anp.tanh(a @ b)), "a", "b"),
        "hessian": hessian,
    }
}
