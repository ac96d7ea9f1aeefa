"""A PyTorch user's first programs run with ``import chainrule as torch`` and give
PyTorch's losses.

Each program fits a cubic to sin(x) on [-π, π], in the styles a PyTorch introduction
goes through: raw tensors with hand-written gradients, autograd, a custom
``autograd.Function``, ``nn`` with a hand-written update, ``optim``, a custom
``nn.Module``, and a module whose graph changes from step to step. Each program is
written once, against a ``torch`` argument, and run with real PyTorch and with
chainrule in float32 (both libraries' default); the initial weights PyTorch drew are
copied into chainrule's run, and the losses must agree to float32 precision."""

import math
import random

import numpy as np
import pytest

import chainrule

torch_lib = pytest.importorskip("torch")

STEPS = 300


def _data(torch):
    x = torch.linspace(-math.pi, math.pi, 2000)
    return x, torch.sin(x)


def _scalars(torch, start, requires_grad=False):
    """Four 0-d weights: drawn with ``torch.randn`` or copied from ``start``."""
    if start is None:
        return [torch.randn((), requires_grad=requires_grad) for _ in range(4)]
    return [torch.tensor(w, requires_grad=requires_grad) for w in start]


def hand_written_gradients(torch, start=None):
    x, y = _data(torch)
    a, b, c, d = _scalars(torch, start)
    first = [w.detach().numpy().copy() for w in (a, b, c, d)]
    losses, lr = [], 1e-6
    for _ in range(STEPS):
        y_pred = a + b * x + c * x**2 + d * x**3
        losses.append((y_pred - y).pow(2).sum().item())
        grad_y_pred = 2.0 * (y_pred - y)
        grad_a = grad_y_pred.sum()
        grad_b = (grad_y_pred * x).sum()
        grad_c = (grad_y_pred * x**2).sum()
        grad_d = (grad_y_pred * x**3).sum()
        a -= lr * grad_a
        b -= lr * grad_b
        c -= lr * grad_c
        d -= lr * grad_d
    return losses, first


def _descend(torch, loss_of, weights, lr):
    """Gradient descent written out: backward, then an update under no_grad."""
    losses = []
    for _ in range(STEPS):
        loss = loss_of()
        losses.append(loss.item())
        loss.backward()
        with torch.no_grad():
            for w in weights:
                w -= lr * w.grad
                w.grad = None
    return losses


def with_autograd(torch, start=None):
    x, y = _data(torch)
    weights = _scalars(torch, start, requires_grad=True)
    first = [w.detach().numpy().copy() for w in weights]
    a, b, c, d = weights

    def loss():
        return (a + b * x + c * x**2 + d * x**3 - y).pow(2).sum()

    return _descend(torch, loss, weights, 1e-6), first


def _legendre3(torch):
    class LegendrePolynomial3(torch.autograd.Function):
        """P3(t) = (5t³ - 3t) / 2, with its derivative written by hand."""

        @staticmethod
        def forward(ctx, t):
            ctx.save_for_backward(t)
            return 0.5 * (5 * t**3 - 3 * t)

        @staticmethod
        def backward(ctx, grad_output):
            (t,) = ctx.saved_tensors
            return grad_output * 1.5 * (5 * t**2 - 1)

    return LegendrePolynomial3


def with_custom_function(torch, start=None):
    x, y = _data(torch)
    p3 = _legendre3(torch).apply
    weights = [torch.full((), v, requires_grad=True) for v in (0.0, -1.0, 0.0, 0.3)]
    a, b, c, d = weights

    def loss():
        return (a + b * p3(c + d * x) - y).pow(2).sum()

    return _descend(torch, loss, weights, 5e-6), None


def _copy_into(torch, model, start):
    """The initial weights: ``model``'s own (as arrays), after loading ``start``."""
    if start is not None:
        model.load_state_dict({k: torch.tensor(v) for k, v in start.items()})
    return {k: v.detach().numpy().copy() for k, v in model.state_dict().items()}


def _powers(torch):
    x, y = _data(torch)
    p = torch.tensor([1, 2, 3])
    return x.unsqueeze(-1).pow(p), y  # (2000, 3): x, x², x³


def with_nn(torch, start=None):
    xx, y = _powers(torch)
    model = torch.nn.Sequential(torch.nn.Linear(3, 1), torch.nn.Flatten(0, 1))
    first = _copy_into(torch, model, start)
    loss_fn = torch.nn.MSELoss(reduction="sum")
    losses, lr = [], 1e-6
    for _ in range(STEPS):
        loss = loss_fn(model(xx), y)
        losses.append(loss.item())
        model.zero_grad()
        loss.backward()
        with torch.no_grad():
            for param in model.parameters():
                param -= lr * param.grad
    return losses, first


def with_optim(torch, start=None):
    xx, y = _powers(torch)
    model = torch.nn.Sequential(torch.nn.Linear(3, 1), torch.nn.Flatten(0, 1))
    first = _copy_into(torch, model, start)
    loss_fn = torch.nn.MSELoss(reduction="sum")
    optimizer = torch.optim.RMSprop(model.parameters(), lr=1e-3)
    return _fit(model, xx, y, loss_fn, optimizer), first


def _fit(model, x, y, loss_fn, optimizer):
    """The usual training loop; the loss at each step."""
    losses = []
    for _ in range(STEPS):
        loss = loss_fn(model(x), y)
        losses.append(loss.item())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return losses


def _polynomial_module(torch, degree_range):
    class Polynomial(torch.nn.Module):
        """a + b x + c x² + d x³, plus e xᵏ for the powers ``degree_range()`` picks."""

        def __init__(self):
            super().__init__()
            for name in "abcde":
                setattr(self, name, torch.nn.Parameter(torch.randn(())))

        def forward(self, x):
            y = self.a + self.b * x + self.c * x**2 + self.d * x**3
            for k in degree_range():
                y = y + self.e * x**k
            return y

    return Polynomial()


def with_custom_module(torch, start=None):
    x, y = _data(torch)
    model = _polynomial_module(torch, lambda: ())
    first = _copy_into(torch, model, start)
    criterion = torch.nn.MSELoss(reduction="sum")
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-6)
    return _fit(model, x, y, criterion, optimizer), first


def with_a_dynamic_graph(torch, start=None):
    """Each forward pass adds a random number (0 to 2) of higher powers, all sharing
    the weight ``e``: the graph is rebuilt every step."""
    x, y = _data(torch)
    draws = random.Random(7)  # the same loop counts in both runs
    model = _polynomial_module(torch, lambda: range(4, draws.randint(4, 6)))
    first = _copy_into(torch, model, start)
    criterion = torch.nn.MSELoss(reduction="sum")
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-8, momentum=0.9)
    return _fit(model, x, y, criterion, optimizer), first


PROGRAMS = [
    hand_written_gradients,
    with_autograd,
    with_custom_function,
    with_nn,
    with_optim,
    with_custom_module,
    with_a_dynamic_graph,
]


@pytest.mark.parametrize("program", PROGRAMS, ids=[p.__name__ for p in PROGRAMS])
def test_program_gives_pytorchs_losses(program):
    torch_lib.manual_seed(0)
    theirs, start = program(torch_lib)
    ours, first = program(chainrule, start)
    if start is not None:  # the copy really happened, in float32
        flat = start.values() if isinstance(start, dict) else start
        assert all(np.asarray(w).dtype == np.float32 for w in flat)
        assert first is not None
    assert len(ours) == len(theirs) == STEPS
    assert theirs[-1] < 0.5 * theirs[0]  # the program trains (so agreement means something)
    np.testing.assert_allclose(ours, theirs, rtol=2e-5)
