"""How ``array_namespace`` picks the library of a primitive's inputs, and refuses to mix
two; array-api-strict (an array library that is not NumPy) as the real thing."""

from __future__ import annotations

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp
from chainrule.core.backend import DeviceMismatchError, array_namespace
from tests.backends.recording import DeviceArray, to_device
from tests.backends.test_recording_sweep import RECORDER


def test_numpy_and_plain_values_mean_numpy():
    args = (np.ones(3), 2.0, 3, None, (0, 1), "ij", np.float32(1), slice(1), np.ones(()))
    assert array_namespace(args) is np
    assert array_namespace(()) is np


def test_a_registered_array_type_selects_its_namespace_and_scalars_are_weak():
    x = to_device(np.ones(3))
    assert array_namespace((x,)) is RECORDER
    assert array_namespace((2.0, x, np.float64(1.0), np.ones(()))) is RECORDER
    assert array_namespace(([np.ones(()), x],)) is RECORDER  # inside a sequence too


def test_mixing_libraries_names_both():
    x = to_device(np.ones(3))
    with pytest.raises(DeviceMismatchError) as info:
        array_namespace((np.ones((2, 3)), x), "add")
    msg = str(info.value)
    assert msg.startswith("add: ")
    assert "numpy array of shape (2, 3) on cpu" in msg
    assert "recording-numpy array of shape (3,) on pretend-device" in msg


def test_mixing_libraries_fails_inside_a_traced_computation():
    x = to_device(np.ones(3))
    with pytest.raises(DeviceMismatchError, match="numpy array of shape"):
        cr.grad(lambda v: cnp.sum(v * np.arange(3.0)))(x)


def test_grad_through_the_recorder_returns_its_arrays():
    x = to_device(np.linspace(0.1, 0.9, 4))
    RECORDER.calls.clear()
    ans, vjp_fn = cr.vjp(lambda v: cnp.tanh(v) * cnp.exp(v), x)
    assert isinstance(ans, DeviceArray)
    assert {"tanh", "exp"} <= set(RECORDER.calls)


# -- array-api-strict: the standard's functions, with values equal to NumPy's -------------
STANDARD = {
    "sin": cnp.sin,
    "cos": cnp.cos,
    "tanh": cnp.tanh,
    "exp": cnp.exp,
    "log": cnp.log,
    "sqrt": cnp.sqrt,
    "negative": cnp.negative,
    "sum": cnp.sum,
    "matmul-square": lambda x: cnp.matmul(x, x),
    "multiply-self": lambda x: cnp.multiply(x, x),
}


@pytest.mark.parametrize("name", sorted(STANDARD))
def test_array_api_strict_forward_matches_numpy(name):
    xps = pytest.importorskip("array_api_strict")
    x = np.random.default_rng(0).uniform(0.5, 2.0, (3, 3))
    got = STANDARD[name](xps.asarray(x))
    assert array_namespace((got,)) is xps, f"{name} left array-api-strict"
    np.testing.assert_allclose(np.asarray(got), STANDARD[name](x), rtol=1e-13)


def test_array_api_strict_meets_numpy_with_a_clear_error():
    xps = pytest.importorskip("array_api_strict")
    with pytest.raises(DeviceMismatchError, match="array_api_strict array of shape"):
        cnp.add(xps.asarray(np.ones(2)), np.ones(2))


def test_numbers_in_r_join_device_values_on_the_device():
    x = to_device(np.arange(3.0))
    g = cr.grad(lambda v: cnp.sum(cnp.r_[v, 2.0, 3] ** 2))(x)
    assert isinstance(g, DeviceArray)
    np.testing.assert_array_equal(g, [0.0, 2.0, 4.0])
