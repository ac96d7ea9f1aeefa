"""Sorting: values, and where the gradient of a sorted copy goes."""

import numpy as np

import chainrule as cr
import chainrule.numpy as cnp
from tests.backends.recording import to_device
from tests.backends.test_recording_sweep import RECORDER


def test_sort_of_untraced_values_is_numpys_sort():
    """Untraced values are sorted directly (no argsort and gather), with NumPy's answer
    for every axis, NaNs last; the gradient goes back to where each value came from."""
    x = np.array([[3.0, np.nan, -1.0, 2.0], [0.0, -0.5, 5.0, np.nan]])
    for axis in (-1, 0, None):
        np.testing.assert_array_equal(cnp.sort(x, axis=axis), np.sort(x, axis=axis))
    assert type(cnp.sort(x)) is np.ndarray
    g = cr.grad(lambda v: cnp.sum(cnp.sort(v) * np.arange(4.0)))(np.array([3.0, 1.0, 2.0, 0.0]))
    np.testing.assert_array_equal(g, [3.0, 1.0, 2.0, 0.0])


def test_traced_sort_sorts_values_and_finds_the_permutation_only_backward():
    """The forward of a traced sort is one sort of the values; the permutation is
    computed when the backward pass reaches it, and the cotangent is scattered by it
    (no gather in the forward, no sum over repeated indices in the backward)."""
    x = to_device(np.array([[3.0, -1.0, 2.0], [0.5, 4.0, -2.0]]))
    w = to_device(np.arange(6.0).reshape(2, 3))
    RECORDER.calls.clear()
    out, vjp_fn = cr.vjp(lambda v: cnp.sum(cnp.sort(v, axis=1) * w), x)
    assert "sort" in RECORDER.calls
    assert not {"argsort", "take_along_axis", "add"} & set(RECORDER.calls)
    RECORDER.calls.clear()
    (g,) = vjp_fn(np.float64(1.0))
    assert {"argsort", "put_along_axis"} <= set(RECORDER.calls)
    assert "add" not in RECORDER.calls
    np.testing.assert_array_equal(g, [[2.0, 0.0, 1.0], [4.0, 5.0, 3.0]])


def test_sort_jvp_and_ties():
    """The tangent is gathered in sorted order; tied values get one valid subgradient
    (each tied slot's cotangent reaches exactly one of the tied inputs)."""
    x = np.array([2.0, 1.0, 2.0, 0.0])
    _, t = cr.jvp(cnp.sort, (x,), (np.array([10.0, 20.0, 30.0, 40.0]),))
    np.testing.assert_array_equal(t[[0, 1]], [40.0, 20.0])
    assert sorted(t[2:]) == [10.0, 30.0]
    g = cr.grad(lambda v: cnp.sum(cnp.sort(v) * np.array([1.0, 2.0, 3.0, 4.0])))(x)
    assert g[3] == 1.0 and g[1] == 2.0 and sorted([g[0], g[2]]) == [3.0, 4.0]
