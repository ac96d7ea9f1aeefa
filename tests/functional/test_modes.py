"""vjp, jvp and linearize: structure and shape checks, derivatives in their values'
dtype and kind (NumPy scalars for scalars, real for real inputs, float32 kept), and
``has_aux`` under nesting."""

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp


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


def test_linearize():
    out, f_jvp = cr.linearize(cnp.sin, 0.3)
    assert out == pytest.approx(np.sin(0.3))
    assert f_jvp(2.0) == pytest.approx(2 * np.cos(0.3))


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


# -- dtypes and kinds of tangents ------------------------------------------------------
def test_jvp_tangents_take_their_primals_dtype():
    x32 = np.ones(2, np.float32)
    _, t = cr.jvp(lambda x: x * 2.0, (x32,), (np.ones(2),))
    assert t.dtype == np.float32
    _, t = cr.jvp(lambda x: x * 2.0, (np.float32(1.0),), (1.0,))
    assert np.result_type(t) == np.float32
    _, t = cr.jvp(lambda x: x * 2.0, (np.ones(2),), (np.ones(2, int),))
    assert t.dtype == np.float64  # never an integer tangent
    np.testing.assert_array_equal(t, [2.0, 2.0])
    with pytest.raises(TypeError, match="complex"):
        cr.jvp(lambda x: x * 2.0, (np.ones(2),), (np.ones(2) * 1j,))


def test_jvp_tangent_of_a_constant_output_is_a_scalar_for_a_scalar():
    out, t = cr.jvp(lambda x: 2.0, (3.0,), (1.0,))
    assert out == 2.0 and t == 0.0 and np.ndim(t) == 0


def test_jvp_output_tangents_are_numpy_values_of_the_outputs_kind():
    # a rule fed the Python float tangent 1.0 may hand back a Python float; jvp doesn't
    out, t = cr.jvp(lambda x: x * 2.0, (3.0,), (1.0,))
    assert type(out) is type(t) is np.float64
    _, t = cr.jvp(lambda x: (x * 2.0, {"a": x}), (3.0,), (1.0,))
    assert type(t[0]) is type(t[1]["a"]) is np.float64
    _, t = cr.jvp(lambda x: x * np.float32(2.0), (np.float32(3.0),), (1.0,))
    assert type(t) is np.float32
    _, t = cr.jvp(lambda x: x * np.ones(2), (3.0,), (1.0,))
    assert isinstance(t, np.ndarray) and t.dtype == np.float64


# -- cotangents of real / float32 inputs under nesting ---------------------------------
def _reverse_of(fun):
    return lambda x, u: cr.vjp(fun, x)[1](u)[0]


def test_nested_cotangent_of_a_real_input_is_real():
    @cr.custom_vjp
    def ident(x):
        return x

    ident.defvjp(lambda x: (x, None), lambda r, g: (g * (1 + 1j),))  # a complex cotangent
    rev = _reverse_of(ident)
    x, u = np.array([0.3, -0.2]), np.array([1.0, 2.0])
    np.testing.assert_array_equal(rev(x, u), [1.0, 2.0])  # not traced: real part
    out = cr.vjp(rev, x, u)[0]  # traced by an outer transform: the same, real
    assert not np.iscomplexobj(out)
    np.testing.assert_array_equal(out, [1.0, 2.0])
    assert not np.iscomplexobj(cr.jvp(rev, (x, u), (u, u))[1])


def test_nested_cotangent_of_a_float32_input_stays_float32():
    @cr.custom_vjp
    def ident(x):
        return x

    ident.defvjp(lambda x: (x, None), lambda r, g: (g * np.float64(2.0),))
    rev = _reverse_of(ident)
    x = np.ones(2, np.float32)
    assert rev(x, x).dtype == np.float32
    assert cr.vjp(rev, x, x)[0].dtype == np.float32
    assert cr.jvp(rev, (x, x), (x, x))[1].dtype == np.float32


# -- aux under nesting -----------------------------------------------------------------
@pytest.mark.parametrize(
    "inner",
    [
        lambda x: cr.grad(lambda y: (x * y, x * x), has_aux=True)(2.0)[1],
        lambda x: cr.value_and_grad(lambda y: (x * y, x * x), has_aux=True)(2.0)[0][1],
        lambda x: cr.vjp(lambda y: (x * y, x * x), 2.0, has_aux=True)[2],
        lambda x: cr.jvp(lambda y: (x * y, x * x), (2.0,), (1.0,), has_aux=True)[2],
        lambda x: cr.jacrev(lambda y: (x * y, x * x), has_aux=True)(2.0)[1],
        lambda x: cr.jacfwd(lambda y: (x * y, x * x), has_aux=True)(2.0)[1],
    ],
    ids=["grad", "value_and_grad", "vjp", "jvp", "jacrev", "jacfwd"],
)
def test_aux_keeps_its_dependence_on_an_outer_transforms_variable(inner):
    # aux = x², so an outer grad must see d aux/dx = 2x (not a constant: 0)
    assert cr.grad(inner)(3.0) == pytest.approx(6.0)
    assert cr.jvp(inner, (3.0,), (1.0,))[1] == pytest.approx(6.0)


def test_aux_is_plain_values_after_the_transform():
    g, aux = cr.grad(lambda y: (y * y, {"y": y, "twice": [2 * y]}), has_aux=True)(3.0)
    assert g == 6.0 and aux == {"y": 3.0, "twice": [6.0]}
    assert not isinstance(aux["twice"][0], cr.core.Box)
