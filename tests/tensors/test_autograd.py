"""``cr.autograd.grad`` and ``cr.autograd.backward`` against ``torch.autograd``:
gradients returned without touching ``.grad``, several outputs and inputs, non-leaf
inputs, unused inputs, ``create_graph`` for higher derivatives, freed graphs."""

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp

torch = pytest.importorskip("torch")

X = np.array([0.5, -1.25, 2.0])


def _pair(value=X):
    return (
        cr.tensor(value, requires_grad=True),
        torch.tensor(value, dtype=torch.float64, requires_grad=True),
    )


def _same(ours, theirs):
    if theirs is None:
        assert ours is None
        return
    assert isinstance(ours, cr.Tensor)
    np.testing.assert_allclose(
        ours.detach().numpy(), theirs.detach().numpy(), rtol=1e-12, atol=1e-14
    )


def test_returns_a_tuple_and_leaves_grad_alone():
    x, xt = _pair()
    w, wt = _pair(X[::-1].copy())
    g = cr.autograd.grad((cnp.sin(x) * w).sum(), [x, w])
    gt = torch.autograd.grad((torch.sin(xt) * wt).sum(), [xt, wt])
    assert isinstance(g, tuple) and len(g) == 2
    for a, b in zip(g, gt):
        _same(a, b)
        assert not a.requires_grad
    assert x.grad is None and w.grad is None
    (single,) = cr.autograd.grad((x * x).sum(), x)  # one tensor in, a 1-tuple out
    _same(single, 2 * xt)


def test_retained_non_leaf_keeps_no_grad_either():
    x = cr.tensor(X, requires_grad=True)
    h = x * 2
    h.retain_grad()
    cr.autograd.grad((h * h).sum(), x)
    assert h.grad is None and x.grad is None


def test_several_outputs_with_grad_outputs_and_a_non_leaf_input():
    x, xt = _pair()
    h, ht = cnp.exp(x), torch.exp(xt)
    outs = [h * x, (h**2).sum()]
    outs_t = [ht * xt, (ht**2).sum()]
    seed = np.array([1.0, -2.0, 0.5])
    g = cr.autograd.grad(outs, [x, h], grad_outputs=[cr.tensor(seed), None])
    gt = torch.autograd.grad(outs_t, [xt, ht], grad_outputs=[torch.tensor(seed), None])
    for a, b in zip(g, gt):
        _same(a, b)


def test_output_is_its_own_input_and_repeated_inputs():
    x, xt = _pair()
    seed = np.array([1.0, 2.0, 3.0])
    (g,) = cr.autograd.grad(x, x, grad_outputs=cr.tensor(seed))
    _same(g, torch.autograd.grad(xt, xt, torch.tensor(seed))[0])
    g[0] = 10.0  # the result owns its buffer: the seed is untouched
    assert seed[0] == 1.0
    a, b = cr.autograd.grad((x * x).sum(), [x, x])
    _same(a, 2 * xt)
    _same(b, 2 * xt)
    a[0] = 99.0
    assert b.numpy()[0] != 99.0


def test_unused_inputs():
    x, xt = _pair()
    z, zt = _pair(np.array(1.0))
    with pytest.raises(RuntimeError, match="allow_unused=True"):
        cr.autograd.grad((x * x).sum(), [x, z])
    g = cr.autograd.grad((x * x).sum(), [x, z], allow_unused=True)
    gt = torch.autograd.grad((xt * xt).sum(), [xt, zt], allow_unused=True)
    _same(g[0], gt[0])
    assert g[1] is None and gt[1] is None
    g = cr.autograd.grad((x * x).sum(), [x, z], materialize_grads=True)
    gt = torch.autograd.grad((xt * xt).sum(), [xt, zt], materialize_grads=True)
    _same(g[1], gt[1])


def test_refusals_name_the_problem():
    x = cr.tensor(X, requires_grad=True)
    with pytest.raises(RuntimeError, match="does not require grad"):
        cr.autograd.grad((x * x).sum(), [cr.tensor(1.0)])
    with pytest.raises(RuntimeError, match="does not require grad"):
        cr.autograd.grad(cr.tensor(1.0), [x])
    with pytest.raises(RuntimeError, match="scalar outputs"):
        cr.autograd.grad(x * x, [x])
    with pytest.raises(RuntimeError, match="shape"):
        cr.autograd.grad((x * x).sum(), [x], grad_outputs=cr.ones(3))
    with pytest.raises(RuntimeError, match="empty"):
        cr.autograd.grad((x * x).sum(), [])
    with pytest.raises(RuntimeError, match="2 gradients for 1 outputs"):
        cr.autograd.grad((x * x).sum(), [x], grad_outputs=[None, None])


def test_the_graph_is_freed_unless_retained():
    x = cr.tensor(X, requires_grad=True)
    y = (cnp.sin(x) * x).sum()
    first = cr.autograd.grad(y, x, retain_graph=True)
    second = cr.autograd.grad(y, x)
    np.testing.assert_array_equal(first[0].numpy(), second[0].numpy())
    with pytest.raises(RuntimeError, match="retain_graph=True"):
        cr.autograd.grad(y, x)


def test_create_graph_gives_higher_derivatives():
    x, xt = _pair()
    (g,) = cr.autograd.grad((cnp.sin(x) * x**3).sum(), x, create_graph=True)
    (gt,) = torch.autograd.grad((torch.sin(xt) * xt**3).sum(), xt, create_graph=True)
    _same(g, gt)
    assert g.requires_grad
    (h,) = cr.autograd.grad(g.sum(), x, create_graph=True)
    (ht,) = torch.autograd.grad(gt.sum(), xt, create_graph=True)
    _same(h, ht)
    (h3,) = cr.autograd.grad((h * h).sum(), x)
    (h3t,) = torch.autograd.grad((ht * ht).sum(), xt)
    _same(h3, h3t)
    # the last call freed the graph under g, in PyTorch too
    with pytest.raises(RuntimeError, match="retain_graph=True"):
        (g**2).sum().backward()
    with pytest.raises(RuntimeError, match="retain_graph=True"):
        (gt**2).sum().backward()


def test_a_gradient_penalty_backpropagates():
    x, xt = _pair()
    (g,) = cr.autograd.grad((cnp.tanh(x) * x).sum(), x, create_graph=True)
    (gt,) = torch.autograd.grad((torch.tanh(xt) * xt).sum(), xt, create_graph=True)
    ((g**2).sum() + (x**2).sum()).backward()
    ((gt**2).sum() + (xt**2).sum()).backward()
    _same(x.grad, xt.grad)


def test_autograd_backward_sums_several_outputs_in_one_sweep():
    x, xt = _pair()
    y, yt = cnp.exp(x), torch.exp(xt)
    seed = np.array([0.5, 1.0, -1.0])
    cr.autograd.backward([y * x, (y * y).sum()], [cr.tensor(seed), None])
    torch.autograd.backward([yt * xt, (yt * yt).sum()], [torch.tensor(seed), None])
    _same(x.grad, xt.grad)
    cr.autograd.backward((x * x).sum())  # one tensor, accumulating
    torch.autograd.backward((xt * xt).sum())
    _same(x.grad, xt.grad)
    w = cr.tensor(2.0, requires_grad=True)
    cr.autograd.backward((w * x).sum(), inputs=[w])
    np.testing.assert_allclose(w.grad.numpy(), X.sum())
    with pytest.raises(RuntimeError, match="output 1 does not require grad"):
        cr.autograd.backward([(x * x).sum(), cr.tensor(1.0)])
