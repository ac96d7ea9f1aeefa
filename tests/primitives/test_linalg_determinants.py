"""Determinants: ``det``'s gradient (the cofactor matrix) at singular matrices too, and
the closed forms of ``slogdet``'s first and second derivatives."""

from __future__ import annotations

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp

LA = cnp.linalg
RNG = np.random.default_rng(0)
A = RNG.uniform(-1, 1, (4, 4)) + 4 * np.eye(4)
SPD = A @ A.T


def _numerical_grad(f, a, eps=1e-6):
    g = np.zeros_like(a)
    for idx in np.ndindex(a.shape):
        d = np.zeros_like(a)
        d[idx] = eps
        g[idx] = (f(a + d) - f(a - d)) / (2 * eps)
    return g


@pytest.mark.parametrize(
    "a",
    [
        np.array([[1.0, 2.0], [2.0, 4.0]]),
        np.arange(1.0, 10.0).reshape(3, 3),
        np.diag([1.0, 0.0, 0.0]),
        np.zeros((3, 3)),
        np.array([[[1.0, 2.0], [2.0, 4.0]], [[1.0, 0.0], [0.0, 2.0]]]),
    ],
    ids=["rank1-2x2", "rank2-3x3", "rank1-diag", "zero", "batch-mixed"],
)
def test_det_gradient_at_singular_matrices_is_the_cofactor_matrix(a):
    want = _numerical_grad(lambda m: np.linalg.det(m).sum(), a)
    np.testing.assert_allclose(cr.grad(lambda m: cnp.sum(LA.det(m)))(a), want, atol=1e-8)
    _, t = cr.jvp(LA.det, (a,), (np.ones_like(a),))
    np.testing.assert_allclose(t, want.sum(axis=(-2, -1)), atol=1e-8)


def test_det_gradient_singular_float32():
    a = np.array([[1.0, 2.0], [2.0, 4.0]], np.float32)
    g = cr.grad(LA.det)(a)
    assert g.dtype == np.float32
    np.testing.assert_allclose(g, [[4.0, -2.0], [-2.0, 1.0]], atol=1e-5)


def test_logdet_gradient_and_hessian_closed_forms():
    f = lambda a: LA.slogdet(a)[1]  # noqa: E731
    inv = np.linalg.inv(A)
    np.testing.assert_allclose(cr.grad(f)(A), inv.T)
    np.testing.assert_allclose(cr.grad(LA.det)(A), np.linalg.det(A) * inv.T)
    e = RNG.standard_normal((4, 4))
    # d² log det [E, E] = -tr(A⁻¹ E A⁻¹ E)
    hv = cr.hvp(f, A, e)
    np.testing.assert_allclose(np.sum(hv * e), -np.trace(inv @ e @ inv @ e))


def test_slogdet_result_and_zero_sign_derivative():
    res = LA.slogdet(-A)
    assert res.sign == np.linalg.slogdet(-A)[0]
    np.testing.assert_array_equal(cr.grad(lambda a: LA.slogdet(a).sign)(A), np.zeros((4, 4)))
