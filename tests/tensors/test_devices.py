"""Tensors on a CUDA device, without a GPU: a pretend CUDA (NumPy arrays of the
``DeviceArray`` subclass, run through a recording namespace) is plugged into the device
table, so moves, the graph across them, nn and optim run here as they do on CuPy.

What is checked: creation and moves, ``.device``, backward across ``.to``, an MLP
trained on the pretend device equals the CPU run (its values stay device arrays), mixing
devices is an error naming both, and the real CUDA provider's error without CuPy."""

import sys
import types

import numpy as np
import pytest

import chainrule as cr
from chainrule import nn, optim
from chainrule.core import backend
from chainrule.tensors.device import CupyDevices, register_device_type
from tests.backends.recording import DeviceArray, RecordingNamespace


class PretendCuda:
    """The operations the device table asks of a library, on ``DeviceArray``s (one
    pretend device, cuda:0)."""

    def to_device(self, array, index):
        return np.array(array, copy=True).view(DeviceArray)

    def to_host(self, array):
        return np.array(array, copy=True).view(np.ndarray)

    def index_of(self, array):
        return 0 if isinstance(array, DeviceArray) else None


@pytest.fixture(autouse=True)
def pretend_cuda(monkeypatch):
    monkeypatch.setitem(backend._registered, DeviceArray, RecordingNamespace())
    old = register_device_type("cuda", PretendCuda())
    yield
    register_device_type("cuda", old)


def on_device(t) -> bool:
    """Whether a tensor's values (or an array) live on the pretend device."""
    return isinstance(getattr(t, "_value", t), DeviceArray)


def test_creation_and_moves():
    x = cr.tensor([1.0, 2.0], device="cuda")
    assert on_device(x) and x.device == cr.device("cuda", 0) and x.is_cuda
    assert str(x.device) == "cuda:0" and repr(x.device) == "device(type='cuda', index=0)"
    assert "device='cuda:0'" in repr(x)
    for made in (
        cr.zeros(2, 3, device="cuda"), cr.ones(2, device="cuda:0"), cr.randn(2, device="cuda"),
        cr.rand(2, device="cuda"), cr.full((2,), 3.0, device="cuda"), cr.empty(2, device="cuda"),
        cr.arange(3, device="cuda"), cr.eye(2, device="cuda"), cr.linspace(0, 1, 3, device="cuda"),
        cr.zeros_like(x), cr.ones_like(x), cr.full_like(x, 2.0), cr.rand_like(x),
        cr.randn_like(x), cr.randint(0, 5, (3,), device="cuda"),
    ):  # fmt: skip
        assert on_device(made) and made.is_cuda
    assert not cr.zeros_like(x, device="cpu").is_cuda
    y = cr.ones(2)
    assert y.to("cuda").is_cuda and y.cuda().is_cuda and y.cuda(0).is_cuda
    assert x.cpu().device == "cpu" and type(x.cpu()._value) is np.ndarray
    assert x.to("cuda") is x and y.cpu() is y
    assert x.to(y).device == "cpu" and y.to(x).is_cuda
    z = y.to("cuda", cr.float64)
    assert z.is_cuda and z.dtype == np.float64
    assert x.tolist() == [1.0, 2.0]
    assert cr.tensor([4.0], device="cuda").item() == 4.0
    assert cr.tensor(x).is_cuda  # a tensor of device values stays on the device
    with pytest.raises(TypeError, match=r"cuda:0 device type tensor.*\.cpu\(\)\.numpy\(\)"):
        x.numpy()
    with pytest.raises(TypeError, match="cuda:0 device type tensor"):
        np.asarray(x)
    np.testing.assert_array_equal(x.cpu().numpy(), [1.0, 2.0])


def test_device_names_compare_like_pytorchs():
    assert cr.device("cuda:1") == cr.device("cuda", 1) and str(cr.device("cuda", 1)) == "cuda:1"
    assert cr.device("cuda:1") != cr.device("cuda:0") and cr.device("cuda") == "cuda"
    assert cr.device(cr.device("cuda:1")).index == 1
    for bad, message in (("tpu", "'tpu' is not supported"), ("cuda:x", "invalid device")):
        with pytest.raises(RuntimeError, match=message):
            cr.device(bad)


def test_backward_crosses_devices():
    w = cr.tensor([1.0, -2.0, 3.0], dtype=cr.float64, requires_grad=True)
    on = w.to("cuda")
    assert on.requires_grad and not on.is_leaf and repr(on.grad_fn) == "<ToCopyBackward>"
    loss = (on.sin() * on).sum()
    loss.backward()
    assert type(w.grad._value) is np.ndarray  # the gradient came back to the CPU
    expected = np.sin(w.detach().numpy()) + w.detach().numpy() * np.cos(w.detach().numpy())
    np.testing.assert_allclose(w.grad.numpy(), expected)
    leaf = cr.ones(3, dtype=cr.float64, device="cuda", requires_grad=True)
    (leaf.cpu() * 2.0).sum().backward()
    assert on_device(leaf.grad) and leaf.grad.cpu().tolist() == [2.0, 2.0, 2.0]


