"""grad, value_and_grad and elementwise_grad: values, ``has_aux``, the types of the
gradients, and outputs that have no gradient."""

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp


def test_tutorial_derivative_of_3x_plus_2_squared():
    f = lambda x: (3 * x + 2) ** 2
    for x in (-2.0, 0.0, 1.0, 3.5):
        assert cr.grad(f)(x) == pytest.approx(18 * x + 12)
    assert cr.grad(cr.grad(f))(1.0) == pytest.approx(18.0)


def test_value_and_grad_and_has_aux():
    f = lambda x: (cnp.sum(x**2), cnp.mean(x))
    (value, aux), g = cr.value_and_grad(f, has_aux=True)(np.array([1.0, 2.0]))
    assert value == pytest.approx(5.0) and aux == pytest.approx(1.5)
    np.testing.assert_allclose(g, [2.0, 4.0])
    g2, aux2 = cr.grad(f, has_aux=True)(np.array([1.0, 2.0]))
    np.testing.assert_allclose(g2, [2.0, 4.0])
    assert aux2 == pytest.approx(1.5)


def test_grad_of_function_independent_of_input_is_zero():
    g = cr.grad(lambda x: 3.0)(np.ones((2, 2)))
    np.testing.assert_array_equal(g, np.zeros((2, 2)))


def test_elementwise_grad():
    x = np.linspace(-1, 1, 5)
    np.testing.assert_allclose(cr.elementwise_grad(cnp.tanh)(x), 1 - np.tanh(x) ** 2)


def test_elementwise_grad_sums_over_all_outputs_of_a_pytree():
    x = np.arange(3.0)
    g = cr.elementwise_grad(lambda x: (x, {"sq": x * x}))(x)
    np.testing.assert_allclose(g, 1.0 + 2.0 * x)


# -- types of the gradients ------------------------------------------------------------
def test_zero_gradient_of_a_scalar_input_is_a_scalar_like_any_other():
    # The gradient of a Python float is a NumPy scalar, whether or not fun depends on it.
    assert type(cr.grad(lambda x: x * x)(3.0)) is np.float64
    assert type(cr.grad(lambda x: 2.0)(3.0)) is np.float64
    assert type(cr.grad(lambda x: 2.0)(np.float32(3.0))) is np.float32
    assert type(cr.value_and_grad(lambda x: 2.0)(1.0)[1]) is np.float64
    assert type(cr.vjp(lambda x: 2.0, 3.0)[1](1.0)[0]) is np.float64
    gx, gy = cr.grad(lambda x, y: x * 2.0, argnums=(0, 1))(1.0, 5.0)
    assert type(gx) is type(gy) is np.float64
    # arrays stay arrays, 0-d included
    assert isinstance(cr.grad(lambda x: 2.0)(np.array(3.0)), np.ndarray)


def test_float32_stays_float32():
    x = np.ones(3, np.float32)
    g = cr.grad(lambda x: cnp.sum(cnp.exp(x) * 2.0))(x)
    assert g.dtype == np.float32
    j = cr.jacrev(lambda x: x * 2.0)(x)
    assert j.dtype == np.float32


def test_tensor_inputs_get_tensor_gradients_even_without_rules():
    g = cr.grad(lambda t: cnp.sum(t))(cr.tensor([1.0, 2.0]))
    assert isinstance(g, cr.Tensor)
    np.testing.assert_allclose(g.numpy(), [1.0, 1.0])
    z = cr.grad(lambda t: 3.0)(cr.tensor([1.0, 2.0]))
    assert isinstance(z, cr.Tensor) and z.shape == (2,)


# -- outputs without a gradient --------------------------------------------------------
def test_grad_of_nonscalar_output_names_the_shape():
    with pytest.raises(TypeError, match=r"\(3,\)"):
        cr.grad(lambda x: x * 2)(np.ones(3))


def test_grad_of_none_output_says_so():
    with pytest.raises(TypeError, match="returned None"):
        cr.grad(lambda x: None)(1.0)


@pytest.mark.parametrize("out", ["label", (x for x in ())], ids=["str", "generator"])
def test_grad_of_a_non_numeric_output_names_its_type(out):
    with pytest.raises(TypeError, match=f"returned a {type(out).__name__}"):
        cr.grad(lambda x: out)(1.0)


def test_grad_of_complex_output_is_refused_as_in_jax_and_autograd():
    with pytest.raises(TypeError, match="real-valued output.*holomorphic_grad"):
        cr.grad(lambda z: z * z)(1.0 + 2.0j)
    # the real part is fine (Re z² = a² - b²: dL/da - i dL/db = 2a + 2ib), and
    # holomorphic_grad gives f'(z) = 2z
    assert cr.grad(lambda z: cnp.real(z * z))(1.0 + 2.0j) == pytest.approx(2.0 + 4.0j)
    assert cr.holomorphic_grad(lambda z: z * z)(1.0 + 2.0j) == pytest.approx(2.0 + 4.0j)
