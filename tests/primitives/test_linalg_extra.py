"""Edge cases of ``chainrule.numpy.linalg`` that the sweep does not reach: subgradients
of norms at zero, the symmetrisation convention, known closed forms, the Tensor API,
and clear errors for bad shapes and non-differentiable modes."""

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp

LA = cnp.linalg
RNG = np.random.default_rng(0)
A = RNG.uniform(-1, 1, (4, 4)) + 4 * np.eye(4)
SPD = A @ A.T


# -- norms at the zero vector: the subgradient 0, never NaN --------------------------------
@pytest.mark.parametrize(
    "kw",
    [{}, {"ord": 2}, {"ord": 1}, {"ord": 3}, {"ord": 0.5}, {"ord": np.inf}, {"ord": -np.inf}],
    ids=str,
)
def test_vector_norm_gradient_at_zero_is_zero(kw):
    f = lambda x: LA.norm(x, **kw)  # noqa: E731
    np.testing.assert_array_equal(cr.grad(f)(np.zeros(3)), np.zeros(3))
    _, tangent = cr.jvp(f, (np.zeros(3),), (np.ones(3),))
    assert np.asarray(tangent) == 0.0


@pytest.mark.parametrize("kw", [{}, {"ord": "fro"}, {"axis": 1}, {"axis": (0, 1)}], ids=str)
def test_matrix_and_axis_norms_at_zero(kw):
    g = cr.grad(lambda x: cnp.sum(LA.norm(x, **kw)))(np.zeros((2, 3)))
    np.testing.assert_array_equal(g, np.zeros((2, 3)))


def test_norm_partly_zero_rows_and_entries():
    x = np.array([[0.0, 0.0, 0.0], [3.0, 0.0, 4.0]])
    g = cr.grad(lambda x: cnp.sum(LA.norm(x, axis=1)))(x)
    np.testing.assert_allclose(g, [[0, 0, 0], [0.6, 0, 0.8]])
    g = cr.grad(lambda v: LA.norm(v, 0.5))(np.array([0.0, 1.0, 4.0]))
    assert np.all(np.isfinite(g)) and g[0] == 0.0


def test_norm_ord_zero_counts_and_has_zero_derivative():
    x = np.array([0.0, 2.0, -1.0])
    assert LA.norm(x, 0) == 2.0
    np.testing.assert_array_equal(cr.grad(lambda x: LA.norm(x, 0))(x), np.zeros(3))


def test_norm_errors():
    with pytest.raises(ValueError, match="Invalid norm order"):
        LA.norm(np.ones(3), "fro")
    with pytest.raises(ValueError, match="Invalid norm order"):
        LA.norm(np.ones((2, 2)), 3)
    with pytest.raises(ValueError, match="Duplicate axes"):
        LA.norm(np.ones((2, 2)), axis=(1, 1))
    with pytest.raises(ValueError, match="Improper number of dimensions"):
        LA.norm(np.ones((2, 2, 2)), ord=2)


# -- conventions and closed forms ---------------------------------------------------------
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


def test_svd_values_gradient_is_u_vt():
    x = RNG.standard_normal((5, 3))
    u, s, vh = np.linalg.svd(x, full_matrices=False)
    np.testing.assert_allclose(
        cr.grad(lambda a: LA.svd(a, compute_uv=False)[0])(x), np.outer(u[:, 0], vh[0])
    )
    np.testing.assert_allclose(cr.grad(lambda a: LA.norm(a, "nuc"))(x), u @ vh)


def test_matrix_power_zero_and_integer_checks():
    np.testing.assert_array_equal(LA.matrix_power(A, 0), np.eye(4))
    np.testing.assert_array_equal(cr.grad(lambda a: cnp.sum(LA.matrix_power(a, 0)))(A), 0 * A)
    np.testing.assert_allclose(LA.matrix_power(A, -3), np.linalg.matrix_power(A, -3))
    with pytest.raises(TypeError, match="integer"):
        LA.matrix_power(A, 1.5)


def test_integer_input_is_promoted():
    m = np.array([[2, 1], [1, 3]])
    np.testing.assert_allclose(LA.inv(m), np.linalg.inv(m))
    assert LA.matrix_rank(np.ones((3, 3))) == 1


def test_multi_dot_picks_an_order_and_matches():
    a, b, c = RNG.standard_normal((10, 2)), RNG.standard_normal((2, 10)), RNG.standard_normal(10)
    np.testing.assert_allclose(LA.multi_dot([a, b, c]), a @ b @ c)
    with pytest.raises(ValueError, match="at least two"):
        LA.multi_dot([a])


# -- Tensor API ----------------------------------------------------------------------------
def test_tensor_backward_through_multiple_results():
    t = cr.tensor(SPD, requires_grad=True)
    w, v = LA.eigh(t)
    q, r = LA.qr(t)
    loss = cnp.sum(w * w) + cnp.sum(r * r)
    loss.backward()
    want = cr.grad(lambda a: cnp.sum(LA.eigh(a)[0] ** 2) + cnp.sum(LA.qr(a)[1] ** 2))(SPD)
    np.testing.assert_allclose(t.grad.numpy(), want)


# -- errors ------------------------------------------------------------------------------------
def test_shape_errors_name_the_shapes():
    with pytest.raises(np.linalg.LinAlgError, match=r"\(2, 3\)"):
        LA.inv(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"\(4,\).*\(3, 3\)"):
        LA.solve(np.eye(3), np.ones(4))
    with pytest.raises(ValueError, match="do not broadcast"):
        LA.solve(np.ones((2, 3, 3)), np.ones((4, 3, 1)))
    with pytest.raises(np.linalg.LinAlgError, match="at least 2"):
        LA.det(np.ones(3))
    with pytest.raises(ValueError, match="UPLO"):
        LA.eigh(SPD, UPLO="X")


def test_non_differentiable_modes_raise_clearly_only_when_traced():
    x = RNG.standard_normal((5, 3))
    assert LA.qr(x, mode="complete")[0].shape == (5, 5)
    assert LA.svd(x)[0].shape == (5, 5)
    with pytest.raises(NotImplementedError, match="mode='reduced'"):
        cr.grad(lambda a: cnp.sum(LA.qr(a, mode="complete")[1]))(x)
    with pytest.raises(NotImplementedError, match="full_matrices=False"):
        cr.grad(lambda a: cnp.sum(LA.svd(a)[1]))(x)
    with pytest.raises(NotImplementedError, match="eigh"):
        cr.grad(lambda a: cnp.sum(cnp.abs(LA.eigvals(a))))(A)
    with pytest.raises(TypeError, match="out="):
        LA.multi_dot([x, x.T], out=np.empty((5, 5)))


def test_eigenvalue_gradient_is_fine_at_repeated_eigenvalues():
    g = cr.grad(lambda a: cnp.sum(LA.eigvalsh(a) ** 2))(np.eye(3))
    np.testing.assert_allclose(g, 2 * np.eye(3))
    g = cr.grad(lambda a: cnp.sum(LA.eigh(a)[0] ** 2))(np.eye(3))
    np.testing.assert_allclose(g, 2 * np.eye(3))


def test_complex_derivatives_are_refused():
    z = A + 1j * A.T
    np.testing.assert_allclose(LA.inv(z), np.linalg.inv(z))
    with pytest.raises(NotImplementedError, match="complex"):
        cr.grad(lambda a: cnp.real(cnp.sum(LA.inv(a))))(z)
