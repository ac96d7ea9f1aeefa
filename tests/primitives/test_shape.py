"""Shape manipulation and ordering: gradients are ordinary writable arrays, nested lists
of traced values become arrays, memory-order flattening follows NumPy, ``sort`` routes
the gradient through its permutation, and the errors for bad shapes."""

from __future__ import annotations

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp
from chainrule.primitives.shape import as_operand


def test_broadcast_to_and_gradients_are_writable():
    g = cr.grad(lambda x: cnp.sum(cnp.broadcast_to(x, (3, 2))))(np.array([1.0, 2.0]))
    np.testing.assert_array_equal(g, [3.0, 3.0])
    g += 1.0  # a gradient is an ordinary array
    out = cnp.broadcast_to(np.ones(2), (2, 2))
    out[0, 0] = 5.0


def test_stack_of_traced_list_and_shape_helpers():
    f = lambda x: cnp.stack([x, 2 * x, x * x])
    np.testing.assert_allclose(cr.jacfwd(f)(3.0), [1.0, 2.0, 6.0])
    assert cnp.shape(cr.tensor(np.ones((2, 3)))) == (2, 3)
    assert cnp.ndim(np.ones((2, 3))) == 2 and cnp.size(np.ones((2, 3)), axis=1) == 3


def test_as_operand_leaves_plain_input_alone():
    a = [1.0, 2.0]
    assert as_operand(a) is a


_BASE = np.arange(24.0).reshape(2, 3, 4)


@pytest.mark.parametrize(
    "x",
    [_BASE, _BASE.T, _BASE.transpose(1, 0, 2), _BASE[:, ::-1], np.asfortranarray(_BASE)],
    ids=["C", "T", "permuted", "negative-step", "F"],
)
def test_ravel_and_reshape_orders_follow_the_layout_like_numpy(x):
    for order in "CFAK":
        np.testing.assert_array_equal(cnp.ravel(x, order), np.ravel(x, order))
    for order in "CFA":
        np.testing.assert_array_equal(cnp.reshape(x, -1, order), np.reshape(x, -1, order=order))
    # traced: the values (views made by the ops) have the same layouts as NumPy's
    w = np.arange(24.0)
    g = cr.grad(lambda v: cnp.sum(cnp.ravel(v.T, "K") * w))(_BASE)
    np.testing.assert_array_equal(g.T.ravel("K"), w)


def test_sort_routes_gradient_through_the_permutation():
    x = np.array([3.0, -1.0, 2.0])
    g = cr.grad(lambda x: cnp.sum(cnp.sort(x) * np.array([1.0, 10.0, 100.0])))(x)
    np.testing.assert_array_equal(g, [100.0, 1.0, 10.0])
    assert cr.grad(lambda x: cnp.sum(cnp.argsort(x) * x))(x).tolist() == [1.0, 2.0, 0.0]


@pytest.mark.parametrize(
    "call, err, match",
    [
        (lambda: cnp.broadcast_to(np.ones(3), (2, 4)), ValueError, r"\(3,\) to \(2, 4\)"),
        (lambda: cnp.reshape(np.ones(6), (4, -1)), ValueError, r"shape \(6,\)"),
        (lambda: cnp.reshape(np.ones(6), (-1, -1)), ValueError, "one unknown"),
        (lambda: cnp.squeeze(np.ones((2, 1)), axis=0), ValueError, "not one"),
        (lambda: cnp.transpose(np.ones((2, 3)), (0, 0)), ValueError, "axes"),
        (lambda: cnp.swapaxes(np.ones((2, 3)), 0, 2), np.exceptions.AxisError, "axis 2"),
    ],
)
def test_bad_arguments_raise_clearly(call, err, match):
    with pytest.raises(err, match=match):
        call()