def test_second_derivative_across_a_move():
    x = cr.tensor(0.5, dtype=cr.float64, requires_grad=True)
    y = (x.to("cuda") ** 3).cpu()
    (g,) = cr.autograd.grad(y, x, create_graph=True)
    (gg,) = cr.autograd.grad(g, x)
    np.testing.assert_allclose([g.item(), gg.item()], [3 * 0.25, 6 * 0.5])


def test_pytorchs_type_promotion_on_the_device():
    ints, f64 = cr.tensor([1, 2], device="cuda"), cr.tensor(1.0, dtype=cr.float64)
    for got in (ints * 2.5, ints / 2, cr.ones(2, device="cuda") + f64):
        assert on_device(got) and got.dtype == cr.float32  # as on the CPU (NumPy: float64)


def test_mixing_devices_names_both():
    with pytest.raises(RuntimeError, match=r"same device.*two devices, cuda:0 and cpu!"):
        cr.ones(2, device="cuda") + cr.ones(2)
    with pytest.raises(backend.DeviceMismatchError, match="cpu and cuda:0"):
        cr.ones(2) * cr.ones(2, device="cuda")
    assert (cr.ones(2, device="cuda") + cr.tensor(1.0)).is_cuda  # a 0-d CPU tensor joins


def _train(make_optimizer, where):
    cr.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1)).double()
    params = list(model.parameters())
    assert model.to(where) is model and list(model.parameters()) == params  # identity kept
    opt = make_optimizer(model.parameters())
    x = cr.randn(5, 3, dtype=cr.float64).to(where)
    y = cr.randn(5, 1, dtype=cr.float64, device=where)
    for _ in range(3):
        opt.zero_grad()
        loss = ((model(x) - y) ** 2).mean()
        loss.backward()
        opt.step()
    return model, opt


@pytest.mark.parametrize("make", [
    lambda ps: optim.SGD(ps, lr=0.1, momentum=0.9),
    lambda ps: optim.Adam(ps, lr=0.05, amsgrad=True),
])  # fmt: skip
def test_mlp_trained_on_the_device_equals_the_cpu_run(make):
    on_cpu, _ = _train(make, "cpu")
    on_gpu, opt = _train(make, "cuda")
    for p in on_gpu.parameters():
        assert on_device(p) and on_device(p.grad)
    norm = nn.utils.clip_grad_norm_(on_gpu.parameters(), 1e-3)
    nn.utils.clip_grad_value_(on_gpu.parameters(), 1e-4)
    assert on_device(norm) and all(on_device(p.grad) for p in on_gpu.parameters())
    for state in opt.state.values():
        assert all(on_device(v) for v in state.values() if hasattr(v, "shape"))
    for a, b in zip(on_cpu.parameters(), on_gpu.parameters()):
        np.testing.assert_allclose(b.detach().cpu().numpy(), a.detach().numpy(), rtol=1e-12)
    state = on_gpu.state_dict()
    assert all(type(v._value) is np.ndarray for v in state.values())  # copied to the host
    assert all(type(v._value) is np.ndarray for v in opt.state_dict()["state"][0].values())
    on_gpu.load_state_dict(on_cpu.state_dict())
    assert all(on_device(p) for p in on_gpu.parameters())
    assert on_gpu.cpu() is on_gpu and not any(p.is_cuda for p in on_gpu.parameters())
    assert on_gpu.cuda() is on_gpu and all(p.is_cuda for p in on_gpu.parameters())


def test_without_cupy_the_cuda_device_says_how_to_install_it(monkeypatch):
    register_device_type("cuda", CupyDevices())
    monkeypatch.setitem(sys.modules, "cupy", None)  # import cupy fails
    for make in (lambda: cr.zeros(2, device="cuda"), lambda: cr.ones(2).cuda()):
        with pytest.raises(RuntimeError, match=r"needs CuPy.*pip install 'chainrule\[gpu\]'"):
            make()


def test_dropout_batch_norm_and_cross_entropy_stay_on_the_device(tmp_path):
    def run(where):
        cr.manual_seed(1)
        model = nn.Sequential(nn.Linear(4, 6), nn.BatchNorm1d(6), nn.Dropout(0.3), nn.Linear(6, 3))
        model.double().to(where)
        x = cr.randn(8, 4, dtype=cr.float64, device=where)
        labels = cr.tensor([0, 1, 2, 0, 1, 2, 0, 1], device=where)
        loss = nn.functional.cross_entropy(model(x), labels)
        loss.backward()
        return model, loss

    on_cpu, cpu_loss = run("cpu")
    on_gpu, gpu_loss = run("cuda")
    assert gpu_loss.is_cuda and on_device(on_gpu[1].running_mean)
    np.testing.assert_allclose(gpu_loss.item(), cpu_loss.item(), rtol=1e-12)
    for a, b in zip(on_cpu.parameters(), on_gpu.parameters()):
        np.testing.assert_allclose(b.grad.cpu().numpy(), a.grad.numpy(), rtol=1e-10)
    path = str(tmp_path / "model.safetensors")
    cr.save(on_gpu.state_dict(), path)
    cr.save({"w": on_gpu[0].weight.detach()}, str(tmp_path / "one.safetensors"))
    on_cpu.load_state_dict(cr.load(path))
    np.testing.assert_array_equal(
        on_cpu[0].weight.detach().numpy(), on_gpu[0].weight.cpu().tolist()
    )


