"""A Tensor passed to a functional transform is boxed by it; the box keeps the Tensor's
PyTorch methods (``sum(dim=)``, ``max(dim)``, ``relu``, ``view`` ...), while boxes of
NumPy arrays keep NumPy's. Gradients through the methods agree with PyTorch and with
``Tensor.backward`` on the same code."""

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp

torch = pytest.importorskip("torch")

X = np.array([[0.5, -1.5, 2.0, 0.25], [1.25, 3.0, -0.75, -2.5], [0.1, 0.2, 0.3, -0.4]])

# The same program in PyTorch's method vocabulary runs on torch.Tensor, on cr.Tensor
# (eager), and on cr.Tensor inside cr.grad.
PROGRAMS = {
    "sum_dim": lambda t: t.sum(dim=0).sum(),
    "sum_keepdim": lambda t: (t.sum(1, keepdim=True) * t).sum(),
    "mean_dim": lambda t: (t.mean(dim=1) ** 2).sum(),
    "max_dim": lambda t: t.max(dim=1).values.sum() + t.max(0)[0].sum(),
    "min_dim": lambda t: t.min(1, keepdim=True).values.sum(),
    "max_all": lambda t: t.max() * t.min(),
    "amax": lambda t: t.amax(dim=0).sum(),
    "var_std": lambda t: t.var(dim=1).sum() + t.std(0, unbiased=False).sum(),
    "prod": lambda t: t.prod(dim=1).sum(),
    "cumsum": lambda t: (t.cumsum(dim=1) ** 2).sum(),
    "sort": lambda t: (t.sort(dim=1, descending=True).values * t).sum(),
    "repeat": lambda t: (t.repeat(2, 1) ** 2).sum(),
    "transpose": lambda t: (t.transpose(0, 1) @ t).sum(),
    "t_mm": lambda t: t.t().mm(t).sum(),
    "reshape_view": lambda t: (t.reshape(2, 6).view(-1, 3) ** 2).sum(),
    "flatten": lambda t: (t.flatten() * t.flatten(0)).sum(),
    "permute": lambda t: (t.unsqueeze(0).permute(2, 0, 1) ** 3).sum(),
    "squeeze": lambda t: t.unsqueeze(1).squeeze(1).squeeze(0).sum(),
    "expand": lambda t: (t.unsqueeze(0).expand(2, -1, -1) * 2).sum(),
    "relu": lambda t: t.relu().sum(),
    "sigmoid_tanh": lambda t: (t.sigmoid() * t.tanh()).sum(),
    "softmax": lambda t: (t.softmax(dim=1) * t).sum() + t.log_softmax(0).sum(),
    "clamp_clip": lambda t: t.clamp(min=-1.0, max=1.0).sum() + t.clip(-0.5, 0.5).sum(),
    "square_rsqrt": lambda t: t.square().sum() + (t.abs() + 1).rsqrt().sum(),
    "exp_log1p": lambda t: (t.exp().log1p() * t.neg()).sum(),
    "pow": lambda t: t.pow(3).sum(),
    "add_sub_mul_div": lambda t: t.add(t, alpha=2).sub(1.0, alpha=3).mul(t).div(2.0).sum(),
    "gather": lambda t: t.gather(1, _index(t, [[3, 0], [1, 1], [2, 0]])).sum(),
    "masked_fill": lambda t: t.masked_fill(t < 0, 0.0).sum(),
    "float_double": lambda t: t.double().sum(),
}


def _index(t, rows):
    return torch.tensor(rows) if isinstance(t, torch.Tensor) else cr.tensor(rows)


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_methods_inside_grad_agree_with_pytorch_and_with_eager(name):
    fun = PROGRAMS[name]
    xt = torch.tensor(X, requires_grad=True)
    (expected,) = torch.autograd.grad(fun(xt), xt)
    g = cr.grad(fun)(cr.tensor(X))
    np.testing.assert_allclose(np.asarray(g), expected.numpy(), rtol=1e-12, atol=1e-12)
    x = cr.tensor(X, requires_grad=True)
    fun(x).backward()
    np.testing.assert_allclose(x.grad.numpy(), expected.numpy(), rtol=1e-12, atol=1e-12)


