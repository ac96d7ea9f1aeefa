"""Indexing: repeated indices and masks (first and second order), traced and Tensor index
arrays, the functional ``index_update``/``index_add``, ``Tensor.__setitem__``, and the
errors for bad indices."""

from __future__ import annotations

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp
from chainrule.primitives import indexing


def test_repeated_indices_accumulate():
    g = cr.grad(lambda x: cnp.sum(x[np.array([0, 0, 3, 0])] * np.array([1.0, 2.0, 3.0, 4.0])))(
        np.zeros(4)
    )
    np.testing.assert_array_equal(g, [7.0, 0.0, 0.0, 3.0])


def test_repeated_indices_second_order():
    # f = sum(x[idx]^3): the Hessian is diagonal with 6 x_i times the multiplicity
    idx = np.array([1, 1, 2])
    x = np.array([0.5, -1.0, 2.0])
    h = cr.hessian(lambda x: cnp.sum(x[idx] ** 3))(x)
    np.testing.assert_allclose(h, np.diag(6 * x * np.array([0, 2, 1])))


def test_boolean_mask_gradient():
    x = np.array([[1.0, -2.0], [-3.0, 4.0]])
    g = cr.grad(lambda x: cnp.sum(x[x > 0] ** 2))(x)
    np.testing.assert_array_equal(g, np.where(x > 0, 2 * x, 0.0))


def test_traced_and_tensor_index_arrays_are_unboxed():
    x = np.array([10.0, 20.0, 30.0])
    idx = cr.tensor([2, 0])
    np.testing.assert_array_equal(cr.grad(lambda x: cnp.sum(x[idx]))(x), [1.0, 0.0, 1.0])
    t = cr.tensor(x, requires_grad=True)
    cnp.sum(t[idx] * t[[1, 1]]).backward()
    np.testing.assert_array_equal(t.grad.numpy(), [20.0, 40.0, 20.0])


def test_index_update_gradients():
    x = np.arange(6.0).reshape(2, 3)
    v = np.array([7.0, 8.0])

    def f(x, v):
        y = cnp.index_update(x, (slice(None), 1), v)
        return cnp.sum(y * np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]))

    gx, gv = cr.grad(f, argnums=(0, 1))(x, v)
    np.testing.assert_array_equal(gx, [[1.0, 0.0, 3.0], [4.0, 0.0, 6.0]])
    np.testing.assert_array_equal(gv, [2.0, 5.0])


def test_tensor_setitem_records_index_update():
    w = cr.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = w * 2.0
    y[1] = w[0] * 10.0
    cnp.sum(y).backward()
    np.testing.assert_array_equal(w.grad.numpy(), [12.0, 0.0, 2.0])


def test_index_add_accumulates():
    x = np.zeros(3)
    out = cnp.index_add(x, [0, 0, 2], np.array([1.0, 2.0, 3.0]))
    np.testing.assert_array_equal(out, [3.0, 0.0, 3.0])
    g = cr.grad(lambda v: cnp.sum(cnp.index_add(x, [0, 0, 2], v) ** 2))(np.array([1.0, 2.0, 3.0]))
    np.testing.assert_array_equal(g, [6.0, 6.0, 6.0])


def test_index_errors():
    with pytest.raises(IndexError):
        cr.grad(lambda x: cnp.sum(x[5]))(np.ones(3))
    with pytest.raises(IndexError, match="valid indices"):
        indexing.getitem(np.ones(3), [0.5])
    with pytest.raises(ValueError, match=r"shape \(4,\).*shape \(3,\)"):
        cnp.index_update(np.ones((2, 3)), 0, np.ones(4))
    with pytest.raises(ValueError, match="dims"):
        cnp.take_along_axis(np.ones((2, 3)), np.zeros(3, int), 1)
