"""The linalg compositions and argument handling: NumPy's result dtypes for integer and
float32 inputs, ``matrix_power``, ``multi_dot``, integer promotion, errors that name the
shapes, and complex inputs refused under differentiation."""

from __future__ import annotations

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp

LA = cnp.linalg
RNG = np.random.default_rng(0)
A = RNG.uniform(-1, 1, (4, 4)) + 4 * np.eye(4)
SPD = A @ A.T

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
    got, want = call(LA), call(np.linalg)
    assert np.asarray(got).dtype == np.asarray(want).dtype
    np.testing.assert_allclose(got, want)


def test_matrix_power_zero_and_integer_checks():
    np.testing.assert_array_equal(LA.matrix_power(A, 0), np.eye(4))
    np.testing.assert_array_equal(cr.grad(lambda a: cnp.sum(LA.matrix_power(a, 0)))(A), 0 * A)
    np.testing.assert_allclose(LA.matrix_power(A, -3), np.linalg.matrix_power(A, -3))
    with pytest.raises(TypeError, match="integer"):
        LA.matrix_power(A, 1.5)


def test_integer_input_is_promoted():
    m = np.array([[2, 1], [1, 3]])
    np.testing.assert_allclose(LA.inv(m), np.linalg.inv(m))
    assert LA.matrix_rank(np.ones((3, 3))) == 1


def test_multi_dot_picks_an_order_and_matches():
    a, b, c = RNG.standard_normal((10, 2)), RNG.standard_normal((2, 10)), RNG.standard_normal(10)
    np.testing.assert_allclose(LA.multi_dot([a, b, c]), a @ b @ c)
    with pytest.raises(ValueError, match="at least two"):
        LA.multi_dot([a])


def test_shape_errors_name_the_shapes():
    with pytest.raises(np.linalg.LinAlgError, match=r"\(2, 3\)"):
        LA.inv(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"\(4,\).*\(3, 3\)"):
        LA.solve(np.eye(3), np.ones(4))
    with pytest.raises(ValueError, match="do not broadcast"):
        LA.solve(np.ones((2, 3, 3)), np.ones((4, 3, 1)))
    with pytest.raises(np.linalg.LinAlgError, match="at least 2"):
        LA.det(np.ones(3))
    with pytest.raises(ValueError, match="UPLO"):
        LA.eigh(SPD, UPLO="X")


def test_complex_derivatives_are_refused():
    z = A + 1j * A.T
    np.testing.assert_allclose(LA.inv(z), np.linalg.inv(z))
    with pytest.raises(NotImplementedError, match="complex"):
        cr.grad(lambda a: cnp.real(cnp.sum(LA.inv(a))))(z)
