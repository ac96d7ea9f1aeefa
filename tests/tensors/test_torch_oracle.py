"""Gradients of composite functions against ``torch.autograd`` (float64), where PyTorch
is installed. PyTorch is a test oracle only, never a runtime dependency."""

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp
from chainrule.scipy import special

torch = pytest.importorskip("torch")


def _mlp(ns, W1, b1, W2, x):
    h = ns.tanh(x @ W1 + b1)
    return ns.sum(ns.log(1.0 + ns.exp(h @ W2)) * ns.sin(h @ W2))


def _norms(ns, A, B):
    m = A @ B.T
    return ns.sum(m**2) / (1.0 + ns.sqrt(ns.sum(A * A)))


def _softmax_ce(ns, logits, w):
    z = logits * w
    if ns is torch:
        lse = torch.logsumexp(z, dim=1, keepdim=True)
    else:
        lse = special.logsumexp(z, axis=1, keepdims=True)
    return -ns.mean((z - lse)[:, 0])


def _reductions(ns, X, y):
    if ns is torch:
        mx = torch.amax(X, dim=0)
        var = torch.var(X, dim=1, unbiased=False)
        cum = torch.cumsum(X, dim=1)
    else:
        mx = cnp.max(X, axis=0)
        var = cnp.var(X, axis=1)
        cum = cnp.cumsum(X, axis=1)
    return ns.sum(mx * y) + ns.sum(var) + ns.sum(cum**2) * 0.1


def _indexing(ns, X, y):
    idx = [0, 2, 2, 1]
    sub = X[idx]
    mask = y > 0
    return ns.sum(sub[:, 1:] ** 3) + ns.sum(ns.abs(y[mask])) + ns.sum(X[..., -1] * X[:, 1])


def _shape_ops(ns, A, B):
    if ns is torch:
        cat = torch.cat([A, B], dim=0)
        st = torch.stack([A, B], dim=-1)
    else:
        cat = cnp.concatenate([A, B], axis=0)
        st = cnp.stack([A, B], axis=-1)
    return (
        ns.sum(cat.reshape(-1)[::2] ** 2)
        + ns.sum(st.transpose(0, 1) * 0.5 if ns is torch else cnp.transpose(st, (1, 0, 2)) * 0.5)
        + ns.sum(ns.maximum(A, B) ** 2)
    )


CASES = [
    ("mlp", _mlp, [(5, 4), (4,), (4, 3), (2, 5)]),
    ("norms", _norms, [(3, 4), (2, 4)]),
    ("softmax_ce", _softmax_ce, [(4, 5), (5,)]),
    ("reductions", _reductions, [(3, 4), (4,)]),
    ("indexing", _indexing, [(3, 4), (5,)]),
    ("shape_ops", _shape_ops, [(3, 4), (3, 4)]),
]


@pytest.mark.parametrize("name,fun,shapes", CASES, ids=[c[0] for c in CASES])
def test_gradients_match_torch(name, fun, shapes):
    rng = np.random.default_rng(42)
    arrays = [rng.normal(size=s) for s in shapes]
    argnums = tuple(range(len(arrays)))
    ours = cr.grad(lambda *a: fun(cnp, *a), argnums=argnums)(*arrays)
    tensors = [torch.tensor(a, dtype=torch.float64, requires_grad=True) for a in arrays]
    out = fun(torch, *tensors)
    out.backward()
    for mine, t in zip(ours, tensors):
        np.testing.assert_allclose(mine, t.grad.numpy(), rtol=1e-9, atol=1e-10, err_msg=name)
    # The Tensor API gives the same.
    cts = [cr.tensor(a, requires_grad=True) for a in arrays]
    fun(cnp, *cts).backward()
    for c, t in zip(cts, tensors):
        np.testing.assert_allclose(c.grad.numpy(), t.grad.numpy(), rtol=1e-9, atol=1e-10)


def test_hessian_matches_torch():
    rng = np.random.default_rng(0)
    x = rng.normal(size=4)
    f_np = lambda v: cnp.sum(cnp.tanh(v) ** 2 * cnp.exp(0.3 * v)) + cnp.prod(v)
    f_t = lambda v: torch.sum(torch.tanh(v) ** 2 * torch.exp(0.3 * v)) + torch.prod(v)
    H_t = torch.autograd.functional.hessian(f_t, torch.tensor(x, dtype=torch.float64))
    np.testing.assert_allclose(cr.hessian(f_np)(x), H_t.numpy(), rtol=1e-9, atol=1e-10)
