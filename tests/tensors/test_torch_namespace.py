"""``import chainrule as torch``: PyTorch's top-level names and functions, each row of a
table run through both libraries (float64 inputs) and compared on values, dtypes and
gradients (``.backward()`` of a random weighted sum of the result). PyTorch is a test
oracle only."""

import itertools
import math
import sys
import warnings

import numpy as np
import pytest

import chainrule as cr

torch = pytest.importorskip("torch")

S = (2, 3, 4)
ROWS = []  # (id, fn(lib, *inputs), input shapes, positive inputs)


def row(name, fn, *shapes, positive=False):
    ROWS.append(pytest.param(fn, shapes, positive, id=name))


UNARY = ["sin", "cos", "exp", "log", "log1p", "sqrt", "abs", "tanh", "sigmoid", "relu"]
for name, shape in itertools.product(UNARY + ["tan"], [(3,), (2, 3), S]):
    pos = name in ("log", "log1p", "sqrt")
    row(f"{name}{shape}", lambda m, x, n=name: getattr(m, n)(x), shape, positive=pos)
    if name != "tan":
        row(f"x.{name}{shape}", lambda m, x, n=name: getattr(x, n)(), shape, positive=pos)

for name, dim, keep in itertools.product(
    ["sum", "mean"], [None, 0, 1, -1, (0, 1), (0, 2)], [False, True]
):
    if dim is None and keep:
        continue
    row(
        f"{name}(dim={dim},keepdim={keep})",
        lambda m, x, n=name, d=dim, k=keep: getattr(m, n)(x, dim=d, keepdim=k),
        S,
    )
    row(f"x.{name}({dim},{keep})", lambda m, x, n=name, d=dim, k=keep: getattr(x, n)(d, k), S)
for name in ["sum", "mean", "max", "min", "argmax", "argmin", "norm"]:
    row(f"{name}(x)", lambda m, x, n=name: getattr(m, n)(x), S)
for name, dim, keep in itertools.product(["max", "min"], [0, 1, -1], [False, True]):
    row(
        f"{name}(dim={dim},keepdim={keep})",
        lambda m, x, n=name, d=dim, k=keep: getattr(m, n)(x, dim=d, keepdim=k),
        S,
    )
    row(f"x.{name}({dim},{keep})", lambda m, x, n=name, d=dim, k=keep: getattr(x, n)(d, k), S)
for name, dim, keep in itertools.product(["argmax", "argmin"], [0, 1, -1], [False, True]):
    row(
        f"{name}({dim},{keep})",
        lambda m, x, n=name, d=dim, k=keep: getattr(m, n)(x, dim=d, keepdim=k),
        S,
    )
row("max(a,b)", lambda m, a, b: m.max(a, b), (2, 3), (2, 3))
row("min(a,b)", lambda m, a, b: m.min(a, b), (2, 3), (2, 3))
for p, dim, keep in itertools.product(
    [2, 1, 3, math.inf, -math.inf, "fro"], [None, 1, -1], [False, True]
):
    if dim is None and keep:
        continue
    row(
        f"norm(p={p},dim={dim},keepdim={keep})",
        lambda m, x, p=p, d=dim, k=keep: m.norm(x, p=p, dim=d, keepdim=k),
        S,
    )
    row(f"x.norm({p},{dim},{keep})", lambda m, x, p=p, d=dim, k=keep: x.norm(p, d, k), S)
for dim in [0, 1, -1]:
    row(f"cumsum({dim})", lambda m, x, d=dim: m.cumsum(x, dim=d), S)
    row(f"x.cumsum({dim})", lambda m, x, d=dim: x.cumsum(d), S)
    row(f"prod({dim})", lambda m, x, d=dim: x.prod(d), S)
    for unbiased in [True, False]:
        row(f"var({dim},{unbiased})", lambda m, x, d=dim, u=unbiased: x.var(d, unbiased=u), S)
        row(f"std({dim},{unbiased})", lambda m, x, d=dim, u=unbiased: x.std(d, unbiased=u), S)
for dim, desc in itertools.product([0, 1, -1], [False, True]):
    row(f"sort({dim},{desc})", lambda m, x, d=dim, s=desc: m.sort(x, dim=d, descending=s), S)
    row(f"x.sort({dim},{desc})", lambda m, x, d=dim, s=desc: x.sort(d, s), S)
