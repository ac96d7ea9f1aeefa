"""The functional transforms: values, structure, argnums, has_aux, Jacobians, Hessians."""

from collections import namedtuple

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp


def test_tutorial_derivative_of_3x_plus_2_squared():
    f = lambda x: (3 * x + 2) ** 2
    for x in (-2.0, 0.0, 1.0, 3.5):
        assert cr.grad(f)(x) == pytest.approx(18 * x + 12)
    assert cr.grad(cr.grad(f))(1.0) == pytest.approx(18.0)


def test_grad_argnums_int_tuple_and_alias():
    f = lambda x, y: x * x * y
    assert cr.grad(f, argnums=1)(3.0, 2.0) == pytest.approx(9.0)
    assert cr.grad(f, argnum=1)(3.0, 2.0) == pytest.approx(9.0)
    gx, gy = cr.grad(f, argnums=(0, 1))(3.0, 2.0)
    assert (gx, gy) == (pytest.approx(12.0), pytest.approx(9.0))


def test_value_and_grad_and_has_aux():
    f = lambda x: (cnp.sum(x**2), cnp.mean(x))
    (value, aux), g = cr.value_and_grad(f, has_aux=True)(np.array([1.0, 2.0]))
    assert value == pytest.approx(5.0) and aux == pytest.approx(1.5)
    np.testing.assert_allclose(g, [2.0, 4.0])
    g2, aux2 = cr.grad(f, has_aux=True)(np.array([1.0, 2.0]))
    np.testing.assert_allclose(g2, [2.0, 4.0])
    assert aux2 == pytest.approx(1.5)


def test_grad_of_nonscalar_output_names_the_shape():
    with pytest.raises(TypeError, match=r"\(3,\)"):
        cr.grad(lambda x: x * 2)(np.ones(3))


def test_grad_integer_input_names_the_argument():
    with pytest.raises(TypeError, match="argument 1"):
        cr.grad(lambda x, y: x * y, argnums=1)(1.0, np.array([1, 2]))
    with pytest.raises(TypeError, match="bool"):
        cr.grad(lambda x: x)(True)


def test_grad_of_function_independent_of_input_is_zero():
    g = cr.grad(lambda x: 3.0)(np.ones((2, 2)))
    np.testing.assert_array_equal(g, np.zeros((2, 2)))


def test_vjp_returns_tuple_one_per_primal():
    out, f_vjp = cr.vjp(lambda x, y: x * y, np.array([1.0, 2.0]), np.array([3.0, 4.0]))
    gx, gy = f_vjp(np.array([1.0, 1.0]))
    np.testing.assert_allclose(out, [3.0, 8.0])
    np.testing.assert_allclose(gx, [3.0, 4.0])
    np.testing.assert_allclose(gy, [1.0, 2.0])
    with pytest.raises(ValueError, match="shape"):
        f_vjp(np.ones(3))


def test_jvp_and_shape_check():
    out, t = cr.jvp(lambda x: cnp.sin(x) * x, (0.5,), (2.0,))
    assert t == pytest.approx(2 * (np.cos(0.5) * 0.5 + np.sin(0.5)))
    with pytest.raises(ValueError, match="shape"):
        cr.jvp(cnp.sin, (np.ones(3),), (np.ones(2),))


def test_elementwise_grad():
    x = np.linspace(-1, 1, 5)
    np.testing.assert_allclose(cr.elementwise_grad(cnp.tanh)(x), 1 - np.tanh(x) ** 2)


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


def test_pytrees_dicts_lists_namedtuples():
    Params = namedtuple("Params", ["w", "b"])

    def loss(p, batch):
        pred = p["layer"].w * batch[0] + p["layer"].b
        return cnp.sum((pred - batch[1]) ** 2) + p["extra"][0] ** 2

    params = {"layer": Params(np.array([1.0, 2.0]), 0.5), "extra": [3.0]}
    batch = (np.array([1.0, -1.0]), np.array([0.0, 1.0]))
    g = cr.grad(loss)(params, batch)
    assert isinstance(g, dict) and isinstance(g["layer"], Params)
    assert isinstance(g["extra"], list)
    r = params["layer"].w * batch[0] + 0.5 - batch[1]
    np.testing.assert_allclose(g["layer"].w, 2 * r * batch[0])
    assert g["layer"].b == pytest.approx(2 * r.sum())
    assert g["extra"][0] == pytest.approx(6.0)


def test_python_control_flow_is_traced_eagerly():
    def f(x):
        y = x
        for _ in range(3):
            y = y * x if y < 10 else y + 1.0
        while y > 1.0:
            y = y / 2.0
        return y

    x = 1.5
    _, t = cr.jvp(f, (x,), (1.0,))
    assert cr.grad(f)(x) == pytest.approx(t)


def test_float32_stays_float32():
    x = np.ones(3, np.float32)
    g = cr.grad(lambda x: cnp.sum(cnp.exp(x) * 2.0))(x)
    assert g.dtype == np.float32
    j = cr.jacrev(lambda x: x * 2.0)(x)
    assert j.dtype == np.float32


def test_linearize():
    out, f_jvp = cr.linearize(cnp.sin, 0.3)
    assert out == pytest.approx(np.sin(0.3))
    assert f_jvp(2.0) == pytest.approx(2 * np.cos(0.3))


def test_tensor_inputs_get_tensor_gradients_even_without_rules():
    g = cr.grad(lambda t: cnp.sum(t))(cr.tensor([1.0, 2.0]))
    assert isinstance(g, cr.Tensor)
    np.testing.assert_allclose(g.numpy(), [1.0, 1.0])
    z = cr.grad(lambda t: 3.0)(cr.tensor([1.0, 2.0]))
    assert isinstance(z, cr.Tensor) and z.shape == (2,)
