"""Focused checks of the elementwise family beyond the sweep: NumPy's signatures of
``where``/``clip``, plain Python numbers as primals, and the infinite corners of
``logaddexp``."""

from __future__ import annotations

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp
import chainrule.scipy.special as cs

X = np.array([-1.0, 0.5, 2.0])


# -- where and clip with NumPy's signatures ------------------------------------------------
def test_where_with_the_condition_alone_is_nonzero():
    got = cnp.where(X > 0)
    want = np.where(X > 0)
    assert len(got) == len(want) and all(np.array_equal(g, w) for g, w in zip(got, want))
    with pytest.raises(ValueError, match="both or neither"):
        cnp.where(X > 0, X)


@pytest.mark.parametrize(
    "kwargs",
    [{"a_min": 0.0, "a_max": 1.0}, {"min": 0.0}, {"max": 1.0}, {"min": 0.0, "max": 1.0}, {}],
    ids=["a_min-a_max", "min", "max", "min-max", "none"],
)
def test_clip_takes_numpys_keywords(kwargs):
    np.testing.assert_array_equal(cnp.clip(X, **kwargs), np.clip(X, **kwargs))
    g = cr.grad(lambda x: cnp.sum(cnp.clip(x, **kwargs) * np.array([1.0, 2.0, 3.0])))(X)
    lo, hi = kwargs.get("a_min", kwargs.get("min")), kwargs.get("a_max", kwargs.get("max"))
    inside = (X >= (-np.inf if lo is None else lo)) & (X <= (np.inf if hi is None else hi))
    np.testing.assert_array_equal(g, np.where(inside, [1.0, 2.0, 3.0], 0.0))


def test_clip_rejects_what_numpy_rejects():
    with pytest.raises(TypeError, match="a_max"):
        cnp.clip(X, 0.0)
    with pytest.raises(ValueError):
        cnp.clip(X, 0.0, 1.0, min=0.0)
    with pytest.raises(TypeError, match="out"):
        cnp.clip(X, 0.0, 1.0, out=np.empty(3))
    with pytest.raises(TypeError, match="casting"):
        cnp.clip(X, 0.0, 1.0, casting="unsafe")
    assert cnp.clip(X, 0, 1, dtype=np.float32).dtype == np.float32


# -- plain Python numbers as primals: NumPy's inf, never ZeroDivisionError -----------------
@pytest.mark.parametrize(
    "fun, x, want",
    [
        (cnp.log, 0.0, np.inf),
        (cnp.log2, 0.0, np.inf),
        (cnp.log10, 0.0, np.inf),
        (cnp.log1p, -1.0, np.inf),
        (cnp.arctanh, 1.0, np.inf),
        (lambda x: x / 0, 1.0, np.inf),
        (lambda x: cnp.divide(x, 0.0), 1.0, np.inf),
        (lambda x: cnp.mod(2.0, x), 0.0, None),
        (cs.logit, 0.0, np.inf),
        (cs.logit, 1.0, np.inf),
    ],
    ids=[
        "log",
        "log2",
        "log10",
        "log1p",
        "arctanh",
        "div-int0",
        "divide",
        "mod",
        "logit0",
        "logit1",
    ],
)
def test_python_float_primal_at_a_pole(fun, x, want):
    with np.errstate(all="ignore"):  # NumPy's forward warns at the pole too
        g = cr.grad(fun)(x)
        _, t = cr.jvp(fun, (x,), (1.0,))
    if want is not None:
        assert g == want and t == want


def test_where_guard_with_python_float_at_the_pole():
    # the untaken branch of a where must not poison the gradient, with log at exactly 0
    # given as a Python float (whose forward warns, as NumPy's does)
    with np.errstate(divide="ignore"):
        assert cr.grad(lambda x: cnp.where(x > 0, cnp.log(x), 0.0))(0.0) == 0.0
        assert cr.grad(lambda x: cnp.where(x > 0, 1.0 / x, 0.0))(0.0) == 0.0


def test_mean_and_var_of_no_entries_differentiate_without_zero_division():
    with np.errstate(invalid="ignore"):  # 0/0, as in NumPy's own mean and var
        g = cr.grad(lambda x: cnp.sum(cnp.mean(x, axis=0)))(np.zeros((0, 2)))
        assert g.shape == (0, 2)
        assert np.isnan(cr.grad(lambda x: cnp.var(x, ddof=1))(np.ones(1))).all()


