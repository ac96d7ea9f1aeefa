"""jacfwd, jacrev, hessian and hvp: values, shapes, dtypes, ``has_aux`` and tuple
``argnums`` as in JAX."""

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp


def _f_vec(x):
    return cnp.stack([x[0] * x[1], cnp.sin(x[2]), x[0] ** 2])


def test_jacfwd_equals_jacrev_and_shapes():
    x = np.array([0.3, -1.2, 0.7])
    jf = cr.jacfwd(_f_vec)(x)
    jr = cr.jacrev(_f_vec)(x)
    expected = np.array([[x[1], x[0], 0], [0, 0, np.cos(x[2])], [2 * x[0], 0, 0]])
    np.testing.assert_allclose(jf, expected)
    np.testing.assert_allclose(jr, expected)
    assert cr.jacobian is cr.jacrev
    m = np.arange(6.0).reshape(2, 3)
    assert cr.jacrev(lambda a: a * 2)(m).shape == (2, 3, 2, 3)
    assert cr.jacfwd(lambda a: a * 2)(m).shape == (2, 3, 2, 3)


def test_hessian_and_hvp():
    A = np.array([[2.0, 1.0], [1.0, 3.0]])
    f = lambda x: 0.5 * cnp.dot(x, cnp.dot(A, x)) + cnp.sum(cnp.sin(x))
    x = np.array([0.2, -0.4])
    H = A - np.diag(np.sin(x))
    np.testing.assert_allclose(cr.hessian(f)(x), H, atol=1e-12)
    v = np.array([1.0, -2.0])
    np.testing.assert_allclose(cr.hvp(f, x, v), H @ v, atol=1e-12)


@pytest.mark.parametrize("jac", [cr.jacfwd, cr.jacrev], ids=["jacfwd", "jacrev"])
def test_empty_jacobians_keep_float32(jac):
    x = np.ones(2, np.float32)
    assert jac(lambda x: x[:0])(x).dtype == np.float32
    assert jac(lambda x: x[:0])(x).shape == (0, 2)


def test_hessian_has_aux_as_in_jax():
    H, aux = cr.hessian(lambda x: (cnp.sum(x**3), {"x": x}), has_aux=True)(np.array([1.0, 2.0]))
    np.testing.assert_allclose(H, np.diag([6.0, 12.0]))
    np.testing.assert_array_equal(aux["x"], [1.0, 2.0])


def test_hessian_with_argnums_tuple_is_a_nested_tuple():
    H = cr.hessian(lambda x, y: x * x * y * y * y, argnums=(0, 1))(3.0, 2.0)
    # [[2y³, 6xy²], [6xy², 6x²y]] at (3, 2)
    np.testing.assert_allclose(np.array(H, dtype=float), [[16.0, 72.0], [72.0, 108.0]])


def test_hessian_of_a_scalar_function_is_a_numpy_scalar_like_grad():
    f = lambda x: x**3
    h, g = cr.hessian(f)(2.0), cr.grad(f)(2.0)
    assert type(h) is type(g) is np.float64 and h == 12.0
    (hxx, hxy), (hyx, hyy) = cr.hessian(lambda x, y: x**3 * y, argnums=(0, 1))(2.0, 1.0)
    assert type(hxy) is np.float64 and (hxx, hxy, hyx, hyy) == (12.0, 12.0, 12.0, 0.0)
