"""The Tensor world's default dtype (float32, as PyTorch's; ``set_default_dtype``) and
PyTorch's type promotion in tensor operations, each checked against PyTorch; the
functional NumPy API keeps NumPy's float64 and NumPy's promotion."""

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp
from chainrule import nn, optim

torch = pytest.importorskip("torch")


def _dtype_name(t) -> str:
    return str(t.dtype).replace("torch.", "")


FACTORIES = [
    ("tensor([1.0])", lambda m: m.tensor([1.0, 2.5])),
    ("tensor(2.0)", lambda m: m.tensor(2.0)),
    ("tensor(ints)", lambda m: m.tensor([1, 2])),
    ("tensor(bools)", lambda m: m.tensor([True])),
    ("tensor(complex)", lambda m: m.tensor([1 + 2j])),
    ("zeros", lambda m: m.zeros(2, 3)),
    ("ones", lambda m: m.ones(2)),
    ("empty", lambda m: m.empty(2)),
    ("randn", lambda m: m.randn(3)),
    ("rand", lambda m: m.rand(3)),
    ("full(float)", lambda m: m.full((2,), 1.5)),
    ("full(int)", lambda m: m.full((2,), 7)),
    ("full(bool)", lambda m: m.full((2,), True)),
    ("arange(int)", lambda m: m.arange(5)),
    ("arange(float)", lambda m: m.arange(0.0, 1.0, 0.25)),
    ("linspace", lambda m: m.linspace(0, 1, 5)),
    ("eye", lambda m: m.eye(3)),
    ("zeros_like(float64)", lambda m: m.zeros_like(m.ones(2, dtype=m.float64))),
    ("ones_like(int)", lambda m: m.ones_like(m.tensor([1, 2]))),
    ("full_like(float64)", lambda m: m.full_like(m.ones(2, dtype=m.float64), 3.0)),
    ("randn_like(float64)", lambda m: m.randn_like(m.ones(2, dtype=m.float64))),
    ("from float64 array", lambda m: m.tensor(np.array([1.0]))),
    ("from int32 array", lambda m: m.tensor(np.array([1], np.int32))),
    ("from float32 array", lambda m: m.tensor(np.array([1.0], np.float32))),
]


@pytest.mark.parametrize("name, make", FACTORIES, ids=[f[0] for f in FACTORIES])
@pytest.mark.parametrize("default", ["float32", "float64"])
def test_factories_give_pytorchs_dtypes(name, make, default):
    old_cr, old_torch = cr.get_default_dtype(), torch.get_default_dtype()
    try:
        cr.set_default_dtype(getattr(cr, default))
        torch.set_default_dtype(getattr(torch, default))
        assert str(make(cr).dtype) == _dtype_name(make(torch)), name
    finally:
        cr.set_default_dtype(old_cr)
        torch.set_default_dtype(old_torch)


def _maximum(m):
    return cnp.maximum if m is cr else m.maximum


def _operands(m):
    f32 = m.tensor([1.5, -2.0, 0.5], dtype=m.float32)
    f64 = m.tensor([1.5, -2.0, 0.5], dtype=m.float64)
    i64 = m.tensor([1, 2, 3])
    i32 = m.tensor([1, 2, 3], dtype=m.int32)
    return {
        "f32 * 2.0": lambda: f32 * 2.0,
        "f32 + 0-d f64": lambda: f32 + m.tensor(3.0, dtype=m.float64),
        "f32 + f64": lambda: f32 + f64,
        "i64 * 2.5": lambda: i64 * 2.5,
        "i64 + 1": lambda: i64 + 1,
        "i64 / 2": lambda: i64 / 2,
        "i64 / i64": lambda: i64 / i64,
        "i32 + 0-d i64": lambda: i32 + m.tensor(4),
        "i32 * 0-d f64": lambda: i32 * m.tensor(2.0, dtype=m.float64),
        "f32 ** i64": lambda: f32**i64,
        "i64 + f32": lambda: i64 + f32,
        "2.0 - f32": lambda: 2.0 - f32,
        "0-d f64 + 1": lambda: m.tensor(1.0, dtype=m.float64) + 1,
        "f64 * 2.0": lambda: f64 * 2.0,
        "sqrt(i64)": lambda: m.sqrt(i64),
        "exp(i32)": lambda: m.exp(i32),
        "where(f32, 0-d f64)": lambda: m.where(f32 > 0, f32, m.tensor(0.0, dtype=m.float64)),
        "maximum(f32, 0-d f64)": lambda: _maximum(m)(f32, m.tensor(1.0, dtype=m.float64)),
        "f32 * 1j": lambda: f32 * 1j,
        "f32 > 0-d f64": lambda: f32 > m.tensor(0.6, dtype=m.float64),
    }


@pytest.mark.parametrize("case", list(_operands(torch)))
def test_promotion_matches_pytorch(case):
    ours, theirs = _operands(cr)[case](), _operands(torch)[case]()
    assert str(ours.dtype) == _dtype_name(theirs), case
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6)


def test_promotion_keeps_each_inputs_gradient_dtype():
    x = cr.tensor([1.0, 2.0], requires_grad=True)  # float32
    s = cr.tensor(3.0, dtype=cr.float64, requires_grad=True)
    y = x * s
    assert y.dtype == np.float32
    y.sum().backward()
    assert x.grad.dtype == np.float32 and s.grad.dtype == np.float64
    np.testing.assert_allclose(x.grad.numpy(), [3.0, 3.0])
    np.testing.assert_allclose(s.grad.numpy(), 3.0)


def test_the_functional_api_keeps_numpys_rules():
    assert cnp.sqrt(np.arange(3)).dtype == np.float64
    assert cnp.multiply(np.ones(2, np.float32), np.float64(2.0)).dtype == np.float64
    grad = cr.grad(lambda v: cnp.sum(v * np.ones(2) / 2))(np.ones(2))
    assert grad.dtype == np.float64


def test_layers_and_optimizer_state_use_the_default_dtype():
    model = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.LayerNorm(4), nn.Conv2d(1, 1, 1))
    assert {p.dtype for p in model.parameters()} == {np.dtype(np.float32)}
    assert model[1].running_mean.dtype == np.float32
    lin = nn.Linear(3, 2)
    opt = optim.Adam(lin.parameters())
    lin(cr.randn(5, 3)).sum().backward()
    opt.step()
    state = opt.state_dict()["state"][0]
    assert {np.asarray(v).dtype for v in state.values()} == {np.dtype(np.float32)}
    assert lin.weight.dtype == np.float32
    try:
        cr.set_default_dtype(cr.float64)
        assert nn.Linear(3, 2).weight.dtype == np.float64
    finally:
        cr.set_default_dtype(cr.float32)