def test_logit_of_python_floats_matches_scipy():
    scipy_special = pytest.importorskip("scipy.special")
    for p in (0.0, 0.3, 1.0, 1):
        np.testing.assert_allclose(cs.logit(p), scipy_special.logit(p), rtol=1e-15)


# -- logaddexp where both sides are infinite --------------------------------------------------
@pytest.mark.parametrize("fun", [cnp.logaddexp, cnp.logaddexp2], ids=["e", "2"])
@pytest.mark.parametrize(
    "x, y, want",
    [
        (-np.inf, -np.inf, [0.5, 0.5]),
        (np.inf, np.inf, [0.5, 0.5]),
        (np.inf, 3.0, [1.0, 0.0]),
        (-np.inf, 3.0, [0.0, 1.0]),
    ],
)
def test_logaddexp_at_infinity_splits_like_max(fun, x, y, want):
    # NumPy's forward does not warn here, and neither may the rules
    g = cr.grad(lambda v: fun(v[0], v[1]))(np.array([x, y]))
    _, t = cr.jvp(lambda v: fun(v[0], v[1]), (np.array([x, y]),), (np.array([1.0, 0.0]),))
    np.testing.assert_array_equal(g, want)
    assert t == want[0]


def test_logaddexp_second_derivative_still_checks_out():
    cr.check_grads(lambda v: cnp.logaddexp(v[0], v[1]), (np.array([0.3, -1.2]),), order=2)


# -- imag of a real input is a real constant ------------------------------------------------
def test_imag_of_real_input_has_a_real_zero_derivative():
    h = cr.hessian(lambda x: cnp.sum(cnp.imag(x) + x * x))(np.ones(2))
    assert h.dtype == np.float64
    np.testing.assert_array_equal(h, 2 * np.eye(2))


@pytest.mark.parametrize(
    "call",
    [
        lambda: cnp.sin(X, out=np.empty(3)),
        lambda: cnp.add(X, X, dtype=np.float32),
        lambda: cr.grad(lambda x: cnp.sum(cnp.exp(x, where=x > 0)))(X),
        lambda: cnp.floor(X, out=X),
    ],
    ids=["sin-out", "add-dtype", "exp-where-traced", "floor-out"],
)
def test_unsupported_ufunc_keywords_name_the_function(call):
    with pytest.raises(TypeError, match=r"chainrule\.numpy\.\w+\(\) got an unexpected keyword"):
        call()


# -- x ** 0 is the constant 1 -------------------------------------------------------------------
def test_power_zero_exponent_at_zero_base_has_zero_derivative():
    for fun in (lambda x: x**0, lambda x: cnp.power(x, 0.0), lambda x: cnp.float_power(x, 0)):
        assert cr.grad(fun)(0.0) == 0.0
        assert cr.jvp(fun, (0.0,), (1.0,))[1] == 0.0
        assert cr.grad(cr.grad(fun))(0.0) == 0.0
    g = cr.grad(lambda x: cnp.sum(cnp.power(x, np.array([0.0, 1.0, 2.0]))))(np.zeros(3))
    np.testing.assert_array_equal(g, [0.0, 1.0, 0.0])
    # away from x = 0 the mixed derivative in the exponent is untouched
    cr.check_grads(cnp.power, (np.array([0.5, 2.0]), np.array([0.0, 1.5])), order=2)


# -- sinc near 0, where its derivative formula cancels ------------------------------------------
@pytest.mark.parametrize("x", [0.0, 1e-9, -1e-5])
def test_sinc_second_derivative_at_and_near_zero(x):
    # sinc x = 1 - (pi x)²/6 + ...: sinc'(x) ≈ -pi² x / 3, sinc''(0) = -pi²/3
    np.testing.assert_allclose(cr.grad(cnp.sinc)(x), -(np.pi**2) * x / 3, rtol=1e-9, atol=1e-300)
    np.testing.assert_allclose(cr.grad(cr.grad(cnp.sinc))(x), -(np.pi**2) / 3, rtol=1e-8)
    assert cr.grad(cr.grad(cr.grad(cnp.sinc)))(0.0) == 0.0


def test_sinc_derivatives_agree_across_the_series_switch():
    cr.check_grads(cnp.sinc, (np.array([0.0999, 0.1, 0.1001, -0.0999, 0.05, 0.7]),), order=3)
