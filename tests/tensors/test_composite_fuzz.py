"""Random composite functions, differentiated by chainrule and by torch.autograd
(float64): gradients in reverse mode, forward mode and the Tensor API, and
Hessian-vector products, must agree. PyTorch is only an oracle here."""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import chainrule as cr
import chainrule.numpy as cnp
from chainrule.scipy import special

torch = pytest.importorskip("torch")

# (chainrule, torch) pairs; each safe on the whole real line
UNARY = [
    (cnp.sin, torch.sin),
    (cnp.cos, torch.cos),
    (cnp.tanh, torch.tanh),
    (lambda x: cnp.exp(-x * x), lambda x: torch.exp(-x * x)),
    (lambda x: cnp.log1p(x * x), lambda x: torch.log1p(x * x)),
    (lambda x: cnp.sqrt(1.0 + x * x), lambda x: torch.sqrt(1.0 + x * x)),
    (cnp.arctan, torch.atan),
    (cnp.arcsinh, torch.asinh),
    (special.expit, torch.sigmoid),
    (lambda x: special.erf(x), torch.erf),
    (lambda x: x**3, lambda x: x**3),
    (lambda x: 1.0 / (1.0 + x * x), lambda x: 1.0 / (1.0 + x * x)),
    (lambda x: cnp.abs(x) + 0.5, lambda x: torch.abs(x) + 0.5),
]
BINARY = [
    (cnp.add, torch.add),
    (cnp.subtract, torch.sub),
    (cnp.multiply, torch.mul),
    (lambda a, b: a / (1.0 + b * b), lambda a, b: a / (1.0 + b * b)),
    (cnp.hypot, torch.hypot),
    (cnp.logaddexp, torch.logaddexp),
    (cnp.arctan2, torch.atan2),
    (lambda a, b: cnp.maximum(a, b), lambda a, b: torch.maximum(a, b)),
]
REDUCE = [
    (lambda x: cnp.sum(x), lambda x: torch.sum(x)),
    (lambda x: cnp.mean(x * x), lambda x: torch.mean(x * x)),
    (lambda x: special.logsumexp(x), lambda x: torch.logsumexp(x.reshape(-1), 0)),
    (lambda x: cnp.sum(cnp.max(x, axis=-1)), lambda x: torch.sum(torch.amax(x, dim=-1))),
    (lambda x: cnp.linalg.norm(x), lambda x: torch.linalg.vector_norm(x)),
]


def _tree(draw, depth):
    if depth == 0 or draw(st.integers(0, 3)) == 0:
        return ("leaf", draw(st.integers(0, 1)))
    if draw(st.booleans()):
        return ("unary", draw(st.integers(0, len(UNARY) - 1)), _tree(draw, depth - 1))
    return (
        "binary",
        draw(st.integers(0, len(BINARY) - 1)),
        _tree(draw, depth - 1),
        _tree(draw, depth - 1),
    )


@st.composite
def programs(draw):
    return _tree(draw, 4), draw(st.integers(0, len(REDUCE) - 1))


def _evaluate(tree, leaves, which):
    kind = tree[0]
    if kind == "leaf":
        return leaves[tree[1]]
    if kind == "unary":
        return UNARY[tree[1]][which](_evaluate(tree[2], leaves, which))
    return BINARY[tree[1]][which](
        _evaluate(tree[2], leaves, which), _evaluate(tree[3], leaves, which)
    )


@settings(max_examples=200, deadline=None)
@given(programs(), st.integers(0, 2**16))
def test_random_composites_match_torch(program, seed):
    tree, r = program
    rng = np.random.default_rng(seed)
    x, y = rng.normal(size=(2, 3)), rng.normal(size=(3,))  # y broadcasts against x

    def ours(x, y):
        return REDUCE[r][0](_evaluate(tree, (x, y), 0) + 0.0 * x + 0.0 * y)

    def theirs(x, y):
        return REDUCE[r][1](_evaluate(tree, (x, y), 1) + 0.0 * x + 0.0 * y)

    tx = torch.tensor(x, requires_grad=True)
    ty = torch.tensor(y, requires_grad=True)
    out = theirs(tx, ty)
    gx_t, gy_t = torch.autograd.grad(out, (tx, ty), create_graph=True)
    # Where the derivative does not exist (hypot or a norm at exactly 0) torch gives
    # NaN and chainrule its documented subgradient: no reference to compare with.
    assume(bool(torch.isfinite(gx_t).all() and torch.isfinite(gy_t).all()))
    value, (gx, gy) = cr.value_and_grad(ours, argnums=(0, 1))(x, y)
    assert value == pytest.approx(out.item(), rel=1e-10, abs=1e-12)
    np.testing.assert_allclose(gx, gx_t.detach().numpy(), rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(gy, gy_t.detach().numpy(), rtol=1e-8, atol=1e-10)

    # forward mode: directional derivative along (vx, vy)
    vx, vy = rng.normal(size=(2, 3)), rng.normal(size=(3,))
    _, tangent = cr.jvp(ours, (x, y), (vx, vy))
    expected = float(((gx_t * torch.tensor(vx)).sum() + (gy_t * torch.tensor(vy)).sum()).detach())
    assert tangent == pytest.approx(expected, rel=1e-8, abs=1e-10)

    # second order: Hessian-vector product (forward-over-reverse vs torch double backward)
    directional = (gx_t * torch.tensor(vx)).sum() + (gy_t * torch.tensor(vy)).sum()
    if directional.requires_grad:
        hv_t = torch.autograd.grad(directional, (tx, ty), allow_unused=True)
    else:  # the gradient is constant: the Hessian is zero
        hv_t = (None, None)
    _, (hx, hy) = cr.jvp(lambda a, b: cr.grad(ours, argnums=(0, 1))(a, b), (x, y), (vx, vy))
    refs = [np.zeros_like(m) if t is None else t.numpy(force=True) for m, t in zip((hx, hy), hv_t)]
    # Where the second derivative does not exist (e.g. a norm at exactly zero) torch
    # gives NaN and chainrule its documented subgradient: no reference to compare with.
    assume(all(np.all(np.isfinite(r)) for r in refs))
    for mine, ref in zip((hx, hy), refs):
        np.testing.assert_allclose(mine, ref, rtol=1e-7, atol=1e-9)

    # the Tensor API gives the same gradient
    cx, cy = cr.tensor(x, requires_grad=True), cr.tensor(y, requires_grad=True)
    ours(cx, cy).backward()
    np.testing.assert_allclose(cx.grad.numpy(), gx_t.detach().numpy(), rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(cy.grad.numpy(), gy_t.detach().numpy(), rtol=1e-8, atol=1e-10)
