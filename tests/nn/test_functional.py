"""nn.functional without PyTorch: clear errors on bad input, derivatives checked
numerically (both modes, second order) through traced parameters, and layers used
inside the functional transforms."""

import numpy as np
import pytest

import chainrule as cr
from chainrule import nn
from chainrule.nn import functional as F

RNG = np.random.default_rng(0)


def test_cross_entropy_label_out_of_range_names_value_and_classes():
    logits = cr.randn(3, 10)
    with pytest.raises(IndexError, match=r"target 12 is out of bounds for 10 classes"):
        F.cross_entropy(logits, cr.tensor([1, 12, 3]))
    with pytest.raises(ValueError, match=r"target -2 .* 10 classes"):  # also a ValueError
        F.cross_entropy(logits, cr.tensor([1, -2, 3]))
    # ignore_index is not a label, so it is allowed
    F.cross_entropy(logits, cr.tensor([1, -100, 3]))
    with pytest.raises(TypeError, match="integers"):
        F.nll_loss(logits, cr.tensor([1.0, 2.0, 3.5]))
    with pytest.raises(ValueError, match=r"target of shape \(2,\)"):
        F.cross_entropy(logits, cr.tensor([1, 2]))


def test_linear_shape_mismatch_names_layer_and_both_shapes():
    layer = nn.Linear(64, 10)
    with pytest.raises(ValueError) as info:
        layer(cr.randn(32, 63))
    msg = str(info.value)
    assert "Linear(in_features=64, out_features=10, bias=True)" in msg
    assert "(32, 63)" in msg and "(10, 64)" in msg
    assert isinstance(info.value, RuntimeError)  # PyTorch raises RuntimeError; both work


def test_conv_and_norm_shape_errors():
    with pytest.raises(ValueError, match=r"Conv2d\(3, 8.*\(2, 4, 8, 8\).*4 channels"):
        nn.Conv2d(3, 8, 3)(cr.randn(2, 4, 8, 8))
    with pytest.raises(ValueError, match="larger than the padded input"):
        nn.Conv2d(1, 1, 5)(cr.randn(1, 1, 3, 3))
    with pytest.raises(ValueError, match=r"BatchNorm1d\(4.*expected 4"):
        nn.BatchNorm1d(4)(cr.randn(5, 3))
    with pytest.raises(ValueError, match="more than 1 value per channel"):
        nn.BatchNorm1d(4)(cr.randn(1, 4))
    with pytest.raises(ValueError, match="normalized_shape"):
        nn.LayerNorm(5)(cr.randn(2, 4))
    with pytest.raises(IndexError, match="index 10 is out of range .* 10 rows"):
        nn.Embedding(10, 3)(cr.tensor([0, 10]))
    with pytest.raises(ValueError, match="padding .* at most half"):
        nn.MaxPool2d(2, padding=2)(cr.randn(1, 1, 6, 6))
    with pytest.raises(ValueError, match="reduction"):
        F.mse_loss(cr.ones(2), cr.ones(2), reduction="avg")


@pytest.mark.parametrize(
    "layer,shape,error,message",
    [
        (nn.LayerNorm(4), (2, 5), ValueError, r"^LayerNorm\(\(4,\).*\(2, 5\).*\(4,\)"),
        (nn.MaxPool2d(3), (1, 1, 2, 2), ValueError, r"^MaxPool2d\(kernel_size=3.*\(1, 1, 2, 2\)"),
        (nn.AvgPool2d(3), (1, 1, 2, 2), ValueError, r"^AvgPool2d\(kernel_size=3.*\(1, 1, 2, 2\)"),
        (nn.MaxPool2d(2), (2, 2), ValueError, r"^MaxPool2d\(.*got shape \(2, 2\)"),
        (nn.Unflatten(1, (2, 3)), (2, 5), ValueError, r"^Unflatten\(dim=1.*\(2, 3\).*\(2, 5\)"),
        (nn.Embedding(3, 2), None, IndexError, r"^Embedding\(3, 2\): index 5 is out of range"),
    ],
    ids=["LayerNorm", "MaxPool2d", "AvgPool2d", "MaxPool2d-2d", "Unflatten", "Embedding"],
)
def test_every_layer_names_itself_in_shape_errors(layer, shape, error, message):
    x = cr.tensor([0, 5]) if shape is None else cr.randn(*shape)
    with pytest.raises(error, match=message):
        layer(x)


def test_conv2d_derivatives_in_both_modes_to_second_order():
    x = RNG.normal(size=(2, 4, 5, 5))
    w = RNG.normal(size=(6, 2, 3, 2))
    b = RNG.normal(size=6)

    def f(x, w, b):
        return F.conv2d(x, w, b, stride=(2, 1), padding=1, dilation=(1, 2), groups=2)

    cr.check_grads(f, (x, w, b), order=2)


