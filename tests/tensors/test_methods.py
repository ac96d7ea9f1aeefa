"""Tensor methods with PyTorch's signatures and meanings rather than NumPy's:
``var(unbiased)``, ``dtype=`` in reductions, ``squeeze(dims)``, ``to(device, dtype)``,
``max(dim)`` as ``(values, indices)``, ``repeat``, ``sort``, ``cumsum``."""

import numpy as np
import pytest

import chainrule as cr


def test_var_and_std_take_unbiased_positionally():
    x = cr.tensor([[1.0, 2.0, 4.0], [0.0, 3.0, 3.0]])
    assert x.var(False).item() == pytest.approx(np.var(x.numpy()))
    assert x.std(True).item() == pytest.approx(np.std(x.numpy(), ddof=1))
    np.testing.assert_allclose(x.var(1, False).numpy(), np.var(x.numpy(), axis=1))


def test_reductions_honour_dtype():
    x = cr.tensor([1.0, 2.0], dtype=cr.float64, requires_grad=True)
    s = x.sum(dtype=cr.float32)
    assert s.dtype == np.float32 and s.item() == 3.0
    assert x.mean(0, dtype=cr.float32).dtype == np.float32
    assert cr.tensor([1, 2]).sum(dtype=cr.float64).dtype == np.float64
    s.backward()
    assert x.grad.dtype == np.float64


def test_squeeze_with_several_dims():
    x = cr.tensor(np.ones((1, 3, 1, 2)))
    assert x.squeeze((0, 2)).shape == (3, 2)
    assert x.squeeze((0, 1)).shape == (3, 1, 2)  # axes of another size are left alone
    assert x.squeeze(-2).shape == (1, 3, 2)
    assert x.squeeze(1) is x
    assert cr.tensor(1.0).squeeze(0).shape == ()


def test_to_with_device_and_dtype():
    x = cr.tensor([1.0, 2.0], dtype=cr.float64, requires_grad=True)
    assert x.to("cpu", cr.float32).dtype == np.float32
    assert x.to(device="cpu", dtype=cr.float32).dtype == np.float32
    assert x.to(cr.tensor(np.ones(1, np.float32))).dtype == np.float32
    assert x.to("cpu") is x
    y = x.to(copy=True)
    assert y is not x and y.requires_grad
    x.to(cr.float32).sum().backward()
    assert x.grad.dtype == np.float64


def test_max_with_dim_sends_the_gradient_to_the_reported_index():
    x = cr.tensor([[1.0, 3.0, 3.0], [2.0, 2.0, 0.0]], requires_grad=True)
    values, indices = x.max(dim=1)
    assert indices.tolist() == [1, 0]
    values.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [[0, 1, 0], [1, 0, 0]])
    x.grad = None
    values, indices = x.min(1, keepdim=True)
    assert values.shape == (2, 1) and indices.tolist() == [[0], [2]]
    values.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [[1, 0, 0], [0, 0, 1]])
    x.grad = None
    x.max().backward()  # full reduction: ties share, as in PyTorch
    np.testing.assert_array_equal(x.grad.numpy(), [[0, 0.5, 0.5], [0, 0, 0]])


def test_methods_with_pytorch_meaning_not_numpys():
    x = cr.tensor([[3.0, 1.0, 3.0], [0.0, 5.0, 4.0]], requires_grad=True)
    # repeat tiles whole copies (NumPy's repeat would repeat each element)
    assert x[0].repeat(2).tolist() == [3.0, 1.0, 3.0, 3.0, 1.0, 3.0]
    assert x.repeat(2, 1).shape == (4, 3) and x.repeat(1, 2, 1).shape == (1, 4, 3)
    with pytest.raises(RuntimeError, match="one size per dimension"):
        x.repeat(2)
    # sort returns (values, indices), ties in order; the values are differentiable
    values, indices = x.sort(descending=True)
    assert values.tolist() == [[3.0, 3.0, 1.0], [5.0, 4.0, 0.0]]
    assert indices.tolist() == [[0, 2, 1], [1, 2, 0]]
    assert x.sort(0).indices.tolist() == [[1, 0, 0], [0, 1, 1]]
    assert x.argsort(dim=0).tolist() == [[1, 0, 0], [0, 1, 1]]
    (values * cr.tensor([1.0, 2.0, 3.0])).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [[1, 3, 2], [3, 1, 2]])
    assert x.cumsum(dim=1).tolist() == [[3.0, 4.0, 7.0], [0.0, 5.0, 9.0]]
    assert x.cumprod(0).tolist() == [[3.0, 1.0, 3.0], [0.0, 5.0, 12.0]]
    assert x.cumsum(-1, dtype=cr.float32).dtype == np.float32
