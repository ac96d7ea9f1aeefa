"""Hand-written NumPy: each workload's forward pass with its backward pass derived by hand.

These are the references of the peer benchmark: every library's gradients are checked
against them before it is timed, and every time is reported as a ratio to them. A factory
takes the workload's data and returns a function doing one forward + backward (for the
MLP one training step) and returning the gradients.
"""

from __future__ import annotations

import numpy as np
from peer_workloads import ELEMENTWISE_ROUNDS, MLP_LR, SCALAR_ROUNDS

NAME = "NumPy, hand-written"


def versions() -> dict:
    return {"numpy": np.__version__}


def scalar(data):
    a0, b0 = np.float64(data["a"]), np.float64(data["b"])

    def run():
        a, b = a0, b0
        x, y, tape = a, b, []
        for _ in range(SCALAR_ROUNDS):
            s = x * y + b
            x_new = np.tanh(s)
            e = np.exp(x_new**2)
            tape.append((x, y, x_new, e))
            x, y = x_new, e * a
        gx, gy, ga, gb = 1.0, 1.0, 0.0, 0.0
        for x, y, x_new, e in reversed(tape):
            ga += gy * e  # y_new = e a
            gp = gy * a * e  # e = exp(p)
            gs = (gx + gp * 2 * x_new) * (1 - x_new * x_new)  # p = x_new², x_new = tanh(s)
            gb += gs  # s = x y + b
            gx, gy = gs * y, gs * x
        return ga + gx, gb + gy

    return run


def elementwise(data):
    x, y = data["x"], data["y"]

    def run():
        h, tape = x, []
        for _ in range(ELEMENTWISE_ROUNDS):
            u = h * y
            h_new = np.exp(np.sin(u) + x)
            tape.append((h, u, h_new))
            h = h_new
        gh, gx, gy = np.ones_like(x), np.zeros_like(x), np.zeros_like(y)
        for h, u, h_new in reversed(tape):
            gw = gh * h_new  # h_new = exp(w)
            gx += gw  # w = sin(u) + x
            gu = gw * np.cos(u)
            gy += gu * h  # u = h y
            gh = gu * y
        return gx + gh, gy

    return run


def mlp(data):
    params = [p.copy() for p in data["params"]]
    x, labels = data["x"], data["labels"]
    n = x.shape[0]
    onehot = np.eye(params[-1].shape[0], dtype=np.float32)[labels]

    def run():
        w1, b1, w2, b2, w3, b3 = params
        z1 = x @ w1.T + b1
        h1 = np.maximum(z1, 0)
        z2 = h1 @ w2.T + b2
        h2 = np.maximum(z2, 0)
        logits = h2 @ w3.T + b3
        shifted = logits - logits.max(axis=1, keepdims=True)
        logp = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        _loss = -(logp * onehot).sum() / n
        g = (np.exp(logp) - onehot) / np.float32(n)
        gw3, gb3 = g.T @ h2, g.sum(0)
        g = (g @ w3) * (z2 > 0)
        gw2, gb2 = g.T @ h1, g.sum(0)
        g = (g @ w2) * (z1 > 0)
        gw1, gb1 = g.T @ x, g.sum(0)
        grads = (gw1, gb1, gw2, gb2, gw3, gb3)
        for p, gp in zip(params, grads):
            p -= np.float32(MLP_LR) * gp
        return grads

    return run


def matmul(data):
    a, b = data["a"], data["b"]

    def run():
        t = np.tanh(a @ b)
        g = 1 - t * t
        return g @ b.T, a.T @ g

    return run


def matmul_raw(data):
    """Forward product only: the GFLOP/s the gradient's three products are held to."""
    a, b = data["a"], data["b"]
    return lambda: (a @ b,)


def hessian(data):
    m, x = data["m"], data["x"]

    def run():
        # f = Σ_i lse_j(M_ij x_j) + ½ x·x; with P = softmax over j of M x:
        # H = diag(Σ_i P_ij M_ij²) - (P∘M)ᵀ(P∘M) + I
        z = m * x
        p = np.exp(z - z.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        pm = p * m
        h = -(pm.T @ pm)
        h[np.diag_indices_from(h)] += (pm * m).sum(axis=0) + 1.0
        return (h,)

    return run


IMPLS = {
    NAME: {
        "scalar": scalar,
        "elementwise": elementwise,
        "mlp": mlp,
        "matmul": matmul,
        "matmul_raw": matmul_raw,
        "hessian": hessian,
    }
}
