"""Loss values and gradients against PyTorch (float64, to 1e-6), for every reduction
and option: class weights, ignored and masked classes, label smoothing, probability
targets. Skipped where PyTorch isn't installed."""

import numpy as np
import pytest

import chainrule as cr
from chainrule import nn
from chainrule.nn import functional as F

from ._helpers import TOL, randn

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.usefixtures("torch_float64")


def _loss_case(fn_c, fn_t, x, *extra_c, extra_t=None, kw_t=None, **kw):
    xc, xt = cr.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    lc = fn_c(xc, *extra_c, **kw)
    lt = fn_t(xt, *(extra_t if extra_t is not None else extra_c), **(kw_t or kw))
    np.testing.assert_allclose(lc.detach().numpy(), lt.detach().numpy(), **TOL)
    g = np.random.default_rng(3).normal(size=lt.shape)
    (lc * cr.tensor(g)).sum().backward()
    (lt * torch.tensor(g)).sum().backward()
    np.testing.assert_allclose(xc.grad.numpy(), xt.grad.numpy(), **TOL)


def _functional_case(name, x, target, ours=None, theirs=None):
    """:func:`_loss_case` for ``F.<name>`` against PyTorch's function of that name, on
    logits (or log-probabilities) ``x`` and the array ``target``; ``ours`` and
    ``theirs`` are each library's options (``theirs`` defaults to ``ours``)."""
    _loss_case(
        getattr(F, name),
        getattr(torch.nn.functional, name),
        x,
        cr.tensor(target),
        extra_t=(torch.tensor(target),),
        kw_t=theirs,
        **(ours or {}),
    )


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize(
    "options",
    [
        {},
        {"weight": [0.5, 1.0, 2.0, 1.5]},
        {"ignore_index": 1},
        {"label_smoothing": 0.1},
        {"weight": [0.5, 1.0, 2.0, 1.5], "label_smoothing": 0.2, "ignore_index": 3},
    ],
    ids=str,
)
def test_cross_entropy_and_nll(reduction, options):
    x = randn(6, 4) * 3
    y = np.array([0, 1, 3, 2, 1, 3])
    ours = dict(options)
    theirs = dict(options)
    if "weight" in options:
        ours["weight"] = cr.tensor(options["weight"])
        theirs["weight"] = torch.tensor(options["weight"])
    ours["reduction"] = theirs["reduction"] = reduction
    _functional_case("cross_entropy", x, y, ours, theirs)
    theirs.pop("label_smoothing", None)
    ours.pop("label_smoothing", None)
    logp = np.log(np.exp(x) / np.exp(x).sum(1, keepdims=True))
    _functional_case("nll_loss", logp, y, ours, theirs)


def test_cross_entropy_spatial_and_probability_targets():
    x = randn(2, 3, 4, 5)
    y = np.random.default_rng(1).integers(0, 3, (2, 4, 5))
    _functional_case("cross_entropy", x, y)
    probs = np.random.default_rng(2).dirichlet(np.ones(3), size=4)
    x = randn(4, 3)
    for kw in ({}, {"label_smoothing": 0.3}, {"reduction": "sum"}):
        _functional_case("cross_entropy", x, probs, kw)
    # the module form, and a 1-d (unbatched) input
    _loss_case(
        nn.CrossEntropyLoss(),
        torch.nn.CrossEntropyLoss(),
        randn(5),
        cr.tensor(2),
        extra_t=(torch.tensor(2),),
    )


def test_cross_entropy_is_stable_for_huge_logits():
    x = np.array([[1000.0, -1000.0, 0.0], [-1e4, 1e4, 0.0]])
    y = np.array([1, 0])
    _functional_case("cross_entropy", x, y)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_binary_and_regression_losses(reduction):
    x = randn(5, 3) * 4
    t = np.random.default_rng(5).random((5, 3))
    tt, tc = torch.tensor(t), cr.tensor(t)
    pairs = [
        (F.mse_loss, torch.nn.functional.mse_loss, {}),
        (F.l1_loss, torch.nn.functional.l1_loss, {}),
        (F.smooth_l1_loss, torch.nn.functional.smooth_l1_loss, {"beta": 0.5}),
        (F.huber_loss, torch.nn.functional.huber_loss, {"delta": 2.0}),
        (
            F.binary_cross_entropy_with_logits,
            torch.nn.functional.binary_cross_entropy_with_logits,
            {},
        ),
    ]
    for fc, ft, kw in pairs:
        _loss_case(fc, ft, x, tc, extra_t=(tt,), reduction=reduction, **kw)
    pw = np.array([0.5, 2.0, 3.0])
    _loss_case(
        F.binary_cross_entropy_with_logits,
        torch.nn.functional.binary_cross_entropy_with_logits,
        x,
        tc,
        extra_t=(tt,),
        kw_t={"pos_weight": torch.tensor(pw), "reduction": reduction},
        pos_weight=cr.tensor(pw),
        reduction=reduction,
    )
    p = 1 / (1 + np.exp(-x))
    _loss_case(
        F.binary_cross_entropy,
        torch.nn.functional.binary_cross_entropy,
        p,
        tc,
        extra_t=(tt,),
        reduction=reduction,
    )


