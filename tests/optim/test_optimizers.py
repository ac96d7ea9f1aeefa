"""Optimizers: trajectories match PyTorch's for 5 steps to 1e-9 (float64) for every
option; state_dict round trips; bad arguments get PyTorch's errors."""

import numpy as np
import pytest

import chainrule as cr
from chainrule import nn, optim


def _problem(seed=0):
    rng = np.random.default_rng(seed)
    return {"w": rng.normal(size=(3, 4)), "b": rng.normal(size=4)}, rng.normal(size=(5, 3))


def _run_chainrule(make_opt, steps=5, seed=0):
    init, x = _problem(seed)
    w = nn.Parameter(cr.tensor(init["w"]))
    b = nn.Parameter(cr.tensor(init["b"]))
    opt = make_opt([w, b])
    xs = cr.tensor(x)
    trajectory = []
    for _ in range(steps):
        opt.zero_grad()
        loss = (((xs @ w + b).tanh()) ** 2).sum()
        loss.backward()
        opt.step()
        trajectory.append((w.detach().numpy().copy(), b.detach().numpy().copy()))
    return trajectory, opt, (w, b)


CASES = [
    ("SGD", dict(lr=0.1)),
    ("SGD", dict(lr=0.1, momentum=0.9)),
    ("SGD", dict(lr=0.1, momentum=0.9, dampening=0.3, weight_decay=0.01)),
    ("SGD", dict(lr=0.1, momentum=0.8, nesterov=True, weight_decay=0.1)),
    ("SGD", dict(lr=0.1, momentum=0.5, maximize=True)),
    ("Adam", dict()),
    ("Adam", dict(lr=0.05, betas=(0.8, 0.9), eps=1e-6, weight_decay=0.1)),
    ("Adam", dict(lr=0.05, amsgrad=True)),
    ("Adam", dict(lr=0.05, maximize=True)),
    ("AdamW", dict(lr=0.05)),
    ("AdamW", dict(lr=0.05, weight_decay=0.3, amsgrad=True)),
    ("RMSprop", dict()),
    ("RMSprop", dict(lr=0.01, alpha=0.9, momentum=0.7)),
    ("RMSprop", dict(lr=0.01, centered=True, weight_decay=0.1)),
    ("RMSprop", dict(lr=0.01, centered=True, momentum=0.5, eps=1e-4)),
]


@pytest.mark.parametrize("name,kw", CASES, ids=[f"{n}-{k}" for n, k in CASES])
def test_trajectories_match_pytorch_for_5_steps(name, kw):
    torch = pytest.importorskip("torch")
    ours, _, _ = _run_chainrule(lambda p: getattr(optim, name)(p, **kw))
    init, x = _problem()
    w = torch.tensor(init["w"], requires_grad=True)
    b = torch.tensor(init["b"], requires_grad=True)
    opt = getattr(torch.optim, name)([w, b], **kw)
    xt = torch.tensor(x)
    for step, (w_ours, b_ours) in enumerate(ours):
        opt.zero_grad()
        (torch.tanh(xt @ w + b) ** 2).sum().backward()
        opt.step()
        np.testing.assert_allclose(
            w_ours, w.detach().numpy(), rtol=1e-9, atol=1e-9, err_msg=f"step {step}"
        )
        np.testing.assert_allclose(b_ours, b.detach().numpy(), rtol=1e-9, atol=1e-9)


def test_defaults_are_pytorchs():
    p = [nn.Parameter(cr.zeros(2))]
    assert optim.SGD(p).defaults["lr"] == 1e-3
    assert optim.Adam(p).defaults == dict(
        lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, amsgrad=False, maximize=False
    )
    assert optim.AdamW(p).defaults["weight_decay"] == 1e-2
    rms = optim.RMSprop(p).defaults
    assert (rms["lr"], rms["alpha"], rms["eps"]) == (1e-2, 0.99, 1e-8)


def test_state_dict_round_trip_continues_identically():
    straight, _, _ = _run_chainrule(lambda p: optim.Adam(p, lr=0.05, amsgrad=True), steps=6)
    # three steps, then a fresh optimizer restored from state_dict, three more
    first, opt, params = _run_chainrule(lambda p: optim.Adam(p, lr=0.05, amsgrad=True), steps=3)
    sd = opt.state_dict()
    assert sd["param_groups"][0]["params"] == [0, 1]
    assert set(sd["state"][0]) == {"step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"}
    assert float(sd["state"][0]["step"]) == 3.0
    w, b = params
    fresh = optim.Adam([w, b], lr=0.05, amsgrad=True)
    fresh.load_state_dict(sd)
    _, x = _problem()
    xs = cr.tensor(x)
    for i in range(3):
        fresh.zero_grad()
        (((xs @ w + b).tanh()) ** 2).sum().backward()
        fresh.step()
        np.testing.assert_allclose(w.detach().numpy(), straight[3 + i][0], rtol=1e-12)


def test_param_groups_zero_grad_and_closure():
    a, b = nn.Parameter(cr.ones(2)), nn.Parameter(cr.ones(2))
    opt = optim.SGD([{"params": [a]}, {"params": [b], "lr": 0.5}], lr=0.1)
    assert [g["lr"] for g in opt.param_groups] == [0.1, 0.5]

    def closure():
        opt.zero_grad()
        loss = (a * a).sum() + (b * b).sum()
        loss.backward()
        return loss

    loss = opt.step(closure)
    assert float(loss) == 4.0
    np.testing.assert_allclose(a.detach().numpy(), 1 - 0.1 * 2)
    np.testing.assert_allclose(b.detach().numpy(), 1 - 0.5 * 2)
    opt.zero_grad()
    assert a.grad is None
    # a parameter without a gradient is left alone
    opt.step()
    np.testing.assert_allclose(a.detach().numpy(), 0.8)


def test_a_step_bumps_the_version_so_stale_graphs_refuse_backward():
    w = nn.Parameter(cr.ones(3))
    opt = optim.SGD([w], lr=0.1)
    loss = (w * w).sum()
    loss.backward(retain_graph=True)
    opt.step()
    with pytest.raises(RuntimeError, match="modified by an in-place operation"):
        loss.backward()


def test_bad_arguments():
    p = [nn.Parameter(cr.zeros(2))]
    with pytest.raises(ValueError, match="Invalid learning rate"):
        optim.SGD(p, lr=-1)
    with pytest.raises(ValueError, match="Invalid weight_decay value: -0.1"):
        optim.SGD(p, lr=0.1, weight_decay=-0.1)
    with pytest.raises(ValueError, match="Invalid epsilon value: -1"):
        optim.Adam(p, eps=-1)
    with pytest.raises(ValueError, match="Invalid momentum value: -0.5"):
        optim.RMSprop(p, momentum=-0.5)
    with pytest.raises(ValueError, match="Invalid alpha value: -1"):
        optim.RMSprop(p, alpha=-1)
    with pytest.raises(ValueError, match="Nesterov"):
        optim.SGD(p, lr=0.1, nesterov=True)
    with pytest.raises(ValueError, match="beta parameter at index 1"):
        optim.Adam(p, betas=(0.9, 1.0))
    with pytest.raises(ValueError, match="empty parameter list"):
        optim.Adam([])
    with pytest.raises(ValueError, match="more than one parameter group"):
        optim.SGD([{"params": p}, {"params": p}], lr=0.1)
    with pytest.raises(TypeError, match="iterable of Tensors"):
        optim.SGD(p[0], lr=0.1)