for k, dim, largest in itertools.product([1, 2], [0, -1], [True, False]):
    row(
        f"topk({k},{dim},{largest})",
        lambda m, x, k=k, d=dim, g=largest: m.topk(x, k, dim=d, largest=g),
        S,
    )
    row(f"x.topk({k},{dim},{largest})", lambda m, x, k=k, d=dim, g=largest: x.topk(k, d, g), S)
for lo, hi in [(-0.5, 0.5), (None, 0.2), (-0.2, None)]:
    row(f"clamp({lo},{hi})", lambda m, x, lo=lo, hi=hi: m.clamp(x, min=lo, max=hi), S)
    row(f"x.clamp({lo},{hi})", lambda m, x, lo=lo, hi=hi: x.clamp(lo, hi), S)
for d0, d1 in [(0, 1), (1, 2), (0, -1)]:
    row(f"transpose({d0},{d1})", lambda m, x, a=d0, b=d1: m.transpose(x, a, b), S)
for shape in [(6, 4), (-1,), (4, -1), (2, 12)]:
    row(f"reshape{shape}", lambda m, x, s=shape: m.reshape(x, s), S)
for start, end in [(0, -1), (1, -1), (0, 1), (1, 2)]:
    row(f"flatten({start},{end})", lambda m, x, a=start, b=end: m.flatten(x, a, b), S)
for dim in [0, 1, 2, -1]:
    row(f"unsqueeze({dim})", lambda m, x, d=dim: m.unsqueeze(x, d), (2, 3))
for dim in [None, 1]:
    row(
        f"squeeze({dim})",
        lambda m, x, d=dim: m.squeeze(x) if d is None else m.squeeze(x, d),
        (2, 1, 3),
    )
for dim in [0, 1, -1]:
    row(f"cat({dim})", lambda m, a, b, d=dim: m.cat([a, b], dim=d), (2, 3), (2, 3))
    row(f"stack({dim})", lambda m, a, b, d=dim: m.stack([a, b], dim=d), (2, 3), (2, 3))
row("cat(2+3)", lambda m, a, b: m.cat((a, b)), (2, 3), (3, 3))
row("where", lambda m, a, b: m.where(a > 0, a, b), (2, 3), (2, 3))
row("where(scalar)", lambda m, a: m.where(a > 0, a, 0.0), (2, 3))
for shapes in [
    ((3, 4), (4, 2)),
    ((4,), (4, 2)),
    ((2, 3, 4), (4, 5)),
    ((2, 3, 4), (2, 4, 5)),
    ((4,), (4,)),
]:
    row(f"matmul{shapes}", lambda m, a, b: m.matmul(a, b), *shapes)
row("mm", lambda m, a, b: m.mm(a, b), (3, 4), (4, 2))
row("bmm", lambda m, a, b: m.bmm(a, b), (2, 3, 4), (2, 4, 5))
row("einsum(ij,jk)", lambda m, a, b: m.einsum("ij,jk->ik", a, b), (3, 4), (4, 2))
row("einsum(bij,bjk)", lambda m, a, b: m.einsum("bij,bjk->bik", a, b), (2, 3, 4), (2, 4, 5))
row("einsum(ii)", lambda m, a: m.einsum("ii", a), (3, 3))
row("einsum(list)", lambda m, a, b: m.einsum("i,i->", [a, b]), (4,), (4,))
for k in [-1, 0, 1]:
    row(f"diag(matrix,{k})", lambda m, x, k=k: m.diag(x, k), (3, 4))
    row(f"diag(vector,{k})", lambda m, x, k=k: m.diag(x, k), (3,))
    row(f"tril({k})", lambda m, x, k=k: m.tril(x, k), (3, 4))
    row(f"triu({k})", lambda m, x, k=k: m.triu(x, k), (3, 4))
row("outer", lambda m, a, b: m.outer(a, b), (3,), (4,))
row("dot", lambda m, a, b: m.dot(a, b), (4,), (4,))
row("x.rsqrt", lambda m, x: x.rsqrt(), (2, 3), positive=True)
row("x.square", lambda m, x: x.square(), (2, 3))
row("x.t", lambda m, x: x.t(), (2, 3))
row("x.permute", lambda m, x: x.permute(2, 0, 1), S)
row("x.view", lambda m, x: x.view(4, 6), S)
row("x.softmax", lambda m, x: x.softmax(-1), S)
row("x.log_softmax", lambda m, x: x.log_softmax(1), S)
row("x.pow", lambda m, x: x.pow(3), S)
row("x.amax", lambda m, x: x.amax(1), S)
row("x.amin", lambda m, x: x.amin((0, 2)), S)
row("x.expand", lambda m, x: x.expand(2, 3, 4), (3, 1))
row("x.repeat", lambda m, x: x.repeat(2, 1), (2, 3))
row("x.double", lambda m, x: x.double() * 2, (2, 3))
row("x@y", lambda m, a, b: a @ b, (3, 4), (4, 2))
row("x*y+x/y", lambda m, a, b: a * b + a / b, (2, 3), (2, 3), positive=True)


