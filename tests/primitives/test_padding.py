"""``pad``: every NumPy mode against NumPy, traced (first and second order, float32)
and plain, the gathers of the reflecting modes, and what is refused."""

from __future__ import annotations

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp


def test_pad_reflect_gradient_counts_each_source():
    g = cr.grad(lambda x: cnp.sum(cnp.pad(x, 2, mode="reflect")))(np.zeros(4))
    # reflect of [a b c d] by 2: c b | a b c d | c b
    np.testing.assert_array_equal(g, [1.0, 3.0, 3.0, 1.0])


def test_traced_pad_constant_is_rejected_not_dropped():
    with pytest.raises(TypeError, match="constant_values"):
        cr.grad(lambda c: cnp.sum(cnp.pad(np.ones(2), 1, constant_values=c)))(1.0)


def test_bad_pads_raise_clearly():
    with pytest.raises(NotImplementedError, match="supported modes"):
        cr.grad(lambda v: cnp.sum(cnp.pad(v, 1, mode="median")))(np.ones(3))
    with pytest.raises(ValueError, match="negative"):
        cnp.pad(np.ones(3), -1)


_PAD_CASES = [
    (((1, 2), (2, 1)), "maximum", {}),
    (((1, 2), (2, 1)), "minimum", {}),
    (((1, 2), (2, 1)), "mean", {"stat_length": ((1, 3), (2, 10))}),
    (((2, 3), (1, 2)), "linear_ramp", {"end_values": ((5, 6), (7, 8))}),
    (2, "linear_ramp", {}),
    (((0, 0), (3, 3)), "reflect", {}),
]


@pytest.mark.parametrize("width, mode, kwargs", _PAD_CASES, ids=[c[1] for c in _PAD_CASES])
def test_pad_modes_match_numpy_and_differentiate(width, mode, kwargs):
    x = np.random.default_rng(0).standard_normal((3, 4))
    out, t = cr.jvp(lambda v: cnp.pad(v, width, mode=mode, **kwargs), (x,), (np.ones_like(x),))
    np.testing.assert_allclose(out, np.pad(x, width, mode=mode, **kwargs))
    cr.check_grads(lambda v: cnp.pad(v, width, mode=mode, **kwargs), (x,), order=2)
    x32 = x.astype(np.float32)
    assert (
        cr.grad(lambda v: cnp.sum(cnp.pad(v, width, mode=mode, **kwargs)))(x32).dtype == x32.dtype
    )


def test_pad_of_plain_arrays_is_numpys_in_every_mode():
    x = np.arange(5)
    for mode in ("median", "empty", "maximum"):
        got, want = cnp.pad(x, 2, mode=mode), np.pad(x, 2, mode=mode)
        assert got.shape == want.shape and got.dtype == want.dtype
    np.testing.assert_array_equal(cnp.pad(x, 2, mode="median"), np.pad(x, 2, mode="median"))
    with pytest.raises(NotImplementedError, match="median"):
        cr.grad(lambda v: cnp.sum(cnp.pad(v, 1, mode="median")))(np.ones(3))
