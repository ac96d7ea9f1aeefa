"""The PyTorch-style Tensor: backward, accumulation, no_grad, errors, deep graphs, memory."""

import gc
import weakref

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp


def test_tutorial_tensor_example():
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    y = ((3 * x + 2) ** 2).sum()
    y.backward()
    np.testing.assert_allclose(x.grad.numpy(), 18 * np.array([1.0, 2.0]) + 12)
    assert isinstance(x.grad, cr.Tensor) and not x.grad.requires_grad
    assert x.dtype == np.float32 and x.shape == (2,)  # the default dtype, as in PyTorch


def test_grad_accumulates_across_backward_calls():
    x = cr.tensor(3.0, requires_grad=True)
    (x * x).backward()
    (x * x).backward()
    assert x.grad.item() == pytest.approx(12.0)
    x.grad = None
    (x * 2.0).backward()
    assert x.grad.item() == pytest.approx(2.0)


def test_no_grad_and_detach():
    x = cr.tensor([1.0], requires_grad=True)
    with cr.no_grad():
        y = x * 2
    assert not y.requires_grad
    assert not x.detach().requires_grad
    z = x.detach() * x
    z.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [1.0])

    @cr.no_grad()
    def f(t):
        return t * 3

    assert not f(x).requires_grad


def test_second_backward_on_freed_graph_is_a_clear_error():
    x = cr.tensor(2.0, requires_grad=True)
    y = cnp.exp(x) * x
    y.backward()
    with pytest.raises(RuntimeError, match="retain_graph=True"):
        y.backward()
    y2 = cnp.exp(x) * x
    y2.backward(retain_graph=True)
    y2.backward()
    assert x.grad.item() == pytest.approx(np.exp(2) * 3 * 3)


def test_inplace_modification_of_saved_input_is_detected():
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    h = x * 2
    y = (h * h).sum()  # saves h
    h += 1  # modifies h in place
    with pytest.raises(RuntimeError, match="in-place.*clone"):
        y.backward()


def test_inplace_ops_are_recorded_correctly():
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    h = x * 2
    h += x  # h = 3x
    h *= h  # h = 9x^2
    h.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), 18 * np.array([1.0, 2.0]))


def test_inplace_on_leaf_requiring_grad_is_refused_outside_no_grad():
    w = cr.tensor([1.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="no_grad"):
        w -= 1.0
    with cr.no_grad():
        w -= 1.0
    assert w.item() == 0.0 and w.requires_grad and w.is_leaf


def test_setitem_is_differentiable():
    x = cr.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * 1.0
    y[1] = x[0] * 10.0
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [11.0, 0.0, 1.0])


def test_create_graph_gives_higher_derivatives():
    x = cr.tensor(0.5, requires_grad=True)
    y = cnp.sin(x) * x
    y.backward(create_graph=True)
    g = x.grad
    assert g.requires_grad
    x.grad = None
    g.backward()
    assert x.grad.item() == pytest.approx(2 * np.cos(0.5) - 0.5 * np.sin(0.5))


def test_backward_errors():
    with pytest.raises(RuntimeError, match="does not require grad"):
        cr.tensor(1.0).backward()
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="scalar"):
        (x * 2).backward()
    with pytest.raises(RuntimeError, match="floating point"):
        cr.tensor([1, 2], requires_grad=True)


def test_retain_grad_and_values():
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    h = x * 3
    h.retain_grad()
    (h**2).sum().backward()
    np.testing.assert_allclose(h.grad.numpy(), 2 * h.detach().numpy())
    assert float(cr.tensor(2.5)) == 2.5
    assert np.asarray(h).shape == (2,)


def test_tensor_methods_pytorch_style():
    t = cr.tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    assert t.sum(dim=0).shape == (3,)
    assert t.mean(dim=1, keepdim=True).shape == (2, 1)
    assert t.view(3, 2).shape == (3, 2)
    assert t.unsqueeze(0).shape == (1, 2, 3)
    assert t.permute(1, 0).shape == (3, 2)
    values, indices = t.max(dim=1)
    np.testing.assert_allclose(values.detach().numpy(), [2.0, 5.0])
    np.testing.assert_array_equal(indices.numpy(), [2, 2])
    assert t.size() == (2, 3) and t.size(1) == 3 and t.dim() == 2 and t.numel() == 6
    out = (t @ t.T).sum()
    out.backward()
    assert t.grad.shape == (2, 3)
    assert "requires_grad=True" in repr(cr.tensor([1.0], requires_grad=True))


def test_float32_end_to_end():
    w = cr.tensor(np.ones((3, 2), np.float32), requires_grad=True)
    x = cr.tensor(np.ones((4, 3), np.float32))
    loss = cnp.tanh(x @ w).sum()
    assert loss.dtype == np.float32
    loss.backward()
    assert w.grad.dtype == np.float32


def test_deep_chain_backpropagates_without_recursion_error():
    x = cr.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(200_000):
        y = y * 1.0
    y.backward()
    assert x.grad.item() == 1.0
    del y
    gc.collect()


def test_deep_chain_functional():
    def f(x):
        for _ in range(200_000):
            x = x + 0.0
        return x

    assert cr.grad(f)(1.0) == 1.0


def test_graph_memory_is_released_after_backward():
    x = cr.tensor(np.ones(10_000), requires_grad=True)
    h = cnp.exp(x)
    y = (h * h).sum()
    big = weakref.ref(h._value)
    del h
    y.backward()
    gc.collect()
    assert big() is None, "backward() must drop the arrays a graph saved"


def test_functional_grad_over_tensors():
    x = cr.tensor([1.0, 2.0])
    g = cr.grad(lambda t: (t**2).sum())(x)
    assert isinstance(g, cr.Tensor)
    np.testing.assert_allclose(g.numpy(), [2.0, 4.0])


def test_leaf_grads_never_share_a_buffer():
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    y = cr.tensor([3.0, 4.0], requires_grad=True)
    (x + y).sum().backward()  # add passes the same cotangent to both inputs
    x.grad.numpy()[0] = 100.0
    assert y.grad.numpy()[0] == 1.0
    g = np.ones(2)
    z = cr.tensor([1.0, 1.0], requires_grad=True)
    (z * 1.0).backward(gradient=g)
    g[0] = 7.0  # the caller's array is not the gradient's buffer
    assert z.grad.numpy()[0] == 1.0


def test_relu_method_and_deepcopy():
    import copy

    x = cr.tensor([-1.0, 0.0, 2.0], requires_grad=True)
    x.relu().sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [0.0, 0.0, 1.0])
    y = copy.deepcopy(x)
    assert y.requires_grad and y.is_leaf and y is not x
    np.testing.assert_array_equal(y.grad.numpy(), x.grad.numpy())
    with pytest.raises(RuntimeError, match="leaf"):
        copy.deepcopy(x * 2)


def test_leaf_node_records_this_pass_gradient_for_display():
    x = cr.tensor(2.0, requires_grad=True)
    (x**3).backward(create_graph=True)
    gx = x.grad  # 3x^2 = 12, with a graph
    x.grad = None
    gx.backward()
    assert x._node.grad == pytest.approx(12.0)  # d(3x^2)/dx at 2: this pass only
    (x * 1.0).backward()
    assert x._node.grad == pytest.approx(1.0)
    assert x.grad.item() == pytest.approx(13.0)  # .grad accumulates


def test_operations_on_parameters_give_plain_tensors():
    p = cr.nn.Parameter(cr.tensor([1.0, -2.0]))
    for result in (p * 2, p.relu(), p.sum(), p.detach(), p.clone(), p.max(0).indices, p > 0):
        assert type(result) is cr.Tensor
