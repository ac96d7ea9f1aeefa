"""Norms and condition numbers: the subgradient 0 at the zero vector (never NaN), the
zero-derivative 0-norm, NumPy's errors, and the infinite condition number of a singular
matrix."""

from __future__ import annotations

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp

LA = cnp.linalg
RNG = np.random.default_rng(0)
A = RNG.uniform(-1, 1, (4, 4)) + 4 * np.eye(4)
SPD = A @ A.T


@pytest.mark.parametrize(
    "kw",
    [{}, {"ord": 2}, {"ord": 1}, {"ord": 3}, {"ord": 0.5}, {"ord": np.inf}, {"ord": -np.inf}],
    ids=str,
)
def test_vector_norm_gradient_at_zero_is_zero(kw):
    f = lambda x: LA.norm(x, **kw)  # noqa: E731
    np.testing.assert_array_equal(cr.grad(f)(np.zeros(3)), np.zeros(3))
    _, tangent = cr.jvp(f, (np.zeros(3),), (np.ones(3),))
    assert np.asarray(tangent) == 0.0


@pytest.mark.parametrize("kw", [{}, {"ord": "fro"}, {"axis": 1}, {"axis": (0, 1)}], ids=str)
def test_matrix_and_axis_norms_at_zero(kw):
    g = cr.grad(lambda x: cnp.sum(LA.norm(x, **kw)))(np.zeros((2, 3)))
    np.testing.assert_array_equal(g, np.zeros((2, 3)))


def test_norm_partly_zero_rows_and_entries():
    x = np.array([[0.0, 0.0, 0.0], [3.0, 0.0, 4.0]])
    g = cr.grad(lambda x: cnp.sum(LA.norm(x, axis=1)))(x)
    np.testing.assert_allclose(g, [[0, 0, 0], [0.6, 0, 0.8]])
    g = cr.grad(lambda v: LA.norm(v, 0.5))(np.array([0.0, 1.0, 4.0]))
    assert np.all(np.isfinite(g)) and g[0] == 0.0


def test_norm_ord_zero_counts_and_has_zero_derivative():
    x = np.array([0.0, 2.0, -1.0])
    assert LA.norm(x, 0) == 2.0
    np.testing.assert_array_equal(cr.grad(lambda x: LA.norm(x, 0))(x), np.zeros(3))


def test_norm_errors():
    with pytest.raises(ValueError, match="Invalid norm order"):
        LA.norm(np.ones(3), "fro")
    with pytest.raises(ValueError, match="Invalid norm order"):
        LA.norm(np.ones((2, 2)), 3)
    with pytest.raises(ValueError, match="Duplicate axes"):
        LA.norm(np.ones((2, 2)), axis=(1, 1))
    with pytest.raises(ValueError, match="Improper number of dimensions"):
        LA.norm(np.ones((2, 2, 2)), ord=2)


def test_cond_of_a_singular_matrix_is_inf_as_in_numpy():
    a = np.array([[1.0, 2.0], [2.0, 4.0]])
    for p in ("fro", 1, np.inf, -1):
        assert LA.cond(a, p) == np.linalg.cond(a, p) == np.inf