def _inputs(shapes, positive, seed):
    rng = np.random.default_rng(seed)
    draw = (lambda s: rng.uniform(0.5, 2.0, s)) if positive else rng.standard_normal
    return [draw(s) for s in shapes]


def _first(out):
    return out[0] if isinstance(out, tuple) else out


@pytest.mark.parametrize(("fn", "shapes", "positive"), ROWS)
def test_function_matches_torch(fn, shapes, positive):
    arrays = _inputs(shapes, positive, seed=len(ROWS))
    ours_in = [cr.tensor(a, requires_grad=True) for a in arrays]
    theirs_in = [torch.tensor(a, requires_grad=True) for a in arrays]
    ours, theirs = fn(cr, *ours_in), fn(torch, *theirs_in)
    assert type(ours).__name__ == "Tensor" or isinstance(ours, tuple)
    assert isinstance(ours, tuple) == isinstance(theirs, tuple)
    if isinstance(theirs, tuple):  # named (values, indices): compare both fields
        assert ours._fields == ("values", "indices")
        np.testing.assert_array_equal(ours.indices.numpy(), theirs.indices.numpy())
    o, t = _first(ours), _first(theirs)
    assert str(o.dtype) == str(t.dtype).removeprefix("torch.")
    np.testing.assert_allclose(o.detach().numpy(), t.detach().numpy(), rtol=1e-12, atol=1e-12)
    if not t.requires_grad:
        return
    weights = np.random.default_rng(1).standard_normal(t.shape)
    (o * cr.tensor(weights)).sum().backward()
    (t * torch.tensor(weights)).sum().backward()
    for a, b in zip(ours_in, theirs_in, strict=True):
        want = np.zeros_like(a.detach().numpy()) if b.grad is None else b.grad.numpy()
        got = np.zeros_like(want) if a.grad is None else a.grad.numpy()
        np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12)


def test_the_table_is_large():
    assert len(ROWS) >= 250


def test_dtype_names_are_pytorchs():
    pairs = {"float": "float32", "double": "float64", "long": "int64", "int": "int32",
             "bool": "bool", "float16": "float16", "half": "float16", "int32": "int32"}  # fmt: skip
    for name, want in pairs.items():
        assert np.dtype(getattr(cr, name)) == np.dtype(want), name
        assert str(getattr(torch, name)) == f"torch.{want}", name
    assert cr.zeros(2, dtype=cr.long).dtype == np.int64
    assert cr.get_default_dtype() == np.float32  # as torch.get_default_dtype()


def test_set_default_dtype_accepts_float32_and_float64_only():
    try:
        cr.set_default_dtype(cr.float64)
        assert cr.get_default_dtype() == np.float64 and cr.zeros(1).dtype == np.float64
        for bad in (cr.int64, cr.float16, cr.complex64, "not a dtype"):
            with pytest.raises(TypeError, match="float32 or float64|not a dtype"):
                cr.set_default_dtype(bad)
        assert cr.get_default_dtype() == np.float64  # a refused call changes nothing
    finally:
        cr.set_default_dtype(cr.float32)


@pytest.mark.parametrize("make", [
    lambda d: cr.zeros(2, device=d), lambda d: cr.randn(2, 3, device=d),
    lambda d: cr.tensor([1.0], device=d), lambda d: cr.arange(3, device=d),
    lambda d: cr.full((2,), 1.0, device=d), lambda d: cr.randint(0, 5, (3,), device=d),
    lambda d: cr.ones(2).to(d), lambda d: cr.device(d),
])  # fmt: skip
def test_devices_other_than_the_cpu_are_refused(make):
    assert make("cpu").__class__.__name__ in ("Tensor", "device")
    assert make(cr.device("cpu")) is not None
    with pytest.raises(RuntimeError, match="device type 'tpu' is not supported"):
        make("tpu:0")


def test_device_compares_like_pytorchs(monkeypatch):
    x = cr.ones(2)
    assert x.device == cr.device("cpu") == "cpu"
    assert str(x.device) == "cpu" and not x.is_cuda
    monkeypatch.setitem(sys.modules, "cupy", None)  # as on a machine without CuPy
    with pytest.raises(RuntimeError, match="'cuda' needs CuPy"):
        x.cuda()


