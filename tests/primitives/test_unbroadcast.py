"""unbroadcast: the cotangent of a broadcast input, summed back to its shape and dtype.
Scalars and same-shape arrays take a shortcut; these pin what the shortcut may skip."""

import numpy as np
import pytest

from chainrule.primitives._helpers import unbroadcast


@pytest.mark.parametrize(
    "g, like",
    [
        (2.5, 1.0),
        (np.float64(2.5), 1.0),
        (2.5, np.float64(1.0)),
        (np.float64(2.5), np.array(1.0)),
        (np.array(2.5), np.float64(1.0)),
        (np.ones(3), np.zeros(3)),
    ],
)
def test_float64_cotangent_of_matching_input_is_returned_as_is(g, like):
    assert unbroadcast(g, like) is g


def test_scalar_cotangent_takes_a_float32_inputs_dtype():
    out = unbroadcast(np.float64(2.5), np.array(1.0, np.float32))
    assert np.asarray(out).dtype == np.float32 and float(out) == 2.5


def test_0d_cotangent_of_a_python_float_keeps_its_value():
    out = unbroadcast(np.array(2.5, np.float32), 1.0)
    assert np.asarray(out).dtype == np.float64 and float(out) == 2.5


def test_broadcast_cotangent_is_summed_back_to_the_inputs_shape():
    out = unbroadcast(np.ones((2, 3)), np.zeros((1, 3)))
    np.testing.assert_array_equal(out, np.full((1, 3), 2.0))
    assert unbroadcast(np.ones((2, 3)), 1.0) == 6.0