def test_the_reported_cases():
    np.testing.assert_array_equal(
        np.asarray(cr.grad(lambda t: t.sum(dim=0).sum())(cr.tensor([[1.0, 2.0]]))), [[1, 1]]
    )
    np.testing.assert_array_equal(
        np.asarray(cr.grad(lambda t: t.relu().sum())(cr.tensor([1.0, -1.0]))), [1, 0]
    )


def test_forward_mode_and_nested_transforms():
    x = cr.tensor([0.5, -1.0, 2.0], dtype=cr.float64)
    v = cr.tensor([1.0, 2.0, -1.0], dtype=cr.float64)
    out, tangent = cr.jvp(lambda t: t.relu().square().sum(dim=0), (x,), (v,))
    np.testing.assert_allclose(np.asarray(out), 4.25)
    np.testing.assert_allclose(np.asarray(tangent), 2 * 0.5 * 1.0 + 2 * 2.0 * -1.0)
    hess = cr.hessian(lambda t: (t.relu() ** 3).sum(dim=0))(x)
    np.testing.assert_allclose(np.asarray(hess), np.diag([3.0, 0.0, 12.0]))
    jac = cr.jacfwd(lambda t: t.softmax(dim=0))(x)
    xt = torch.tensor([0.5, -1.0, 2.0], dtype=torch.float64)
    expected = torch.autograd.functional.jacobian(lambda t: t.softmax(dim=0), xt)
    np.testing.assert_allclose(np.asarray(jac), expected.numpy(), rtol=1e-12)


def test_shape_queries_and_constant_results():
    seen = {}

    def f(t):
        seen.update(size=t.size(), size0=t.size(1), dim=t.dim(), numel=t.numel())
        seen.update(device=t.device, shape=t.shape)
        values, indices = t.max(dim=1)
        seen.update(indices=indices, argmax=t.argmax(dim=0), order=t.argsort(dim=1))
        seen.update(long=t.long())
        return values.sum()

    cr.grad(f)(cr.tensor(X))
    assert seen["size"] == (3, 4) and seen["size0"] == 4
    assert seen["dim"] == 2 and seen["numel"] == 12 and seen["device"] == "cpu"
    assert seen["shape"] == (3, 4)
    for key, expected in (
        ("indices", X.argmax(1)),
        ("argmax", X.argmax(0)),
        ("order", X.argsort(1)),
        ("long", X.astype(np.int64)),
    ):
        assert isinstance(seen[key], cr.Tensor)
        np.testing.assert_array_equal(seen[key].numpy(), expected)


def test_traced_tensors_refuse_in_place_changes_and_conversions():
    with pytest.raises(TypeError, match="in place"):
        cr.grad(lambda t: t.add_(1.0).sum())(cr.tensor([1.0]))
    with pytest.raises(TypeError, match="in place"):
        cr.grad(lambda t: t.masked_fill_(t > 0, 0.0).sum())(cr.tensor([1.0]))
    for method in ("item", "numpy", "tolist"):
        with pytest.raises(TypeError, match="derivative would be dropped"):
            cr.grad(lambda t, m=method: getattr(t, m)())(cr.tensor(1.0))


def test_boxes_of_numpy_arrays_keep_numpy_methods():
    a = np.array([[1.0, 5.0], [3.0, 2.0]])

    def f(x):
        assert x.size == 4  # NumPy's element count, not a method
        assert not hasattr(x, "relu") and not hasattr(x, "view")
        with pytest.raises(AttributeError, match="relu"):
            x.relu()
        m = x.max(0)  # NumPy: an array, not (values, indices)
        r = x.repeat(2)  # NumPy: each element twice
        assert m.shape == (2,) and r.shape == (8,)
        return (m * cnp.array([1.0, 2.0])).sum() + x.transpose().sum(axis=0).sum()

    np.testing.assert_allclose(cr.grad(f)(a), [[1.0, 3.0], [2.0, 1.0]])


def test_parameters_and_tensors_mixed_with_arrays():
    w = cr.nn.Parameter(cr.tensor([1.0, -2.0]))
    g = cr.grad(lambda p: (p.relu() * np.array([3.0, 4.0])).sum(dim=0))(w)
    np.testing.assert_allclose(np.asarray(g), [3.0, 0.0])
