"""Layer outputs and gradients against PyTorch (float64, to 1e-6), with weights moved
between the two by state_dict name; state_dict keys and reprs are PyTorch's. Skipped
where PyTorch isn't installed."""

import numpy as np
import pytest

import chainrule as cr
from chainrule import nn
from chainrule.nn import functional as F

from ._helpers import TOL, randn

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.usefixtures("torch_float64")


def _copy_weights(ours, theirs):
    """torch -> chainrule by state_dict name (the layouts are the same)."""
    ours.load_state_dict({k: v.detach().numpy().copy() for k, v in theirs.state_dict().items()})


def _compare(ours, theirs, x, *, train=True, cotangent_seed=1):
    """Run both on x; compare the output, d/dx and every parameter's gradient."""
    ours.train(train)
    theirs.train(train)
    xt = torch.tensor(x, requires_grad=True)
    xc = cr.tensor(x, requires_grad=True)
    yt, yc = theirs(xt), ours(xc)
    np.testing.assert_allclose(yc.detach().numpy(), yt.detach().numpy(), **TOL)
    g = np.random.default_rng(cotangent_seed).normal(size=yt.shape)
    (yt * torch.tensor(g)).sum().backward()
    (yc * cr.tensor(g)).sum().backward()
    np.testing.assert_allclose(xc.grad.numpy(), xt.grad.numpy(), **TOL)
    theirs_named = dict(theirs.named_parameters())
    for name, p in ours.named_parameters():
        np.testing.assert_allclose(
            p.grad.numpy(), theirs_named[name].grad.numpy(), err_msg=name, **TOL
        )


def test_linear_and_mlp():
    theirs = torch.nn.Sequential(torch.nn.Linear(5, 7), torch.nn.Tanh(), torch.nn.Linear(7, 3))
    ours = nn.Sequential(nn.Linear(5, 7), nn.Tanh(), nn.Linear(7, 3))
    _copy_weights(ours, theirs)
    _compare(ours, theirs, randn(4, 5))
    # 1-d and 3-d inputs take other code paths
    lin_t, lin_c = torch.nn.Linear(5, 2), nn.Linear(5, 2)
    _copy_weights(lin_c, lin_t)
    _compare(lin_c, lin_t, randn(5))
    _compare(lin_c, lin_t, randn(2, 3, 5))


@pytest.mark.parametrize(
    "kw",
    [
        dict(),
        dict(stride=2, padding=1),
        dict(padding=(1, 2), dilation=2),
        dict(groups=2, stride=(1, 2)),
        dict(padding="same", dilation=(1, 2)),
        dict(padding=1, padding_mode="reflect"),
        dict(padding=1, padding_mode="circular", bias=False),
    ],
    ids=lambda kw: ",".join(f"{k}={v}" for k, v in kw.items()) or "default",
)
def test_conv2d(kw):
    theirs, ours = torch.nn.Conv2d(4, 6, 3, **kw), nn.Conv2d(4, 6, 3, **kw)
    _copy_weights(ours, theirs)
    _compare(ours, theirs, randn(2, 4, 7, 6))


def test_conv2d_unbatched_input():
    theirs, ours = torch.nn.Conv2d(2, 3, (2, 3)), nn.Conv2d(2, 3, (2, 3))
    _copy_weights(ours, theirs)
    _compare(ours, theirs, randn(2, 5, 5))


@pytest.mark.parametrize(
    "kw",
    [
        dict(kernel_size=2),
        dict(kernel_size=3, stride=2, padding=1),
        dict(kernel_size=3, stride=2, ceil_mode=True),
        dict(kernel_size=(2, 3), stride=(1, 2), dilation=2, padding=1),
    ],
    ids=str,
)
def test_max_pool2d_values_gradients_and_indices(kw):
    _compare(nn.MaxPool2d(**kw), torch.nn.MaxPool2d(**kw), randn(2, 3, 7, 8))
    x = randn(2, 3, 7, 8)
    _, idx_c = F.max_pool2d(cr.tensor(x), return_indices=True, **kw)
    _, idx_t = torch.nn.functional.max_pool2d(torch.tensor(x), return_indices=True, **kw)
    np.testing.assert_array_equal(idx_c.numpy(), idx_t.numpy())


def test_max_pool2d_ties_send_the_gradient_to_one_entry():
    x = np.zeros((1, 1, 4, 4))  # every window is a 4-way tie
    xc, xt = cr.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    nn.MaxPool2d(2)(xc).sum().backward()
    torch.nn.MaxPool2d(2)(xt).sum().backward()
    np.testing.assert_array_equal(xc.grad.numpy(), xt.grad.numpy())


