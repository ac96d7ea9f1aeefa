"""Seeds, zero cotangents and tangents are made in the inputs' array library: a
gradient of device arrays never meets a NumPy array (a NumPy array of shape (4,) meeting
a device array is a mismatch error), and comes back on the device."""

from __future__ import annotations

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp
from chainrule.core.backend import array_namespace
from tests.backends.recording import DeviceArray, to_device
from tests.backends.test_recording_sweep import RECORDER

X = np.linspace(0.1, 0.9, 4)


def _on_device(*values):
    for v in values:
        assert isinstance(v, DeviceArray), f"{type(v).__name__} is not on the device"


def test_grad_seeds_a_one_element_output_on_the_device():
    # the output has shape (1,): its seed is an array, not a weak scalar
    x = to_device(X)
    RECORDER.calls.clear()
    g = cr.grad(lambda v: cnp.sum(cnp.sin(v), keepdims=True))(x)
    _on_device(g)
    assert "full_like" in RECORDER.calls  # the seed was made through the namespace
    np.testing.assert_allclose(np.asarray(g), np.cos(X), rtol=1e-15)


def test_elementwise_grad_seeds_each_output_on_the_device():
    g = cr.elementwise_grad(lambda v: cnp.tanh(v) * v)(to_device(X))
    _on_device(g)
    np.testing.assert_allclose(np.asarray(g), np.tanh(X) + X / np.cosh(X) ** 2, rtol=1e-14)


def test_an_unused_input_gets_a_device_zero():
    x, y = to_device(X), to_device(X[:3])
    gx, gy = cr.grad(lambda a, b: cnp.sum(a * a), argnums=(0, 1))(x, y)
    _on_device(gx, gy)
    np.testing.assert_array_equal(np.asarray(gy), np.zeros(3))


def test_jvp_tangents_of_constant_outputs_are_device_zeros():
    x = to_device(X)
    out, tangent = cr.jvp(lambda v: (cnp.exp(v), cnp.ones_like(v)), (x,), (x,))
    _on_device(*out, *tangent)
    np.testing.assert_allclose(np.asarray(tangent[0]), np.exp(X) * X, rtol=1e-15)
    np.testing.assert_array_equal(np.asarray(tangent[1]), np.zeros(4))


def test_float32_device_gradients_stay_float32():
    g = cr.grad(lambda v: cnp.sum(v * 2.0))(to_device(X.astype(np.float32)))
    _on_device(g)
    assert g.dtype == np.float32


# -- array-api-strict: a real library that is not NumPy -------------------------------------
@pytest.fixture
def xps():
    return pytest.importorskip("array_api_strict")


def _check(xps, got, want, dtype=np.float64):
    assert array_namespace((got,)) is xps, f"{type(got).__name__} left array-api-strict"
    assert got.dtype == getattr(xps, np.dtype(dtype).name)
    np.testing.assert_allclose(np.asarray(got), want, rtol=1e-14)


def test_array_api_strict_grad_and_value(xps):
    x = xps.asarray(X)
    value, g = cr.value_and_grad(lambda v: cnp.sum(cnp.exp(v) * v))(x)
    _check(xps, value, np.sum(np.exp(X) * X))
    _check(xps, g, np.exp(X) * (1 + X))


def test_array_api_strict_zero_cotangent_tangent_and_float32(xps):
    x = xps.asarray(X)
    _, gy = cr.grad(lambda a, b: cnp.sum(cnp.sin(a)), argnums=(0, 1))(x, x)
    _check(xps, gy, np.zeros(4))
    _, t = cr.jvp(lambda v: cnp.tanh(v), (x,), (xps.ones_like(x),))
    _check(xps, t, 1 / np.cosh(X) ** 2)
    g32 = cr.elementwise_grad(cnp.sqrt)(xps.asarray(X.astype(np.float32)))
    _check(xps, g32, 0.5 / np.sqrt(X.astype(np.float32)), np.float32)
