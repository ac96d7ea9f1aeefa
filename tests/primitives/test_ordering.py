"""Sorting: values, and where the gradient of a sorted copy goes."""

import numpy as np

import chainrule as cr
import chainrule.numpy as cnp


def test_sort_of_untraced_values_is_numpys_sort():
    """Untraced values are sorted directly (no argsort and gather), with NumPy's answer
    for every axis, NaNs last; traced values still get the gradient of the gather."""
    x = np.array([[3.0, np.nan, -1.0, 2.0], [0.0, -0.5, 5.0, np.nan]])
    for axis in (-1, 0, None):
        np.testing.assert_array_equal(cnp.sort(x, axis=axis), np.sort(x, axis=axis))
    assert type(cnp.sort(x)) is np.ndarray
    g = cr.grad(lambda v: cnp.sum(cnp.sort(v) * np.arange(4.0)))(np.array([3.0, 1.0, 2.0, 0.0]))
    np.testing.assert_array_equal(g, [3.0, 1.0, 2.0, 0.0])
