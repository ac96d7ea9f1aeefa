"""Reductions with NumPy's keyword arguments (``where=``, ``initial=``, ``mean=``), on
0-d inputs with ``axis=0``, and on plain lists: forward against NumPy (value and
dtype, float32 included), gradients numerically."""

from __future__ import annotations

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp

X = np.array([[1.0, -2.0, 3.5], [0.5, 4.0, -1.0]])
MASK = np.array([[True, False, True], [False, True, True]])

CASES = [
    ("mean", {"where": MASK}),
    ("mean", {"where": MASK, "axis": 0}),
    ("mean", {"where": MASK[:1], "axis": 1, "keepdims": True}),
    ("nanmean", {"where": MASK}),
    ("nansum", {"where": MASK, "initial": 2.0}),
    ("var", {"where": MASK}),
    ("var", {"where": MASK, "axis": 1, "ddof": 1}),
    ("std", {"where": MASK, "axis": 0, "keepdims": True}),
    ("var", {"mean": np.mean(X, axis=1, keepdims=True), "axis": 1}),
    ("std", {"mean": np.full((1, 1), 0.5)}),
    ("max", {"where": MASK, "initial": -10.0}),
    ("min", {"where": MASK, "initial": 10.0, "axis": 1}),
    ("max", {"initial": 2.0, "axis": 0}),
    ("sum", {"where": MASK, "axis": -1}),
    ("prod", {"where": MASK, "axis": 0}),
]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name, kwargs", CASES, ids=[f"{n}-{'-'.join(k)}" for n, k in CASES])
def test_keyword_forms_match_numpy(name, kwargs, dtype):
    x = X.astype(dtype)
    got, want = getattr(cnp, name)(x, **kwargs), getattr(np, name)(x, **kwargs)
    assert np.asarray(got).dtype == np.asarray(want).dtype
    np.testing.assert_allclose(got, want, rtol=1e-6)
    if dtype == np.float64:
        cr.check_grads(lambda x: getattr(cnp, name)(x, **kwargs), (x,), order=2)
    else:
        assert cr.grad(lambda x: cnp.sum(getattr(cnp, name)(x, **kwargs)))(x).dtype == dtype


def test_masked_entries_get_no_gradient():
    for name in ("mean", "var", "std"):
        g = cr.grad(lambda x, n=name: getattr(cnp, n)(x, where=MASK))(X)
        assert np.all(g[~MASK] == 0)
    g = cr.grad(lambda x: cnp.max(x, where=MASK, initial=-10.0))(X)
    np.testing.assert_array_equal(g, (X == 4.0).astype(float))


def test_mean_argument_carries_its_own_gradient():
    m = np.array([[0.25]])
    g = cr.grad(lambda m: cnp.var(X, mean=m))(m)
    np.testing.assert_allclose(g, -2 * np.mean(X - m, keepdims=True))


def test_max_where_needs_initial_and_empty_max_with_initial():
    with pytest.raises(ValueError, match="initial"):
        cnp.max(X, where=MASK)
    empty = np.zeros((0, 3))
    for kwargs in ({"initial": 5.0}, {"initial": 5.0, "axis": 0}, {"initial": -1.0, "axis": 1}):
        got, want = cnp.max(empty, **kwargs), np.max(empty, **kwargs)
        assert np.shape(got) == np.shape(want)
        np.testing.assert_array_equal(got, want)
        g = cr.grad(lambda x, kw=kwargs: cnp.sum(cnp.max(x, **kw)))(empty)
        assert g.shape == empty.shape


@pytest.mark.parametrize(
    "name", ["sum", "prod", "max", "min", "amax", "ptp", "nansum", "all", "any", "argmax"]
)
@pytest.mark.parametrize("axis", [0, -1])
def test_ufunc_reductions_take_axis_0_on_a_scalar(name, axis):
    x = np.array(1.5)
    got, want = getattr(cnp, name)(x, axis=axis), getattr(np, name)(x, axis=axis)
    assert np.shape(got) == np.shape(want) and np.asarray(got).dtype == np.asarray(want).dtype
    np.testing.assert_array_equal(got, want)
    if name not in ("all", "any", "argmax"):
        assert cr.grad(lambda x: getattr(cnp, name)(x, axis=axis))(1.5) == float(name != "ptp")


@pytest.mark.parametrize("name", ["var", "std", "nansum", "nanmean", "mean", "ptp"])
@pytest.mark.parametrize("value", [[1.0, 2.5, 4.0], [[1, 2], [3, 5]]], ids=["floats", "ints"])
def test_plain_lists(name, value):
    got, want = getattr(cnp, name)(value), getattr(np, name)(value)
    assert np.asarray(got).dtype == np.asarray(want).dtype
    np.testing.assert_allclose(got, want)


def test_nanmean_float32_stays_float32():
    x = np.array([1.0, np.nan, 2.0], np.float32)
    assert cnp.nanmean(x).dtype == np.float32
    assert cnp.nanmean(x, where=np.array([True, True, False])).dtype == np.float32