@pytest.mark.parametrize(
    "kw",
    [
        dict(kernel_size=2),
        dict(kernel_size=3, stride=2, padding=1),
        dict(kernel_size=3, stride=2, padding=1, count_include_pad=False),
        dict(kernel_size=3, stride=2, ceil_mode=True),
        dict(kernel_size=3, stride=2, padding=1, ceil_mode=True, count_include_pad=False),
        dict(kernel_size=2, divisor_override=3),
    ],
    ids=str,
)
def test_avg_pool2d(kw):
    _compare(nn.AvgPool2d(**kw), torch.nn.AvgPool2d(**kw), randn(2, 3, 7, 8))


@pytest.mark.parametrize("momentum", [0.1, None])
def test_batchnorm1d_train_and_eval_with_running_stats(momentum):
    theirs = torch.nn.BatchNorm1d(5, momentum=momentum)
    ours = nn.BatchNorm1d(5, momentum=momentum)
    with torch.no_grad():
        theirs.weight.uniform_(0.5, 1.5)
        theirs.bias.uniform_(-0.5, 0.5)
    _copy_weights(ours, theirs)
    for seed in range(3):  # a few training steps update the running statistics
        _compare(ours, theirs, randn(8, 5, seed=seed) * 2 + 1, train=True)
    for name, buf in theirs.named_buffers():
        np.testing.assert_allclose(ours.state_dict()[name].numpy(), buf.numpy(), err_msg=name)
    _compare(ours, theirs, randn(8, 5, seed=9), train=False)
    # (N, C, L) input
    _compare(ours, theirs, randn(4, 5, 3, seed=4), train=True)


def test_batchnorm2d_and_untracked_stats():
    theirs, ours = torch.nn.BatchNorm2d(3), nn.BatchNorm2d(3)
    _copy_weights(ours, theirs)
    _compare(ours, theirs, randn(4, 3, 5, 5), train=True)
    _compare(ours, theirs, randn(4, 3, 5, 5, seed=2), train=False)
    np.testing.assert_allclose(ours.running_var.numpy(), theirs.running_var.numpy())
    theirs = torch.nn.BatchNorm2d(3, affine=False, track_running_stats=False)
    ours = nn.BatchNorm2d(3, affine=False, track_running_stats=False)
    assert list(ours.state_dict()) == list(theirs.state_dict()) == []
    _compare(ours, theirs, randn(2, 3, 4, 4), train=False)  # batch statistics even in eval


def test_layernorm():
    theirs, ours = torch.nn.LayerNorm((3, 4)), nn.LayerNorm((3, 4))
    with torch.no_grad():
        theirs.weight.normal_()
        theirs.bias.normal_()
    _copy_weights(ours, theirs)
    _compare(ours, theirs, randn(2, 5, 3, 4))


def test_embedding_with_padding_idx():
    theirs = torch.nn.Embedding(10, 4, padding_idx=2)
    ours = nn.Embedding(10, 4, padding_idx=2)
    _copy_weights(ours, theirs)
    idx = np.array([[1, 2, 3], [2, 9, 1]])
    yt, yc = theirs(torch.tensor(idx)), ours(cr.tensor(idx))
    np.testing.assert_allclose(yc.detach().numpy(), yt.detach().numpy())
    g = randn(*yt.shape)
    (yt * torch.tensor(g)).sum().backward()
    (yc * cr.tensor(g)).sum().backward()
    np.testing.assert_allclose(ours.weight.grad.numpy(), theirs.weight.grad.numpy(), **TOL)
    assert not np.any(ours.weight.grad.numpy()[2])


ACTIVATIONS = [
    ("ReLU", {}),
    ("LeakyReLU", {"negative_slope": 0.2}),
    ("ELU", {"alpha": 0.7}),
    ("GELU", {}),
    ("GELU", {"approximate": "tanh"}),
    ("SiLU", {}),
    ("Softplus", {"beta": 2.0, "threshold": 3.0}),
    ("Tanh", {}),
    ("Sigmoid", {}),
    ("Softmax", {"dim": 1}),
    ("LogSoftmax", {"dim": -1}),
]


@pytest.mark.parametrize("name,kw", ACTIVATIONS, ids=[f"{n}{k}" for n, k in ACTIVATIONS])
def test_activations(name, kw):
    x = randn(4, 6) * 3
    _compare(getattr(nn, name)(**kw), getattr(torch.nn, name)(**kw), x)


# the test sums outputs that hold both -inf and inf (NaN, as in NumPy, which warns);
# only the gradients of that sum are compared
@pytest.mark.filterwarnings("ignore:invalid value encountered in reduce:RuntimeWarning")
def test_activations_at_kinks_and_infinities():
    x = np.array([[-np.inf, -1.0, 0.0, 1.0, np.inf]])
    for name in ("ReLU", "LeakyReLU", "ELU"):
        xc, xt = cr.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
        yc, yt = getattr(nn, name)()(xc), getattr(torch.nn, name)()(xt)
        np.testing.assert_array_equal(yc.detach().numpy(), yt.detach().numpy(), err_msg=name)
        yc.sum().backward()
        yt.sum().backward()
        np.testing.assert_array_equal(xc.grad.numpy(), xt.grad.numpy(), err_msg=name)