def test_loss_modules_keep_class_weights_as_buffers():
    """A model that holds its loss has PyTorch's state_dict keys, so weights still
    move by name."""
    w = np.array([0.5, 2.0, 1.0])

    def build(mod, tensor):
        m = mod.Module()
        m.ce = mod.CrossEntropyLoss(weight=tensor(w))
        m.nll = mod.NLLLoss()
        m.bce = mod.BCELoss(weight=tensor(w))
        m.logits = mod.BCEWithLogitsLoss(weight=tensor(w), pos_weight=tensor(w * 2))
        m.plain = mod.BCEWithLogitsLoss()
        return m

    ours, theirs = build(nn, cr.tensor), build(torch.nn, torch.tensor)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    ours.load_state_dict({k: v.numpy() * 3 for k, v in theirs.state_dict().items()})
    np.testing.assert_allclose(ours.logits.pos_weight.numpy(), w * 6)
    # an array (not a tensor) is accepted too, and follows .to(dtype)
    loss = nn.BCEWithLogitsLoss(pos_weight=w).float()
    assert loss.pos_weight.dtype == np.float32


@pytest.mark.parametrize("options", [{}, {"label_smoothing": 0.2}, {"weight": [1.0, 2.0, 3.0]}])
def test_cross_entropy_with_every_target_ignored_is_nan_with_zero_gradient(options):
    x = randn(4, 3)
    y = np.full(4, -100)
    ours = {k: cr.tensor(v) if k == "weight" else v for k, v in options.items()}
    theirs = {k: torch.tensor(v) if k == "weight" else v for k, v in options.items()}
    xc, xt = cr.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    lc = F.cross_entropy(xc, cr.tensor(y), **ours)
    lt = torch.nn.functional.cross_entropy(xt, torch.tensor(y), **theirs)
    assert np.isnan(float(lc)) and np.isnan(lt.item())
    lc.backward()
    lt.backward()
    np.testing.assert_array_equal(xc.grad.numpy(), xt.grad.numpy())  # zeros, not NaN
    assert not np.any(xc.grad.numpy())
    # also for nll_loss and a single unbatched sample
    xc = cr.tensor(x[0], requires_grad=True)
    F.nll_loss(xc, cr.tensor(-100)).backward()
    np.testing.assert_array_equal(xc.grad.numpy(), np.zeros(3))


@pytest.mark.parametrize(
    "options",
    [{}, {"reduction": "none"}, {"weight": [1.0, 2.0, 3.0]}, {"ignore_index": 1}],
    ids=str,
)
def test_cross_entropy_with_masked_logits_is_finite(options):
    """Classes masked out with a -inf logit (attention-style masking) take no part in
    the loss: finite, with PyTorch's value and gradient (not -inf·0 = NaN)."""
    x = np.array([[0.0, -np.inf, 1.0], [5.0, 2.0, -np.inf], [-np.inf, 0.0, 0.0]])
    y = np.array([0, 1, 2])
    ours = {k: cr.tensor(v) if k == "weight" else v for k, v in options.items()}
    theirs = {k: torch.tensor(v) if k == "weight" else v for k, v in options.items()}
    _functional_case("cross_entropy", x, y, ours, theirs)
    with np.errstate(divide="ignore"):  # log 0 = -inf: the masked classes
        logp = np.log(np.array([[0.5, 0.0, 0.5], [0.2, 0.8, 0.0], [0.0, 0.0, 1.0]]))
    _functional_case("nll_loss", logp, y, ours, theirs)
