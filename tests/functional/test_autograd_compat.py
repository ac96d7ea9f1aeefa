"""autograd's public names behave as in autograd."""

import numpy as np
import pytest

import chainrule as ag
import chainrule.numpy as anp

A = np.array([[1.0, 2.0], [0.5, -1.0], [0.3, 0.2]])


def f(x):
    return anp.tanh(anp.dot(A, x))


def loss(x):
    return anp.sum(anp.sin(x) * x**2)


def test_make_vjp_returns_vjp_then_value():
    x = np.array([0.3, -0.2])
    vjp, ans = ag.make_vjp(f)(x)
    np.testing.assert_allclose(ans, np.tanh(A @ x))
    g = np.array([1.0, 2.0, 3.0])
    np.testing.assert_allclose(vjp(g), ag.jacobian(f)(x).T @ g)


def test_make_jvp_and_deriv():
    x = np.array([0.3, -0.2])
    v = np.array([1.0, 0.5])
    ans, t = ag.make_jvp(f)(x)(v)
    np.testing.assert_allclose(t, ag.jacobian(f)(x) @ v)
    assert ag.deriv(anp.sin)(0.4) == pytest.approx(np.cos(0.4))


def test_grad_and_aux():
    g, aux = ag.grad_and_aux(lambda x: (x**2, "note"))(3.0)
    assert g == pytest.approx(6.0) and aux == "note"


def test_hessian_products_and_make_hvp():
    x = np.array([0.3, -0.2, 0.9])
    v = np.array([1.0, -1.0, 2.0])
    H = ag.hessian(loss)(x)
    np.testing.assert_allclose(ag.hessian_tensor_product(loss)(x, v), H @ v, atol=1e-12)
    hvp, g = ag.make_hvp(loss)(x)
    np.testing.assert_allclose(hvp(v), H @ v, atol=1e-12)
    np.testing.assert_allclose(g, ag.grad(loss)(x))


def test_tensor_jacobian_product():
    x = np.array([0.3, -0.2])
    u = np.array([1.0, 2.0, -1.0])
    np.testing.assert_allclose(ag.tensor_jacobian_product(f)(x, u), u @ ag.jacobian(f)(x))


def test_make_ggnvp_matches_dense():
    x = np.array([0.3, -0.2])
    v = np.array([0.7, 1.1])
    J = ag.jacobian(f)(x)
    dense = J.T @ J @ v  # g = 1/2 |y|^2 has identity Hessian
    np.testing.assert_allclose(ag.make_ggnvp(f)(x)(v), dense, atol=1e-12)


def test_holomorphic_grad():
    z = 0.3 + 0.4j
    np.testing.assert_allclose(ag.holomorphic_grad(anp.sin)(z), np.cos(z))


def test_check_grads_curried_autograd_form_and_failure():
    from chainrule.test_util import check_grads

    check_grads(lambda x, y: anp.sin(x) * y, modes=["rev"])(0.3, 2.0)
    ag.check_grads(lambda x: anp.exp(x), (0.1,), order=3)

    # A wrong rule must be caught: a custom VJP that is off by a factor of 2.
    @ag.custom_vjp
    def bad(x):
        return anp.sin(x)

    bad.defvjp(lambda x: (anp.sin(x), x), lambda x, g: (2.0 * g * anp.cos(x),))
    with pytest.raises(AssertionError, match="reverse mode"):
        ag.check_grads(bad, (0.3,), order=1, modes=("rev",))