def test_pooling_and_norm_derivatives():
    x = RNG.normal(size=(2, 3, 6, 5))
    cr.check_grads(lambda x: F.max_pool2d(x, 3, 2, padding=1), (x,), order=2)
    cr.check_grads(lambda x: F.avg_pool2d(x, 3, 2, 1, ceil_mode=True), (x,), order=2)
    w, b = RNG.normal(size=3), RNG.normal(size=3)
    cr.check_grads(
        lambda x, w, b: F.batch_norm(x, None, None, w, b, training=True), (x, w, b), order=2
    )
    cr.check_grads(lambda x: F.layer_norm(x, (6, 5)), (x,), order=2)


def test_losses_derivatives():
    x = RNG.normal(size=(4, 5))
    y = np.array([0, 4, 2, 1])
    cr.check_grads(lambda x: F.cross_entropy(x, y, label_smoothing=0.1), (x,), order=2)
    t = RNG.random((4, 5))
    cr.check_grads(lambda x: F.binary_cross_entropy_with_logits(x, t), (x,), order=2)
    cr.check_grads(lambda x: F.gelu(x) + F.silu(x) + F.softplus(x), (x,), order=2)


def test_a_module_inside_cr_grad_over_a_dict_of_parameters(float64_default):
    """Modules call nn.functional, which works on traced values: the functional API
    can differentiate a loss written with F over a dict of arrays."""
    cr.manual_seed(0)
    layer = nn.Linear(3, 2)
    x = RNG.normal(size=(5, 3))
    y = np.array([0, 1, 1, 0, 1])

    def loss(params):
        return F.cross_entropy(F.linear(x, params["weight"], params["bias"]), y)

    params = {k: v.numpy() for k, v in layer.state_dict().items()}
    grads = cr.grad(loss)(params)
    F.cross_entropy(layer(cr.tensor(x)), cr.tensor(y)).backward()
    np.testing.assert_allclose(grads["weight"], layer.weight.grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose(grads["bias"], layer.bias.grad.numpy(), rtol=1e-12)


def test_create_graph_through_a_network(float64_default):
    """Gradient penalty style: the gradient of the loss w.r.t. the input, differentiated
    again w.r.t. the weights, matches a finite difference."""
    cr.manual_seed(1)
    net = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1))
    x = cr.tensor(RNG.normal(size=(2, 3)), requires_grad=True)
    out = net(x).sum()
    out.backward(create_graph=True)
    penalty = (x.grad**2).sum()
    net.zero_grad()
    penalty.backward()
    w = net[0].weight
    analytic = w.grad.numpy()[0, 0]

    bump = np.zeros((4, 3))
    bump[0, 0] = 1.0
    w0 = w.detach().numpy().copy()

    def penalty_at(delta):
        w.data = w0 + delta * bump
        xx = cr.tensor(x.detach().numpy(), requires_grad=True)
        net(xx).sum().backward()
        return float((xx.grad**2).sum())

    eps = 1e-6
    numeric = (penalty_at(eps) - penalty_at(-eps)) / (2 * eps)
    assert abs(analytic - numeric) < 1e-6


def test_one_hot_and_softmax_default_dim():
    out = F.one_hot(cr.tensor([0, 2, 1]), 3)
    np.testing.assert_array_equal(out.numpy(), np.eye(3, dtype=np.int64)[[0, 2, 1]])
    assert out.dtype == np.int64
    with pytest.raises(ValueError, match="class value 3"):
        F.one_hot(cr.tensor([3]), 3)
    x = cr.randn(2, 3, dtype=cr.float64)
    np.testing.assert_allclose(F.softmax(x).numpy().sum(axis=1), 1.0)


def test_float32_stays_float32():
    cr.manual_seed(0)
    model = nn.Sequential(
        nn.Conv2d(1, 2, 3, dtype=np.float32),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(2 * 3 * 3, 3, dtype=np.float32),
    )
    x = cr.randn(2, 1, 8, 8, dtype=np.float32)
    loss = F.cross_entropy(model(x), cr.tensor([0, 2]))
    assert loss.dtype == np.float32
    loss.backward()
    assert all(p.grad.dtype == np.float32 for p in model.parameters())


def test_binary_cross_entropy_refuses_values_that_are_not_probabilities():
    target = cr.tensor([1.0, 0.0])
    for bad in (1.5, -0.1, np.nan):
        with pytest.raises(ValueError, match="between 0 and 1") as info:
            F.binary_cross_entropy(cr.tensor([bad, 0.5]), target)
        assert isinstance(info.value, RuntimeError)  # what PyTorch raises
    # the edges are fine: the logs are clamped at -100, as in PyTorch
    loss = F.binary_cross_entropy(cr.tensor([0.0, 1.0]), target, reduction="sum")
    assert float(loss) == pytest.approx(200.0)
