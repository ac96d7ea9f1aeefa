"""Joining and splitting: the gradient of one split piece, mixed dtypes, NumPy's
casting rules for the stack family, ``diff`` of booleans, and the errors for shapes
that do not join."""

from __future__ import annotations

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp


def test_gradient_of_one_split_piece():
    x = np.arange(6.0)
    g = cr.grad(lambda x: cnp.sum(cnp.split(x, 3)[1] ** 2))(x)
    np.testing.assert_array_equal(g, [0.0, 0.0, 4.0, 6.0, 0.0, 0.0])
    # forward mode through the same piece
    np.testing.assert_array_equal(cr.jacfwd(lambda x: cnp.split(x, [2])[1])(x)[:, 2:], np.eye(4))


def test_concatenate_mixed_dtypes_keeps_each_inputs_dtype():
    def f(a, b):
        return cnp.sum(cnp.concatenate([a, b]) ** 2)

    a = np.ones(2, np.float32)
    b = np.ones(3)
    ga, gb = cr.grad(f, argnums=(0, 1))(a, b)
    assert ga.dtype == np.float32 and gb.dtype == np.float64


def test_stack_family_checks_casting_like_numpy():
    xs = [np.ones(2), np.zeros(2)]
    with pytest.raises(TypeError, match="same_kind"):
        cnp.stack(xs, dtype=int)
    for fn in ("stack", "vstack", "hstack"):
        got = getattr(cnp, fn)(xs, dtype=np.int64, casting="unsafe")
        want = getattr(np, fn)(xs, dtype=np.int64, casting="unsafe")
        assert got.dtype == want.dtype
        np.testing.assert_array_equal(got, want)


def test_diff_of_booleans_is_not_equal_like_numpy():
    b = np.array([[True, False, True], [False, False, True]])
    for kwargs in ({}, {"axis": 0}, {"n": 2}, {"prepend": True}):
        got, want = cnp.diff(b, **kwargs), np.diff(b, **kwargs)
        assert got.dtype == want.dtype
        np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize(
    "call, err, match",
    [
        (
            lambda: cnp.concatenate([np.ones((2, 3)), np.ones((2, 4))]),
            ValueError,
            r"\(2, 3\).*\(2, 4\)",
        ),
        (lambda: cnp.concatenate([np.float64(1.0), np.float64(2.0)]), ValueError, "zero-dim"),
        (lambda: cnp.stack([np.ones(2), np.ones(3)]), ValueError, "same shape"),
        (lambda: cnp.split(np.ones(5), 2), ValueError, "equal sections"),
        (lambda: cnp.array_split(np.ones(5), 0), ValueError, "larger than 0"),
    ],
)
def test_bad_arguments_raise_clearly(call, err, match):
    with pytest.raises(err, match=match):
        call()
