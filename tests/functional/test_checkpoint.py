"""checkpoint: the same derivatives as the function itself, at every order, with
keyword arguments and JAX's keywords."""

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp


def test_checkpoint_same_gradients():
    def block(x, w):
        return cnp.tanh(x * w) * cnp.sin(x)

    f = lambda x, w: cnp.sum(block(x, w) ** 2)
    g = lambda x, w: cnp.sum(cr.checkpoint(block)(x, w) ** 2)
    x, w = np.array([0.1, 0.5, -0.3]), np.array([1.5, -0.5, 2.0])
    for argnums in (0, 1):
        np.testing.assert_allclose(cr.grad(g, argnums)(x, w), cr.grad(f, argnums)(x, w))
    np.testing.assert_allclose(cr.hessian(g)(x, w), cr.hessian(f)(x, w), atol=1e-12)
    cr.check_grads(lambda x: cr.checkpoint(block)(x, w), (x,), order=2)


def test_checkpoint_passes_keyword_arguments_and_differentiates_them():
    def block(x, w=2.0, *, scale=1.0):
        return cnp.sin(x * w) * scale

    ref = cr.grad(lambda x: block(x, w=3.0, scale=2.0))(0.5)
    assert cr.grad(lambda x: cr.checkpoint(block)(x, w=3.0, scale=2.0))(0.5) == pytest.approx(ref)
    ref_w = cr.grad(lambda w: block(0.5, w=w))(3.0)
    assert cr.grad(lambda w: cr.checkpoint(block)(0.5, w=w))(3.0) == pytest.approx(ref_w)
    assert cr.jvp(lambda w: cr.checkpoint(block)(0.5, w=w), (3.0,), (1.0,))[1] == pytest.approx(
        ref_w
    )


def test_checkpoint_accepts_jax_keywords():
    f = lambda x, n: x**n
    assert cr.grad(cr.checkpoint(f, prevent_cse=False), argnums=0)(2.0, 3.0) == 12.0
    g = cr.checkpoint(f, static_argnums=(1,))
    assert cr.grad(lambda x: g(x, 3.0))(2.0) == 12.0
    assert cr.grad(cr.checkpoint(static_argnums=1)(f))(2.0, 3.0) == 12.0
