"""Tensor factories: the dtype of the values they are given (NumPy scalars keep
theirs, Python floats give float64) or of the fill value."""

import numpy as np

import chainrule as cr


def test_numpy_scalars_keep_their_dtype():
    assert cr.tensor(np.float32(2.0)).dtype == np.float32
    assert cr.tensor([np.float32(1.0), np.float32(2.0)]).dtype == np.float32
    assert cr.tensor(np.int32(3)).dtype == np.int32
    assert cr.tensor(2.0).dtype == np.float32  # Python floats: the default dtype
    assert cr.tensor([1, 2.5]).dtype == np.float32
    assert cr.tensor(np.array([1.0, 2.0])).dtype == np.float64  # arrays keep theirs


def test_full_takes_its_dtype_from_the_fill_value():
    assert cr.full((2, 2), 3).dtype == np.int64
    assert cr.full((2,), True).dtype == np.bool_
    assert cr.full(3, 1.5).dtype == np.float32 and cr.full(3, 1.5).shape == (3,)
    assert cr.full((2,), 1.5, dtype=cr.float32).dtype == np.float32
    big = 2**60 + 1  # not exactly representable as a float
    assert cr.full((1,), big, dtype=cr.int64).tolist() == [big]
    assert cr.full((), 2.0).shape == ()
