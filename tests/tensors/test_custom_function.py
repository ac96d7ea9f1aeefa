"""``autograd.Function``: a hand-written backward in PyTorch's form, checked against
PyTorch's own ``autograd.Function`` running the same class body."""

import numpy as np
import pytest

import chainrule as cr

torch = pytest.importorskip("torch")


def _scaled_cube(lib):
    class ScaledCube(lib.autograd.Function):
        """f(x, s) = s·x³ (s a plain number, needing no gradient)."""

        @staticmethod
        def forward(ctx, x, s):
            ctx.save_for_backward(x)
            ctx.s = s
            return s * x**3

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g * 3 * ctx.s * x**2, None

    return ScaledCube


def test_first_and_second_derivatives_match_pytorch():
    results = []
    for lib in (cr, torch):
        x = lib.tensor([0.5, -1.0, 2.0], dtype=lib.float64, requires_grad=True)
        y = _scaled_cube(lib).apply(x * 2, 1.5)
        assert "ScaledCubeBackward" in repr(y.grad_fn)
        (g,) = lib.autograd.grad(y.sum(), x, create_graph=True)  # 36 x²
        g.sum().backward()  # 72 x
        results.append((y.detach().numpy(), g.detach().numpy(), x.grad.numpy()))
    for ours, theirs in zip(*results, strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=1e-12)


def test_a_backward_with_the_wrong_number_of_gradients_is_refused():
    class Broken(cr.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g, g

    x = cr.tensor([1.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="Broken.backward returned 2 gradient"):
        Broken.apply(x).sum().backward()
    with cr.no_grad():
        assert not Broken.apply(x).requires_grad  # no graph recorded
