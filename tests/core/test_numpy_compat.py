"""NumPy idioms that autograd users rely on: index tricks, integer casts, nan_to_num,
and check_grads's argnum."""

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp


def test_r_and_c_concatenate_traced_pieces():
    c = np.arange(6.0).reshape(3, 2)
    f = lambda x: cnp.sum(cnp.r_[x, c, x] ** 2)
    x = np.ones((3, 2))
    np.testing.assert_allclose(cr.grad(f)(x), 4 * x)
    g = lambda x: cnp.c_[x, c, x]
    assert g(x).shape == (3, 6)
    cr.check_grads(g, (x,), order=1)
    v = np.array([1.0, 2.0])
    assert cnp.r_[cnp.sin(v), 1:3].shape == (4,)
    cr.check_grads(lambda v: cnp.r_[v, 0:3] * 2.0, (v,), order=1)
    np.testing.assert_array_equal(cnp.r_[1:4], np.r_[1:4])


def test_integer_cast_of_traced_value_is_allowed():
    def f(w):
        idx = np.int64(w[:, -1])  # integer values carry no gradient
        return cnp.sum(w[idx, 0] * 2.0)

    w = np.array([[1.0, 0.5], [2.0, 1.5], [3.0, 0.2]])
    # idx = [0, 1, 0]: row 0 is picked twice
    np.testing.assert_allclose(cr.grad(f)(w), [[4, 0], [2, 0], [0, 0]])
    with pytest.raises(TypeError, match="drop its gradient"):
        cr.grad(lambda w: np.asarray(w, dtype=float).sum())(w)


def test_nan_to_num_gradient():
    y = np.array([0.0, np.nan, np.inf, -np.inf])
    g = cr.grad(lambda x: cnp.sum(cnp.sin(cnp.nan_to_num(x + y))))(np.zeros(4))
    np.testing.assert_allclose(g, [1.0, 0.0, 0.0, 0.0])


def test_check_grads_argnum():
    cr.check_grads(cnp.append, argnum=(0, 1))([1.0, 2.0, 3.0], 4.0)
    cr.check_grads(lambda x, n: x**n, (2.0, 3), argnum=0)
