"""Edge cases of custom_vjp, custom_jvp, checkpoint and stop_gradient: keyword
arguments, several outputs under nesting, shape errors, pytrees."""

import functools

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp


# -- stop_gradient --------------------------------------------------------------------------
def test_stop_gradient_stops_every_leaf_of_a_pytree():
    # d/dx sum(sg(x) * x) = sg(x): 1, not 2 (the dict used to pass through unstopped)
    g = cr.grad(lambda d: cnp.sum(cr.stop_gradient(d)["a"] * d["a"]))({"a": np.ones(2)})
    np.testing.assert_array_equal(g["a"], [1.0, 1.0])
    assert cr.grad(lambda x: cr.stop_gradient((x, [x]))[1][0] * x)(3.0) == 3.0
    assert cr.jvp(lambda x: cr.stop_gradient({"x": x})["x"] * x, (3.0,), (1.0,))[1] == 3.0
    assert cr.stop_gradient({"a": 1.0, "b": None}) == {"a": 1.0, "b": None}


# -- keyword arguments ----------------------------------------------------------------------
@cr.custom_vjp
def scaled_sin(x, y):
    return x * cnp.sin(y)


scaled_sin.defvjp(
    lambda x, y: (scaled_sin(x, y), (x, y)),
    lambda res, g: (g * cnp.sin(res[1]), g * res[0] * cnp.cos(res[1])),
)


@cr.custom_jvp
def product(x, y):
    return x * y


@product.defjvp
def _product_jvp(primals, tangents):
    (x, y), (tx, ty) = primals, tangents
    return product(x, y), tx * y + x * ty


def test_custom_vjp_resolves_keyword_arguments_to_positions():
    assert cr.grad(lambda x: scaled_sin(x, y=0.5))(2.0) == pytest.approx(np.sin(0.5))
    assert cr.grad(lambda y: scaled_sin(2.0, y=y))(0.5) == pytest.approx(2 * np.cos(0.5))
    assert cr.grad(lambda x: scaled_sin(y=0.5, x=x))(2.0) == pytest.approx(np.sin(0.5))


def test_custom_vjp_with_defaults_accepts_bwd_for_passed_or_all_arguments():
    @cr.custom_vjp
    def scale(x, s=2.0):
        return x * s

    scale.defvjp(lambda x, s=2.0: (scale(x, s), s), lambda s, g: (g * s,))
    assert cr.grad(scale)(1.0) == 2.0  # bwd covers x only; the default gets no cotangent

    @cr.custom_vjp
    def scale2(x, s=2.0):
        return x * s

    scale2.defvjp(lambda x, s: (scale2(x, s), (x, s)), lambda r, g: (g * r[1], g * r[0]))
    assert cr.grad(scale2)(1.0) == 2.0  # JAX's form: one cotangent per resolved argument
    assert cr.grad(lambda s: scale2(1.5, s=s))(2.0) == 1.5


def test_custom_vjp_keyword_only_argument_is_a_clear_error():
    @cr.custom_vjp
    def f(x, *, s=1.0):
        return x * s

    f.defvjp(lambda x: (f(x), None), lambda r, g: (g,))
    with pytest.raises(TypeError, match="keyword-only arguments \\['s'\\]"):
        cr.grad(lambda x: f(x, s=2.0))(1.0)


def test_custom_jvp_resolves_keyword_arguments_to_positions():
    assert cr.grad(lambda x: product(x, y=0.5))(2.0) == 0.5
    assert cr.jvp(lambda y: product(2.0, y=y), (0.5,), (1.0,))[1] == 2.0


