"""Decompositions: the symmetrisation convention of eigh and cholesky, closed forms of
singular-value gradients, repeated eigenvalues, multiple results through the Tensor API,
and the modes that have no derivative."""

from __future__ import annotations

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp

LA = cnp.linalg
RNG = np.random.default_rng(0)
A = RNG.uniform(-1, 1, (4, 4)) + 4 * np.eye(4)
SPD = A @ A.T


def test_eigh_symmetrises_and_its_gradient_is_symmetric():
    w, v = LA.eigh(SPD)
    np.testing.assert_allclose(w, np.linalg.eigh(SPD)[0])
    g = cr.grad(lambda a: cnp.sum(LA.eigh(a)[0] * np.arange(4.0)))(A)  # a non-symmetric input
    np.testing.assert_allclose(g, g.T)
    # d wᵢ = vᵢᵀ dA vᵢ, so the gradient of the largest eigenvalue is v vᵀ.
    top = np.linalg.eigh(SPD)[1][:, -1]
    np.testing.assert_allclose(cr.grad(lambda a: LA.eigvalsh(a)[-1])(SPD), np.outer(top, top))


def test_cholesky_gradient_is_symmetric():
    g = cr.grad(lambda a: cnp.sum(LA.cholesky(a) * np.arange(16.0).reshape(4, 4)))(SPD)
    np.testing.assert_allclose(g, g.T)


def test_svd_values_gradient_is_u_vt():
    x = RNG.standard_normal((5, 3))
    u, s, vh = np.linalg.svd(x, full_matrices=False)
    np.testing.assert_allclose(
        cr.grad(lambda a: LA.svd(a, compute_uv=False)[0])(x), np.outer(u[:, 0], vh[0])
    )
    np.testing.assert_allclose(cr.grad(lambda a: LA.norm(a, "nuc"))(x), u @ vh)


def test_eigenvalue_gradient_is_fine_at_repeated_eigenvalues():
    g = cr.grad(lambda a: cnp.sum(LA.eigvalsh(a) ** 2))(np.eye(3))
    np.testing.assert_allclose(g, 2 * np.eye(3))
    g = cr.grad(lambda a: cnp.sum(LA.eigh(a)[0] ** 2))(np.eye(3))
    np.testing.assert_allclose(g, 2 * np.eye(3))


def test_tensor_backward_through_multiple_results():
    t = cr.tensor(SPD, requires_grad=True)
    w, v = LA.eigh(t)
    q, r = LA.qr(t)
    loss = cnp.sum(w * w) + cnp.sum(r * r)
    loss.backward()
    want = cr.grad(lambda a: cnp.sum(LA.eigh(a)[0] ** 2) + cnp.sum(LA.qr(a)[1] ** 2))(SPD)
    np.testing.assert_allclose(t.grad.numpy(), want)


def test_non_differentiable_modes_raise_clearly_only_when_traced():
    x = RNG.standard_normal((5, 3))
    assert LA.qr(x, mode="complete")[0].shape == (5, 5)
    assert LA.svd(x)[0].shape == (5, 5)
    with pytest.raises(NotImplementedError, match="mode='reduced'"):
        cr.grad(lambda a: cnp.sum(LA.qr(a, mode="complete")[1]))(x)
    with pytest.raises(NotImplementedError, match="full_matrices=False"):
        cr.grad(lambda a: cnp.sum(LA.svd(a)[1]))(x)
    with pytest.raises(TypeError, match="out="):
        LA.multi_dot([x, x.T], out=np.empty((5, 5)))