def test_dropout_eval_is_identity_and_train_keeps_the_mean():
    x = np.ones((200, 50))
    drop = nn.Dropout(0.3)
    drop.eval()
    np.testing.assert_array_equal(drop(cr.tensor(x)).numpy(), x)
    drop.train()
    cr.manual_seed(0)
    y = drop(cr.tensor(x)).numpy()
    kept = y != 0
    assert abs(kept.mean() - 0.7) < 0.02
    np.testing.assert_allclose(y[kept], 1 / 0.7)
    cr.manual_seed(0)
    np.testing.assert_array_equal(drop(cr.tensor(x)).numpy(), y)  # reproducible


def test_state_dicts_move_between_pytorch_and_chainrule_by_name():
    def build(mod):
        return mod.Sequential(
            mod.Conv2d(1, 4, 3, padding=1),
            mod.BatchNorm2d(4),
            mod.ReLU(),
            mod.MaxPool2d(2),
            mod.Flatten(),
            mod.Linear(4 * 4 * 4, 10),
        )

    theirs, ours = build(torch.nn), build(nn)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    for k, v in ours.state_dict().items():
        assert tuple(v.shape) == tuple(theirs.state_dict()[k].shape), k
    _copy_weights(ours, theirs)
    _compare(ours, theirs, randn(3, 1, 8, 8), train=False)
    # and back: chainrule -> PyTorch
    theirs2 = build(torch.nn)
    theirs2.load_state_dict({k: torch.tensor(v.numpy()) for k, v in ours.state_dict().items()})
    theirs2.eval()
    np.testing.assert_allclose(
        theirs2(torch.tensor(randn(3, 1, 8, 8))).detach().numpy(),
        ours.eval()(cr.tensor(randn(3, 1, 8, 8))).detach().numpy(),
        **TOL,
    )


def test_reprs_are_pytorchs():
    """The installed PyTorch's own reprs, layer by layer (padding strings are bare,
    norm layers list ``bias=``)."""

    def build(mod):
        return mod.Sequential(
            mod.Conv2d(1, 2, 3, padding="same"),
            mod.Conv2d(2, 2, 3, padding="valid", bias=False),
            mod.Conv2d(2, 4, (2, 3), stride=2, padding=1, dilation=2, groups=2),
            mod.Conv2d(4, 4, 3, padding="same", padding_mode="reflect"),
            mod.BatchNorm2d(4),
            mod.BatchNorm1d(4, momentum=None, affine=False, track_running_stats=False),
            mod.LayerNorm((2, 3), elementwise_affine=False),
            mod.LayerNorm(5, bias=False),
            mod.MaxPool2d(2, ceil_mode=True),
            mod.AvgPool2d(3, 1, 1),
            mod.Embedding(10, 3, padding_idx=-1),
            mod.Dropout(0.2),
            mod.GELU(approximate="tanh"),
            mod.LeakyReLU(0.2),
            mod.Softmax(dim=1),
            mod.Flatten(),
            mod.Linear(3, 2, bias=False),
        )

    assert repr(build(nn)) == repr(build(torch.nn))


def test_batchnorm_without_bias_matches_pytorch():
    theirs = torch.nn.BatchNorm2d(3, bias=False)
    ours = nn.BatchNorm2d(3, bias=False)
    assert ours.bias is None and list(ours.state_dict()) == list(theirs.state_dict())
    with torch.no_grad():
        theirs.weight.uniform_(0.5, 1.5)
    _copy_weights(ours, theirs)
    _compare(ours, theirs, randn(4, 3, 5, 5), train=True)
    _compare(ours, theirs, randn(4, 3, 5, 5, seed=2), train=False)


def test_embedding_from_pretrained():
    w = randn(5, 3)
    theirs = torch.nn.Embedding.from_pretrained(torch.tensor(w), freeze=False, padding_idx=1)
    ours = nn.Embedding.from_pretrained(cr.tensor(w), freeze=False, padding_idx=1)
    assert repr(ours) == repr(theirs) and ours.weight.requires_grad
    idx = np.array([[1, 4], [0, 1]])
    yt, yc = theirs(torch.tensor(idx)), ours(cr.tensor(idx))
    np.testing.assert_allclose(yc.detach().numpy(), yt.detach().numpy())
    yt.sum().backward()
    yc.sum().backward()
    np.testing.assert_allclose(ours.weight.grad.numpy(), theirs.weight.grad.numpy())
    frozen = nn.Embedding.from_pretrained(w)
    assert not frozen.weight.requires_grad
    with pytest.raises(ValueError, match="2-d"):
        nn.Embedding.from_pretrained(np.zeros(3))
