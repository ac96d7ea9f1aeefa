"""What every transform checks of what it is given: a callable, ``argnums`` (ints,
NumPy ints, repeated, autograd's ``argnum``) and floating-point inputs, each error
naming the offending argument."""

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp


def test_grad_argnums_int_tuple_and_alias():
    f = lambda x, y: x * x * y
    assert cr.grad(f, argnums=1)(3.0, 2.0) == pytest.approx(9.0)
    assert cr.grad(f, argnum=1)(3.0, 2.0) == pytest.approx(9.0)
    gx, gy = cr.grad(f, argnums=(0, 1))(3.0, 2.0)
    assert (gx, gy) == (pytest.approx(12.0), pytest.approx(9.0))


def test_repeated_argnums_give_each_position_its_gradient():
    f = lambda x, y: x * y * y
    assert cr.grad(f, argnums=(0, 0))(3.0, 2.0) == (4.0, 4.0)
    assert cr.grad(f, argnums=(1, 0, 1))(3.0, 2.0) == (12.0, 4.0, 12.0)
    x, y = np.arange(2.0), np.ones(2)
    for jac in (cr.jacfwd, cr.jacrev):
        j = jac(lambda a, b: a * b, argnums=(0, 1, 0))(x, y)
        np.testing.assert_array_equal(j[0], np.eye(2))
        np.testing.assert_array_equal(j[2], np.eye(2))
        np.testing.assert_array_equal(j[1], np.diag(x))
    gx1, gx2 = cr.elementwise_grad(lambda a, b: a * b, argnums=(1, 1))(x, y)
    np.testing.assert_array_equal(gx1, x)
    np.testing.assert_array_equal(gx2, x)


def test_argnums_accepts_numpy_ints_and_rejects_other_types_clearly():
    f = lambda x, y: x * y
    assert cr.grad(f, argnums=np.int64(1))(3.0, 2.0) == 3.0
    assert cr.grad(f, argnums=[0, 1])(3.0, 2.0) == (2.0, 3.0)
    with pytest.raises(TypeError, match="argnums must be an int or a tuple of ints"):
        cr.grad(f, argnums=1.0)(3.0, 2.0)


# -- inputs that can't be differentiated -----------------------------------------------
def test_grad_integer_input_names_the_argument():
    with pytest.raises(TypeError, match="argument 1"):
        cr.grad(lambda x, y: x * y, argnums=1)(1.0, np.array([1, 2]))
    with pytest.raises(TypeError, match="bool"):
        cr.grad(lambda x: x)(True)


@pytest.mark.parametrize(
    "transform",
    [cr.grad, cr.elementwise_grad, cr.jacfwd, cr.jacrev, cr.hessian],
    ids=lambda t: t.__name__,
)
def test_integer_input_error_names_the_argument(transform):
    f = lambda x, y: cnp.sum(x * y)
    with pytest.raises(TypeError, match="argument 1: it has dtype int64"):
        transform(f, argnums=1)(np.ones(2), np.arange(2))


def test_non_array_leaf_error_names_the_argument_and_type():
    with pytest.raises(TypeError, match="argument 0: it has type str"):
        cr.grad(lambda d: d["a"])({"a": 1.0, "b": "label"})


# -- a function to transform -----------------------------------------------------------
@pytest.mark.parametrize(
    "transform",
    [
        cr.grad,
        cr.value_and_grad,
        cr.elementwise_grad,
        cr.jacfwd,
        cr.jacrev,
        cr.hessian,
        cr.checkpoint,
        cr.custom_vjp,
        cr.custom_jvp,
    ],
    ids=lambda t: t.__name__,
)
def test_a_non_callable_is_refused_when_transformed(transform):
    with pytest.raises(TypeError, match="expects a callable.*got 3.0"):
        transform(3.0)


def test_vjp_and_jvp_refuse_a_non_callable():
    with pytest.raises(TypeError, match="vjp expects a callable"):
        cr.vjp(3.0, 1.0)
    with pytest.raises(TypeError, match="jvp expects a callable"):
        cr.jvp(3.0, (1.0,), (1.0,))
