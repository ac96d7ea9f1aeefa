"""autograd's operators nest like the rest, name the offending argument, and include
grad_named and multigrad_dict."""

from collections import OrderedDict

import numpy as np
import pytest

import chainrule as ag
import chainrule.numpy as anp
from chainrule.functional.autograd_names import grad_named, multigrad_dict


def test_deriv_nests():
    cube = lambda x: x**3
    assert ag.deriv(ag.deriv(cube))(2.0) == pytest.approx(12.0)
    assert ag.grad(ag.deriv(cube))(2.0) == pytest.approx(12.0)
    # d/dx [d/dy (y³ x) at y = x] = d/dx 3x³ = 9x²
    assert ag.deriv(lambda x: ag.deriv(lambda y: y**3 * x)(x))(2.0) == pytest.approx(36.0)


def test_holomorphic_grad_nests_and_keeps_scalars_scalar():
    cube = lambda z: z**3
    z = 2.0 + 1.0j
    assert ag.holomorphic_grad(ag.holomorphic_grad(cube))(z) == pytest.approx(6 * z)
    # at a real point: the complex derivative, as a complex scalar
    g = ag.holomorphic_grad(cube)(2.0)
    assert np.ndim(g) == 0 and not isinstance(g, np.ndarray) and g == 12.0
    assert ag.grad(lambda x: anp.real(ag.holomorphic_grad(cube)(x)))(2.0) == pytest.approx(12.0)


@pytest.mark.parametrize(
    "call",
    [
        lambda: ag.deriv(lambda x, n: x * n, argnum=1)(2.0, 3),
        lambda: ag.make_vjp(lambda x, n: x * n, argnum=1)(2.0, 3),
        lambda: ag.make_jvp(lambda x, n: x * n, argnum=1)(2.0, 3)(1.0),
        lambda: ag.holomorphic_grad(lambda x, n: x * n, argnum=1)(2.0, 3),
    ],
    ids=["deriv", "make_vjp", "make_jvp", "holomorphic_grad"],
)
def test_integer_argument_is_named(call):
    with pytest.raises(TypeError, match="argument 1: it has int"):
        call()


def test_grad_named_and_multigrad_dict():
    f = lambda a, b, c=2.0: a * b * b * c
    assert grad_named(f, "b")(2.0, 3.0) == pytest.approx(24.0)
    with pytest.raises(ValueError, match="no argument 'z'"):
        grad_named(f, "z")
    g = multigrad_dict(f)(2.0, b=3.0)
    assert isinstance(g, OrderedDict) and list(g) == ["a", "b", "c"]
    assert (g["a"], g["b"], g["c"]) == (18.0, 24.0, 18.0)
