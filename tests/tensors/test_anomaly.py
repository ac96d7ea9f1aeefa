"""Anomaly mode in the eager backward pass: a recorded backward (``create_graph``)
names the operation, ignores intermediates that cancel, and the seed and a forward
recorded outside anomaly mode get their own messages."""

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp


def test_anomaly_in_a_recorded_backward_names_the_operation():
    x = cr.tensor([0.0, 1.0], requires_grad=True)
    with cr.detect_anomaly():
        y = cnp.sqrt(x).sum()
        with pytest.raises(FloatingPointError, match=r"backward pass of operation 'sqrt'"):
            y.backward(create_graph=True)


def test_anomaly_ignores_intermediates_of_a_recorded_rule_that_cancel():
    x = cr.tensor([0.0, 4.0], requires_grad=True)
    with cr.detect_anomaly():
        y = cnp.where(x > 0, cnp.sqrt(x), 0.0).sum()  # sqrt'(0) = inf, never taken
        y.backward(create_graph=True)
    np.testing.assert_allclose(x.grad.detach().numpy(), [0.0, 0.25])  # (a recorded grad)


def test_anomaly_messages_for_seed_and_unrecorded_forward():
    x = cr.tensor([0.0, 1.0], requires_grad=True)
    with cr.detect_anomaly():
        y = x * 2.0
        with pytest.raises(FloatingPointError, match="gradient passed to backward"):
            y.backward(gradient=np.array([np.nan, 1.0]))
    y = cnp.sqrt(x).sum()  # recorded outside anomaly mode
    with cr.detect_anomaly():
        with pytest.raises(FloatingPointError, match="outside detect_anomaly"):
            y.backward()