def test_checkpoint_passes_keyword_arguments_and_differentiates_them():
    def block(x, w=2.0, *, scale=1.0):
        return cnp.sin(x * w) * scale

    ref = cr.grad(lambda x: block(x, w=3.0, scale=2.0))(0.5)
    assert cr.grad(lambda x: cr.checkpoint(block)(x, w=3.0, scale=2.0))(0.5) == pytest.approx(ref)
    ref_w = cr.grad(lambda w: block(0.5, w=w))(3.0)
    assert cr.grad(lambda w: cr.checkpoint(block)(0.5, w=w))(3.0) == pytest.approx(ref_w)
    assert cr.jvp(lambda w: cr.checkpoint(block)(0.5, w=w), (3.0,), (1.0,))[1] == pytest.approx(
        ref_w
    )


def test_checkpoint_accepts_jax_keywords():
    f = lambda x, n: x**n
    assert cr.grad(cr.checkpoint(f, prevent_cse=False), argnums=0)(2.0, 3.0) == 12.0
    g = cr.checkpoint(f, static_argnums=(1,))
    assert cr.grad(lambda x: g(x, 3.0))(2.0) == 12.0
    assert cr.grad(cr.checkpoint(static_argnums=1)(f))(2.0, 3.0) == 12.0


# -- custom_jvp with several outputs, nested ------------------------------------------------
@cr.custom_jvp
def sincos(x):
    return cnp.sin(x), cnp.cos(x)


@sincos.defjvp
def _sincos_jvp(primals, tangents):
    (x,), (t,) = primals, tangents
    return sincos(x), (cnp.cos(x) * t, -cnp.sin(x) * t)


def test_custom_jvp_with_several_outputs_nests():
    x = 0.5
    f = lambda x: sincos(x)[0] * sincos(x)[1]  # sin(2x)/2: f'' = -2 sin 2x
    assert cr.hessian(f)(x) == pytest.approx(-2 * np.sin(2 * x))
    assert cr.grad(cr.grad(f))(x) == pytest.approx(-2 * np.sin(2 * x))
    assert cr.jacfwd(cr.jacrev(lambda x: sincos(x)[1]))(x) == pytest.approx(-np.cos(x))


# -- shapes of what the rules return --------------------------------------------------------
def test_custom_jvp_scalar_zero_tangent_is_broadcast_to_the_output():
    @cr.custom_jvp
    def floor(x):
        return cnp.floor(x)

    floor.defjvp(lambda p, t: (floor(*p), 0.0))
    x = np.array([0.5, 1.5])
    np.testing.assert_array_equal(cr.grad(lambda x: cnp.sum(floor(x)))(x), [0.0, 0.0])
    _, t = cr.jvp(floor, (x,), (np.ones(2),))
    np.testing.assert_array_equal(t, [0.0, 0.0])


def test_custom_jvp_tangent_of_the_wrong_shape_is_a_clear_error():
    @cr.custom_jvp
    def f(x):
        return x * 2.0

    f.defjvp(lambda p, t: (f(*p), t[0][:1]))
    with pytest.raises(ValueError, match=r"tangent of output 0 has shape \(1,\).*\(2,\)"):
        cr.jvp(f, (np.ones(2),), (np.ones(2),))


def test_custom_vjp_cotangent_of_the_wrong_shape_is_a_clear_error():
    f = lambda x, y: cnp.sum(scaled_sin(x, y))  # bwd doesn't sum g for the scalar x
    with pytest.raises(ValueError, match=r"argument 0 has shape \(2,\).*shape \(\)"):
        cr.grad(f)(2.0, np.arange(2.0))


def test_custom_vjp_wrong_number_of_cotangents_says_how_many():
    @cr.custom_vjp
    def f(x, y):
        return x * y

    f.defvjp(lambda x, y: (f(x, y), None), lambda r, g: (g,))
    with pytest.raises(TypeError, match=r"one cotangent per argument \(2\), got a tuple of 1"):
        cr.grad(f)(1.0, 2.0)


