"""Learning-rate schedules: the rates match PyTorch's epoch by epoch, also on a resume
and with ``step(epoch)``; state_dict and LambdaLR."""

import pytest

import chainrule as cr
from chainrule import nn, optim
from chainrule.optim import lr_scheduler

SCHEDULES = [
    ("StepLR", dict(step_size=3, gamma=0.5)),
    ("MultiStepLR", dict(milestones=[2, 5, 5], gamma=0.1)),
    ("ExponentialLR", dict(gamma=0.9)),
    ("CosineAnnealingLR", dict(T_max=4, eta_min=0.01)),
]


@pytest.mark.parametrize("name,kw", SCHEDULES, ids=[s[0] for s in SCHEDULES])
def test_schedulers_match_pytorch(name, kw):
    torch = pytest.importorskip("torch")
    ours_opt = optim.SGD([nn.Parameter(cr.zeros(1))], lr=0.2)
    ours = getattr(lr_scheduler, name)(ours_opt, **kw)
    theirs_opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.2)
    theirs = getattr(torch.optim.lr_scheduler, name)(theirs_opt, **kw)
    for epoch in range(12):  # past T_max: the cosine keeps going, as in PyTorch
        assert ours.get_last_lr() == pytest.approx(theirs.get_last_lr(), rel=1e-12), epoch
        ours_opt.step()
        theirs_opt.step()
        ours.step()
        theirs.step()


def test_scheduler_state_dict_and_lambda():
    opt = optim.SGD([nn.Parameter(cr.zeros(1))], lr=1.0)
    sched = lr_scheduler.LambdaLR(opt, lambda epoch: 1 / (epoch + 1))
    sched.step()
    sched.step()
    assert opt.param_groups[0]["lr"] == pytest.approx(1 / 3)
    step = lr_scheduler.StepLR(optim.SGD([nn.Parameter(cr.zeros(1))], lr=1.0), 2)
    step.step()
    state = step.state_dict()
    assert state["last_epoch"] == 1 and "optimizer" not in state


@pytest.mark.parametrize("name,kw", SCHEDULES, ids=[s[0] for s in SCHEDULES])
@pytest.mark.parametrize("last_epoch", [0, 2, 5])
def test_resumed_schedulers_and_step_with_an_epoch_match_pytorch(name, kw, last_epoch):
    """A scheduler made with ``last_epoch`` (a resume) keeps the optimizer's current
    rate on construction, as PyTorch's does, and ``step(epoch)`` jumps with the closed
    form."""
    torch = pytest.importorskip("torch")
    rates = []
    for lib, param in ((optim, nn.Parameter(cr.zeros(1))), (torch.optim, torch.zeros(1))):
        opt = lib.SGD([{"params": [param], "lr": 0.3, "initial_lr": 0.7}], lr=0.3)
        sched = getattr(lib.lr_scheduler, name)(opt, last_epoch=last_epoch, **kw)
        seen = [sched.get_last_lr()[0]]
        for epoch in range(8):
            opt.step()  # (no gradients: changes nothing, but PyTorch wants it first)
            if epoch == 4:
                with pytest.warns(UserWarning):
                    sched.step(3)
            else:
                sched.step()
            seen.append(sched.get_last_lr()[0])
        rates.append(seen)
    assert rates[0] == pytest.approx(rates[1], rel=1e-12)
