"""Array creation and the index tricks on traced values: ``meshgrid`` (sparse,
tuple result, nested traces), ``r_``/``c_`` (NumPy's dtype for Python numbers),
``array``'s ``ndmin``, and the ``*_like`` constants."""

from __future__ import annotations

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp

X = np.array([1.0, 2.0, 3.0])


@pytest.mark.parametrize(
    "kwargs", [{}, {"indexing": "ij"}, {"sparse": True}, {"sparse": True, "indexing": "ij"}]
)
def test_meshgrid_traced_matches_numpy_and_nests(kwargs):
    out, _ = cr.jvp(lambda x: cnp.meshgrid(x, x[:2], np.ones(4), **kwargs), (X,), (X,))
    want = np.meshgrid(X, X[:2], np.ones(4), **kwargs)
    assert isinstance(out, tuple)
    for got, ref in zip(out, want, strict=True):
        assert got.shape == ref.shape
        np.testing.assert_array_equal(got, ref)
    cr.check_grads(lambda x: cnp.meshgrid(x, x[:2] * 2.0, **kwargs), (X,), order=2)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(
    "build",
    [
        lambda m, x: m.r_[x, 3.0],
        lambda m, x: m.r_[x, 3, True],
        lambda m, x: m.r_[x, 0:3],
        lambda m, x: m.r_[x, np.float64(2.0)],
        lambda m, x: m.c_[x, x],
    ],
    ids=["float", "int-bool", "slice", "numpy-scalar", "c_"],
)
def test_index_tricks_keep_numpys_dtype(build, dtype):
    x = X.astype(dtype)
    out, _ = cr.jvp(lambda v: build(cnp, v), (x,), (x,))
    want = build(np, x)
    assert out.dtype == want.dtype
    np.testing.assert_array_equal(out, want)
    cr.check_grads(lambda v: build(cnp, v), (X,), order=2)


@pytest.mark.parametrize(
    "build",
    [
        lambda m, x: m.array(x, ndmin=3),
        lambda m, x: m.array([x, x], ndmin=4),
        lambda m, x: m.array(x[0], ndmin=1),
        lambda m, x: m.asarray(x, dtype=np.float32),
    ],
    ids=["ndmin-array", "ndmin-list", "ndmin-scalar", "asarray-dtype"],
)
def test_array_of_traced_values_takes_ndmin(build):
    out, _ = cr.jvp(lambda v: build(cnp, v), (X,), (X,))
    want = build(np, X)
    assert out.shape == want.shape and out.dtype == want.dtype
    np.testing.assert_array_equal(out, want)


def test_zeros_like_of_traced_value_is_constant():
    g = cr.grad(lambda x: cnp.sum(x * 2.0 + cnp.zeros_like(x) + cnp.ones_like(x)))(np.ones(2))
    np.testing.assert_array_equal(g, [2.0, 2.0])
    assert isinstance(cnp.zeros_like(cr.tensor([1.0, 2.0])), cr.Tensor)


def test_full_like_with_traced_fill_keeps_gradient():
    g = cr.grad(lambda v: cnp.sum(cnp.full_like(np.ones((2, 3)), v)))(1.5)
    assert g == 6.0