def _cupy_without_gpu(count, fails=False):
    """A module standing in for CuPy on a machine with ``count`` GPUs (none reachable
    when ``fails``: CuPy raises CUDARuntimeError then)."""

    class CUDARuntimeError(RuntimeError):
        pass

    def get_device_count():
        if fails:
            raise CUDARuntimeError("cudaErrorNoDevice")
        return count

    module = types.ModuleType("cupy")
    runtime = types.SimpleNamespace(
        getDeviceCount=get_device_count, CUDARuntimeError=CUDARuntimeError
    )
    module.cuda = types.SimpleNamespace(runtime=runtime)
    module.ndarray = type("ndarray", (), {})
    return module


@pytest.mark.parametrize(("count", "fails", "message"), [
    (0, False, "no CUDA device is available"),
    (0, True, "no CUDA device is available"),
    (1, False, "CUDA device 3 is not available: there are 1"),
])  # fmt: skip
def test_cupy_without_a_usable_gpu_says_so(monkeypatch, count, fails, message):
    register_device_type("cuda", CupyDevices())
    monkeypatch.setitem(sys.modules, "cupy", _cupy_without_gpu(count, fails))
    with pytest.raises(RuntimeError, match=message):
        cr.zeros(2, device="cuda:3")
    assert cr.ones(2).device == "cpu"  # a NumPy array is not CuPy's


def test_copy_and_init_write_onto_the_tensors_device():
    w = cr.zeros(2, 3, device="cuda")
    nn.init.xavier_uniform_(w)
    w.copy_(np.ones((2, 3)))
    assert on_device(w) and w.cpu().tolist() == [[1.0] * 3] * 2
    host = cr.zeros(2)
    src = cr.tensor([1.0, 2.0], device="cuda", requires_grad=True)
    host.copy_(src)
    assert type(host._value) is np.ndarray and host.tolist() == [1.0, 2.0]
    host.sum().backward()
    assert on_device(src.grad) and src.grad.cpu().tolist() == [1.0, 1.0]


def test_pooling_embedding_one_hot_and_bce_run_on_the_device():
    def run(where):
        cr.manual_seed(2)
        conv = nn.Sequential(
            nn.Conv2d(2, 3, 3, padding=1), nn.MaxPool2d(2), nn.AvgPool2d(2, padding=1)
        ).double()
        emb = nn.Embedding(5, 2).double()
        conv.to(where), emb.to(where)
        x = cr.randn(2, 2, 8, 8, dtype=cr.float64, device=where)
        scale = emb(cr.tensor([1, 4], device=where)).sum(dim=1)
        out = conv(x).sum(dim=(1, 2, 3)) * scale
        out.sum().backward()
        _, where_max = nn.functional.max_pool2d(x, 2, return_indices=True)
        return out, [p.grad for p in [*conv.parameters(), *emb.parameters()]], where_max

    out_cpu, grads_cpu, idx_cpu = run("cpu")
    out_gpu, grads_gpu, idx_gpu = run("cuda")
    assert on_device(out_gpu) and all(on_device(g) for g in grads_gpu) and on_device(idx_gpu)
    np.testing.assert_allclose(out_gpu.detach().cpu().numpy(), out_cpu.detach().numpy())
    for a, b in zip(grads_cpu, grads_gpu):
        np.testing.assert_allclose(b.cpu().numpy(), a.numpy(), rtol=1e-12)
    np.testing.assert_array_equal(idx_gpu.cpu().numpy(), idx_cpu.numpy())
    probs = cr.tensor([0.0, 0.25, 1.0], dtype=cr.float64, device="cuda", requires_grad=True)
    targets = cr.tensor([0.0, 1.0, 1.0], dtype=cr.float64, device="cuda")
    bce = nn.functional.binary_cross_entropy(probs, targets)
    bce.backward()
    assert on_device(bce) and np.isclose(bce.item(), np.log(4.0) / 3)
    assert on_device(probs.grad)
    hot = nn.functional.one_hot(cr.tensor([0, 2], device="cuda"), 3)
    assert on_device(hot) and hot.cpu().tolist() == [[1, 0, 0], [0, 0, 1]]
