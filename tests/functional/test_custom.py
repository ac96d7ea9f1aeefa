"""custom_vjp, custom_jvp and stop_gradient: the rules are used in both modes and at
every order; keyword arguments, defaults, ``nondiff_argnums``, several outputs; rules
that return the wrong thing are named clearly."""

import functools

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp


# -- stop_gradient ---------------------------------------------------------------------
def test_stop_gradient():
    f = lambda x: cr.stop_gradient(x) * x
    assert cr.grad(f)(3.0) == pytest.approx(3.0)
    t = cr.tensor(2.0, requires_grad=True)
    assert not cr.stop_gradient(t).requires_grad


def test_stop_gradient_stops_every_leaf_of_a_pytree():
    # d/dx sum(sg(x) * x) = sg(x): 1, not 2 (every leaf of the dict is stopped)
    g = cr.grad(lambda d: cnp.sum(cr.stop_gradient(d)["a"] * d["a"]))({"a": np.ones(2)})
    np.testing.assert_array_equal(g["a"], [1.0, 1.0])
    assert cr.grad(lambda x: cr.stop_gradient((x, [x]))[1][0] * x)(3.0) == 3.0
    assert cr.jvp(lambda x: cr.stop_gradient({"x": x})["x"] * x, (3.0,), (1.0,))[1] == 3.0
    assert cr.stop_gradient({"a": 1.0, "b": None}) == {"a": 1.0, "b": None}


# -- custom_vjp ------------------------------------------------------------------------
@cr.custom_vjp
def clip_grad_identity(x):
    return x


def _fwd(x):
    return x, None


def _bwd(res, g):
    return (cnp.clip(g, -1.0, 1.0),)


clip_grad_identity.defvjp(_fwd, _bwd)


def test_custom_vjp_is_used_in_reverse_mode():
    assert cr.grad(lambda x: 5.0 * clip_grad_identity(x))(2.0) == pytest.approx(1.0)
    assert cr.grad(lambda x: 0.5 * clip_grad_identity(x))(2.0) == pytest.approx(0.5)
    # forward mode falls back to differentiating the function itself
    assert cr.jvp(lambda x: 5.0 * clip_grad_identity(x), (2.0,), (1.0,))[1] == pytest.approx(5.0)


@cr.custom_vjp
def log1pexp(x):
    return cnp.log1p(cnp.exp(x))


def _l_fwd(x):
    return log1pexp(x), x


def _l_bwd(x, g):
    return (g * (1.0 - 1.0 / (1.0 + cnp.exp(x))),)


log1pexp.defvjp(_l_fwd, _l_bwd)


def test_custom_vjp_stable_and_second_order():
    # The forward, log1p(exp(1000)), overflows to inf as it does in NumPy (the user's
    # computation, so its warning is expected here); the rule's gradient is exact.
    with np.errstate(over="ignore"):
        assert cr.grad(log1pexp)(1000.0) == pytest.approx(1.0)
    x = 0.3
    s = 1 / (1 + np.exp(-x))
    assert cr.grad(cr.grad(log1pexp))(x) == pytest.approx(s * (1 - s))
    t = cr.tensor(0.3, requires_grad=True)
    log1pexp(t).backward()
    assert t.grad.item() == pytest.approx(s)


def test_custom_vjp_without_defvjp_is_an_error():
    f = cr.custom_vjp(lambda x: x)
    with pytest.raises(TypeError, match="defvjp"):
        cr.grad(f)(1.0)


@cr.custom_vjp
def scaled_sin(x, y):
    return x * cnp.sin(y)


scaled_sin.defvjp(
    lambda x, y: (scaled_sin(x, y), (x, y)),
    lambda res, g: (g * cnp.sin(res[1]), g * res[0] * cnp.cos(res[1])),
)


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


# -- custom_jvp ------------------------------------------------------------------------
@cr.custom_jvp
def safe_softplus(x):
    return cnp.log1p(cnp.exp(x))


@safe_softplus.defjvp
def _softplus_jvp(primals, tangents):
    (x,), (t,) = primals, tangents
    return safe_softplus(x), t / (1.0 + cnp.exp(-x))


def test_custom_jvp_in_both_modes_and_nested():
    x = 0.4
    s = 1 / (1 + np.exp(-x))
    assert cr.jvp(safe_softplus, (x,), (2.0,))[1] == pytest.approx(2 * s)
    assert cr.grad(safe_softplus)(x) == pytest.approx(s)
    with np.errstate(over="ignore"):  # the forward overflows to inf, as in NumPy
        assert cr.grad(safe_softplus)(1000.0) == pytest.approx(1.0)
    assert cr.grad(cr.grad(safe_softplus))(x) == pytest.approx(s * (1 - s))


@cr.custom_jvp
def product(x, y):
    return x * y


@product.defjvp
def _product_jvp(primals, tangents):
    (x, y), (tx, ty) = primals, tangents
    return product(x, y), tx * y + x * ty


def test_custom_jvp_resolves_keyword_arguments_to_positions():
    assert cr.grad(lambda x: product(x, y=0.5))(2.0) == 0.5
    assert cr.jvp(lambda y: product(2.0, y=y), (0.5,), (1.0,))[1] == 2.0


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


# -- both ------------------------------------------------------------------------------
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


def test_symbolic_zeros_is_refused_clearly():
    f = cr.custom_vjp(lambda x: x)
    with pytest.raises(NotImplementedError, match="symbolic_zeros"):
        f.defvjp(lambda x: (x, None), lambda r, g: (g,), symbolic_zeros=True)
    f.defvjp(lambda x: (x, None), lambda r, g: (2 * g,), optimize_remat=False)
    assert cr.grad(f)(1.0) == 2.0
