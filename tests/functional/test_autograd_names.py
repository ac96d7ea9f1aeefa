"""HIPS autograd's names (make_vjp, deriv, holomorphic_grad, the Hessian and
Jacobian products, grad_named, ...) behave as in autograd, nest like the rest and name
the offending argument. Written the way autograd code reads: ``ag`` and ``anp``."""

from collections import OrderedDict

import numpy as np
import pytest

import chainrule as ag
import chainrule.numpy as anp
from chainrule.functional.autograd_names import grad_named, multigrad_dict

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


def test_deriv_nests():
    cube = lambda x: x**3
    assert ag.deriv(ag.deriv(cube))(2.0) == pytest.approx(12.0)
    assert ag.grad(ag.deriv(cube))(2.0) == pytest.approx(12.0)
    # d/dx [d/dy (y³ x) at y = x] = d/dx 3x³ = 9x²
    assert ag.deriv(lambda x: ag.deriv(lambda y: y**3 * x)(x))(2.0) == pytest.approx(36.0)


def test_holomorphic_grad_nests_and_keeps_scalars_scalar():
    cube = lambda z: z**3
    z = 2.0 + 1.0j
    assert ag.holomorphic_grad(ag.holomorphic_grad(cube))(z) == pytest.approx(6 * z)
    # at a real point: the complex derivative, as a complex scalar
    g = ag.holomorphic_grad(cube)(2.0)
    assert np.ndim(g) == 0 and not isinstance(g, np.ndarray) and g == 12.0
    assert ag.grad(lambda x: anp.real(ag.holomorphic_grad(cube)(x)))(2.0) == pytest.approx(12.0)


@pytest.mark.parametrize(
    "call",
    [
        lambda: ag.deriv(lambda x, n: x * n, argnum=1)(2.0, 3),
        lambda: ag.make_vjp(lambda x, n: x * n, argnum=1)(2.0, 3),
        lambda: ag.make_jvp(lambda x, n: x * n, argnum=1)(2.0, 3)(1.0),
        lambda: ag.holomorphic_grad(lambda x, n: x * n, argnum=1)(2.0, 3),
    ],
    ids=["deriv", "make_vjp", "make_jvp", "holomorphic_grad"],
)
def test_integer_argument_is_named(call):
    with pytest.raises(TypeError, match="argument 1: it has int"):
        call()


def test_grad_named_and_multigrad_dict():
    f = lambda a, b, c=2.0: a * b * b * c
    assert grad_named(f, "b")(2.0, 3.0) == pytest.approx(24.0)
    with pytest.raises(ValueError, match="no argument 'z'"):
        grad_named(f, "z")
    g = multigrad_dict(f)(2.0, b=3.0)
    assert isinstance(g, OrderedDict) and list(g) == ["a", "b", "c"]
    assert (g["a"], g["b"], g["c"]) == (18.0, 24.0, 18.0)
