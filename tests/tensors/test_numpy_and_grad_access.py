"""PyTorch's guards on reading values out of the graph: ``x.numpy()`` of a tensor that
requires grad raises (``x.detach().numpy()`` is the way), and reading ``.grad`` of a
non-leaf tensor warns unless ``retain_grad()`` was called."""

import warnings

import numpy as np
import pytest

import chainrule as cr


def test_numpy_of_a_tensor_that_requires_grad_raises_with_the_detach_hint():
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    for t in (x, x * 2):
        with pytest.raises(RuntimeError, match=r"requires grad.*detach\(\)\.numpy\(\)"):
            t.numpy()
        np.testing.assert_array_equal(t.detach().numpy(), np.asarray(t))
    assert np.shares_memory(x.detach().numpy(), np.asarray(x))
    assert x.tolist() == [1.0, 2.0]  # as PyTorch: tolist and item still work
    assert (x * 2).sum().item() == 6.0
    with cr.no_grad():
        assert (x * 2).numpy().tolist() == [2.0, 4.0]  # no graph, no requires_grad


def test_grad_of_a_non_leaf_warns_unless_retained():
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    y, z = x * 2, x * 3
    z.retain_grad()
    (y + z).sum().backward()
    with pytest.warns(UserWarning, match="not a leaf.*retain_grad"):
        assert y.grad is None
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        np.testing.assert_array_equal(z.grad.numpy(), [1.0, 1.0])
        np.testing.assert_array_equal(x.grad.numpy(), [5.0, 5.0])
        assert cr.tensor([1.0]).grad is None  # a leaf that does not require grad