def test_out_is_refused_by_name():
    with pytest.raises(TypeError, match=r"sum\(\): out= is not supported"):
        cr.sum(cr.ones(2), out=cr.zeros(()))
    with pytest.raises(TypeError, match=r"cat\(\): out= is not supported"):
        cr.cat([cr.ones(2)], out=cr.zeros(2))


def test_shape_errors_name_the_function():
    with pytest.raises(RuntimeError, match=r"mm\(\): expects 2-D"):
        cr.mm(cr.ones(2, 3, 4), cr.ones(4, 2))
    with pytest.raises(RuntimeError, match=r"bmm\(\): batch sizes differ"):
        cr.bmm(cr.ones(2, 3, 4), cr.ones(3, 4, 2))
    with pytest.raises(ValueError, match="topk: k=5"):
        cr.topk(cr.ones(3), 5)


def test_small_helpers_match_torch():
    a = np.arange(6.0).reshape(2, 3)
    assert cr.numel(cr.tensor(a)) == torch.numel(torch.tensor(a)) == 6
    assert cr.is_tensor(cr.tensor(a)) and not cr.is_tensor(a)
    assert cr.allclose(cr.tensor(a), cr.tensor(a + 1e-9))
    assert cr.equal(cr.tensor(a), cr.tensor(a)) and not cr.equal(cr.tensor(a), cr.tensor(a[:1]))
    cr.manual_seed(0)
    ints, perm = cr.randint(2, 5, (100,)), cr.randperm(7)
    assert ints.dtype == np.int64 and set(ints.tolist()) == {2, 3, 4}
    assert sorted(perm.tolist()) == list(range(7)) and perm.dtype == np.int64
    with cr.no_grad():
        assert not (cr.ones(2, requires_grad=True) * 2).requires_grad


def test_clip_grad_matches_torch():
    rng = np.random.default_rng(0)
    arrays = [rng.standard_normal((3, 4)), rng.standard_normal(4)]
    for norm_type, max_norm in [(2.0, 0.5), (1.0, 100.0), (math.inf, 0.3)]:
        ours = [cr.tensor(a, requires_grad=True) for a in arrays]
        theirs = [torch.tensor(a, requires_grad=True) for a in arrays]
        sum((p**3).sum() for p in ours).backward()
        sum((p**3).sum() for p in theirs).backward()
        got = cr.nn.utils.clip_grad_norm_(ours, max_norm, norm_type)
        want = torch.nn.utils.clip_grad_norm_(theirs, max_norm, norm_type)
        np.testing.assert_allclose(float(got), float(want), rtol=1e-12)
        for a, b in zip(ours, theirs, strict=True):
            np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=1e-9)
        cr.nn.utils.clip_grad_value_(ours, 0.1)
        torch.nn.utils.clip_grad_value_(theirs, 0.1)
        for a, b in zip(ours, theirs, strict=True):
            np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=1e-12)


def test_flatten_module_with_both_dims():
    x = np.random.default_rng(0).standard_normal((2, 3, 4))
    got = cr.nn.Flatten(0, 1)(cr.tensor(x))
    assert got.shape == torch.nn.Flatten(0, 1)(torch.tensor(x)).shape == (6, 4)


def test_utils_data_is_chainrules_data():
    import chainrule.utils.data as data

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert (
            data.DataLoader is cr.data.DataLoader
            and cr.utils.data.TensorDataset is cr.data.TensorDataset
        )
    parts = data.random_split(data.TensorDataset(cr.arange(10)), [7, 3])
    assert [len(p) for p in parts] == [7, 3]


@pytest.mark.parametrize(
    ("call", "feature"),
    [
        (lambda: cr.ones(2).to_sparse(), "sparse"),
        (lambda: cr.ones(2).to_sparse_csr(), "sparse"),
        (lambda: cr.sparse_coo_tensor([[0]], [1.0], (2,)), "sparse"),
        (lambda: cr.sparse_csr_tensor([0, 1], [0], [1.0]), "sparse"),
        (lambda: cr.quantize_per_tensor(cr.ones(2), 0.1, 0, None), "quantized"),
        (lambda: cr.ones(2).dequantize(), "quantized"),
    ],
)
def test_features_outside_scope_are_named_not_attribute_errors(call, feature):
    with pytest.raises(NotImplementedError, match=f"{feature} tensors .* not supported"):
        call()
    assert not cr.ones(2).is_sparse and not cr.ones(2).is_quantized