# -- nondiff_argnums (JAX's meaning) --------------------------------------------------------
def test_custom_vjp_nondiff_argnums_passes_static_arguments_to_bwd_first():
    @functools.partial(cr.custom_vjp, nondiff_argnums=(0,))
    def apply(f, x):
        return f(x)

    apply.defvjp(lambda f, x: (apply(f, x), x), lambda f, x, g: (g * cr.grad(f)(x),))
    assert cr.grad(lambda x: apply(cnp.sin, x))(0.5) == pytest.approx(np.cos(0.5))
    assert cr.grad(cr.grad(lambda x: apply(cnp.sin, x)))(0.5) == pytest.approx(-np.sin(0.5))

    @functools.partial(cr.custom_vjp, nondiff_argnums=(1,))
    def power(x, n):
        return x**n

    power.defvjp(lambda x, n: (power(x, n), x), lambda n, x, g: (g * n * x ** (n - 1),))
    assert cr.grad(power)(2.0, 3.0) == 12.0  # a float in nondiff_argnums stays static


def test_custom_jvp_nondiff_argnums_passes_static_arguments_to_the_rule_first():
    @functools.partial(cr.custom_jvp, nondiff_argnums=(0,))
    def apply(f, x):
        return f(x)

    @apply.defjvp
    def _(f, primals, tangents):
        (x,), (t,) = primals, tangents
        return apply(f, x), cr.grad(f)(x) * t

    assert cr.jvp(lambda x: apply(cnp.sin, x), (0.5,), (2.0,))[1] == pytest.approx(2 * np.cos(0.5))
    assert cr.grad(lambda x: apply(cnp.sin, x))(0.5) == pytest.approx(np.cos(0.5))
    assert cr.hessian(lambda x: apply(cnp.sin, x))(0.5) == pytest.approx(-np.sin(0.5))


def test_differentiating_a_static_argument_is_an_error_not_a_dropped_derivative():
    @functools.partial(cr.custom_vjp, nondiff_argnums=(1,))
    def power(x, n):
        return x**n

    power.defvjp(lambda x, n: (power(x, n), x), lambda n, x, g: (g * n * x ** (n - 1),))
    with pytest.raises(TypeError, match="argument 1 is in nondiff_argnums"):
        cr.grad(lambda a: power(a, a))(2.0)
    block = cr.checkpoint(lambda x, n: x**n, static_argnums=1)
    with pytest.raises(TypeError, match="argument 1 is in static_argnums"):
        cr.grad(lambda a: block(a, a))(2.0)


def test_custom_jvp_defjvps_one_rule_per_argument():
    @cr.custom_jvp
    def f(x, y):
        return cnp.sin(x) * y

    f.defjvps(lambda tx, ans, x, y: cnp.cos(x) * tx * y, lambda ty, ans, x, y: cnp.sin(x) * ty)
    gx, gy = cr.grad(f, (0, 1))(0.5, 2.0)
    assert (gx, gy) == (pytest.approx(2 * np.cos(0.5)), pytest.approx(np.sin(0.5)))
    assert cr.jvp(f, (0.5, 2.0), (1.0, 1.0))[1] == pytest.approx(2 * np.cos(0.5) + np.sin(0.5))
    assert cr.hessian(f)(0.5, 2.0) == pytest.approx(-2 * np.sin(0.5))

    @cr.custom_jvp
    def power(x, n):
        return x**n

    power.defjvps(lambda t, ans, x, n: n * x ** (n - 1) * t, None)  # None: no dependence
    assert cr.grad(power)(2.0, 3.0) == 12.0
    assert cr.grad(power, 1)(2.0, 3.0) == 0.0


def test_symbolic_zeros_is_refused_clearly():
    f = cr.custom_vjp(lambda x: x)
    with pytest.raises(NotImplementedError, match="symbolic_zeros"):
        f.defvjp(lambda x: (x, None), lambda r, g: (g,), symbolic_zeros=True)
    f.defvjp(lambda x: (x, None), lambda r, g: (2 * g,), optimize_remat=False)
    assert cr.grad(f)(1.0) == 2.0
