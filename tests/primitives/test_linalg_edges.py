"""Linear algebra at its edges: the gradient of ``det`` at singular matrices, NumPy's
result dtypes for integer and float32 inputs, and singular ``cond``."""

from __future__ import annotations

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp

L = cnp.linalg


def _numerical_grad(f, a, eps=1e-6):
    g = np.zeros_like(a)
    for idx in np.ndindex(a.shape):
        d = np.zeros_like(a)
        d[idx] = eps
        g[idx] = (f(a + d) - f(a - d)) / (2 * eps)
    return g


@pytest.mark.parametrize(
    "a",
    [
        np.array([[1.0, 2.0], [2.0, 4.0]]),
        np.arange(1.0, 10.0).reshape(3, 3),
        np.diag([1.0, 0.0, 0.0]),
        np.zeros((3, 3)),
        np.array([[[1.0, 2.0], [2.0, 4.0]], [[1.0, 0.0], [0.0, 2.0]]]),
    ],
    ids=["rank1-2x2", "rank2-3x3", "rank1-diag", "zero", "batch-mixed"],
)
def test_det_gradient_at_singular_matrices_is_the_cofactor_matrix(a):
    want = _numerical_grad(lambda m: np.linalg.det(m).sum(), a)
    np.testing.assert_allclose(cr.grad(lambda m: cnp.sum(L.det(m)))(a), want, atol=1e-8)
    _, t = cr.jvp(L.det, (a,), (np.ones_like(a),))
    np.testing.assert_allclose(t, want.sum(axis=(-2, -1)), atol=1e-8)


def test_det_gradient_singular_float32():
    a = np.array([[1.0, 2.0], [2.0, 4.0]], np.float32)
    g = cr.grad(L.det)(a)
    assert g.dtype == np.float32
    np.testing.assert_allclose(g, [[4.0, -2.0], [-2.0, 1.0]], atol=1e-5)


INTS = np.array([[1, 2], [3, 4]])


@pytest.mark.parametrize(
    "call",
    [
        lambda m: m.matrix_power(INTS, 3),
        lambda m: m.matrix_power(INTS, 0),
        lambda m: m.matrix_power(INTS, -1),
        lambda m: m.matrix_power(INTS.astype(np.float32), 0),
        lambda m: m.multi_dot([INTS, INTS, INTS]),
        lambda m: m.trace(INTS),
        lambda m: m.diagonal(INTS),
        lambda m: m.matrix_transpose(INTS),
        lambda m: m.outer(INTS[0], INTS[1]),
        lambda m: m.vecdot(INTS, INTS[0]),
        lambda m: m.cross(np.array([1, 2, 3]), np.array([4, 5, 6])),
        lambda m: m.norm(np.array([1.0, 0.0, 2.0], np.float32), ord=0),
        lambda m: m.lstsq(INTS.astype(float), np.array([1.0, 2.0]))[2],
    ],
    ids=[
        "matrix_power-int",
        "matrix_power-int-0",
        "matrix_power-int-neg",
        "matrix_power-f32-0",
        "multi_dot-int",
        "trace-int",
        "diagonal-int",
        "matrix_transpose-int",
        "outer-int",
        "vecdot-int",
        "cross-int",
        "norm-ord0-f32",
        "lstsq-rank",
    ],
)
def test_result_dtype_matches_numpy(call):
    got, want = call(L), call(np.linalg)
    assert np.asarray(got).dtype == np.asarray(want).dtype
    np.testing.assert_allclose(got, want)


def test_cross_of_integers_stays_integer():
    a, b = np.array([1, 2, 3]), np.array([4, 5, 6])
    got = cnp.cross(a, b)
    assert got.dtype == np.cross(a, b).dtype
    np.testing.assert_array_equal(got, np.cross(a, b))


def test_cond_of_a_singular_matrix_is_inf_as_in_numpy():
    a = np.array([[1.0, 2.0], [2.0, 4.0]])
    for p in ("fro", 1, np.inf, -1):
        assert L.cond(a, p) == np.linalg.cond(a, p) == np.inf
