"""Transforms nest to any order, without perturbation confusion."""

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp


def test_perturbation_confusion_classic():
    # d/dx [ x * d/dy (x + y) ] = d/dx [x * 1] = 1 (a confused system gives 2)
    f = lambda x: x * cr.grad(lambda y: x + y)(1.0)
    assert cr.grad(f)(2.0) == pytest.approx(1.0)
    assert cr.jvp(f, (2.0,), (1.0,))[1] == pytest.approx(1.0)


def test_inner_derivative_of_outer_variable_is_zero():
    inner_const = lambda x: cr.grad(lambda y: x * 3.0)(1.0)
    assert inner_const(2.0) == 0.0
    assert cr.grad(lambda x: inner_const(x) + x)(2.0) == pytest.approx(1.0)


def test_high_order_derivatives():
    f = cnp.sin
    d = f
    expected = [np.sin, np.cos, lambda x: -np.sin(x), lambda x: -np.cos(x), np.sin]
    x = 0.7
    for k in range(5):
        assert d(x) == pytest.approx(expected[k](x))
        d = cr.grad(d)


@pytest.mark.parametrize("outer", [cr.jacfwd, cr.jacrev])
@pytest.mark.parametrize("inner", [cr.jacfwd, cr.jacrev])
def test_mixed_jacobians(outer, inner):
    f = lambda x: cnp.sum(cnp.exp(x) * x[::-1])
    x = np.array([0.1, 0.2, 0.3])
    H = outer(inner(f))(x)
    n = len(x)
    exp = np.zeros((n, n))
    for i in range(n):
        exp[i, i] += np.exp(x[i]) * x[n - 1 - i]
        exp[i, n - 1 - i] += np.exp(x[i])
        exp[n - 1 - i, i] += np.exp(x[i])
    np.testing.assert_allclose(H, exp, atol=1e-12)


def test_forward_over_reverse_matches_reverse_over_reverse():
    f = lambda x: cnp.sum(cnp.tanh(x) ** 3)
    x = np.array([0.2, -0.5])
    v = np.array([1.0, 2.0])
    fwd_rev = cr.jvp(cr.grad(f), (x,), (v,))[1]
    rev_rev = cr.grad(lambda x: cnp.dot(cr.grad(f)(x), v))(x)
    np.testing.assert_allclose(fwd_rev, rev_rev, atol=1e-12)


def test_grad_inside_grad_with_closure_over_both():
    # f(x) = d/dy [x y^2] at y = x -> 2 x^2; d/dx = 4x
    g = cr.grad(lambda x: cr.grad(lambda y: x * y**2)(x))
    assert g(3.0) == pytest.approx(12.0)


def test_leaked_tracer_is_an_error():
    leaked = []
    cr.grad(lambda x: leaked.append(x) or x * 2.0)(1.0)
    with pytest.raises(RuntimeError, match="escaped"):
        cnp.sin(leaked[0])
