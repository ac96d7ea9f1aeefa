"""Edge cases of grad, value_and_grad, elementwise_grad, vjp, jvp, the Jacobians and
hessian: argnums, return types and dtypes, aux under nesting, pytree containers."""

from collections import OrderedDict, defaultdict

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp


# -- return types -------------------------------------------------------------------------
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


# -- argnums ------------------------------------------------------------------------------
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


# -- inputs and outputs that can't be differentiated ----------------------------------------
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


def test_grad_of_none_output_says_so():
    with pytest.raises(TypeError, match="returned None"):
        cr.grad(lambda x: None)(1.0)


def test_grad_of_complex_output_is_refused_as_in_jax_and_autograd():
    with pytest.raises(TypeError, match="real-valued output.*holomorphic_grad"):
        cr.grad(lambda z: z * z)(1.0 + 2.0j)
    # the real part is fine (Re z² = a² - b²: dL/da - i dL/db = 2a + 2ib), and
    # holomorphic_grad gives f'(z) = 2z
    assert cr.grad(lambda z: cnp.real(z * z))(1.0 + 2.0j) == pytest.approx(2.0 + 4.0j)
    assert cr.holomorphic_grad(lambda z: z * z)(1.0 + 2.0j) == pytest.approx(2.0 + 4.0j)


# -- jvp tangents -------------------------------------------------------------------------
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


# -- elementwise_grad ---------------------------------------------------------------------
def test_elementwise_grad_sums_over_all_outputs_of_a_pytree():
    x = np.arange(3.0)
    g = cr.elementwise_grad(lambda x: (x, {"sq": x * x}))(x)
    np.testing.assert_allclose(g, 1.0 + 2.0 * x)


# -- aux under nesting --------------------------------------------------------------------
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
    # aux = x², so an outer grad must see d aux/dx = 2x (it used to see a constant: 0)
    assert cr.grad(inner)(3.0) == pytest.approx(6.0)
    assert cr.jvp(inner, (3.0,), (1.0,))[1] == pytest.approx(6.0)


def test_aux_is_plain_values_after_the_transform():
    g, aux = cr.grad(lambda y: (y * y, {"y": y, "twice": [2 * y]}), has_aux=True)(3.0)
    assert g == 6.0 and aux == {"y": 3.0, "twice": [6.0]}
    assert not isinstance(aux["twice"][0], cr.core.Box)


# -- Jacobians and Hessians -----------------------------------------------------------------
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


# -- pytree containers ----------------------------------------------------------------------
def test_ordered_and_default_dicts_come_back_with_their_type():
    od = OrderedDict([("z", 1.0), ("a", 2.0)])
    g = cr.grad(lambda d: d["z"] * d["a"] ** 2)(od)
    assert type(g) is OrderedDict and list(g) == ["z", "a"]
    assert g == OrderedDict([("z", 4.0), ("a", 4.0)])
    dd = defaultdict(float, {"z": 1.0, "a": 2.0})
    g = cr.grad(lambda d: d["z"] * d["a"])(dd)
    assert type(g) is defaultdict and g.default_factory is float
    assert dict(g) == {"z": 2.0, "a": 1.0}
    # plain dicts: keys sorted, as in JAX; a dict of a different order is the same tree
    assert list(cr.grad(lambda d: d["z"] * d["a"])({"z": 1.0, "a": 2.0})) == ["a", "z"]
    _, f_vjp = cr.vjp(lambda x: {"z": x, "a": 2 * x}, 1.0)
    assert f_vjp({"z": 1.0, "a": 1.0}) == (3.0,)


# -- cotangents of real / float32 inputs under nesting ----------------------------------------
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


# -- bad input is named at once ---------------------------------------------------------------
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


@pytest.mark.parametrize("out", ["label", (x for x in ())], ids=["str", "generator"])
def test_grad_of_a_non_numeric_output_names_its_type(out):
    with pytest.raises(TypeError, match=f"returned a {type(out).__name__}"):
        cr.grad(lambda x: out)(1.0)


def test_jvp_output_tangents_are_numpy_values_of_the_outputs_kind():
    # a rule fed the Python float tangent 1.0 used to hand back a Python float
    out, t = cr.jvp(lambda x: x * 2.0, (3.0,), (1.0,))
    assert type(out) is type(t) is np.float64
    _, t = cr.jvp(lambda x: (x * 2.0, {"a": x}), (3.0,), (1.0,))
    assert type(t[0]) is type(t[1]["a"]) is np.float64
    _, t = cr.jvp(lambda x: x * np.float32(2.0), (np.float32(3.0),), (1.0,))
    assert type(t) is np.float32
    _, t = cr.jvp(lambda x: x * np.ones(2), (3.0,), (1.0,))
    assert isinstance(t, np.ndarray) and t.dtype == np.float64
