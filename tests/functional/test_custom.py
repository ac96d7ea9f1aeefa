"""custom_vjp, custom_jvp, checkpoint and stop_gradient."""

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp


def test_stop_gradient():
    f = lambda x: cr.stop_gradient(x) * x
    assert cr.grad(f)(3.0) == pytest.approx(3.0)
    t = cr.tensor(2.0, requires_grad=True)
    assert not cr.stop_gradient(t).requires_grad


@cr.custom_vjp
def clip_grad_identity(x):
    return x


def _fwd(x):
    return x, None


def _bwd(res, g):
    return (cnp.clip(g, -1.0, 1.0),)


clip_grad_identity.defvjp(_fwd, _bwd)


def test_custom_vjp_is_used_in_reverse_mode():
    assert cr.grad(lambda x: 5.0 * clip_grad_identity(x))(2.0) == pytest.approx(1.0)
    assert cr.grad(lambda x: 0.5 * clip_grad_identity(x))(2.0) == pytest.approx(0.5)
    # forward mode falls back to differentiating the function itself
    assert cr.jvp(lambda x: 5.0 * clip_grad_identity(x), (2.0,), (1.0,))[1] == pytest.approx(5.0)


@cr.custom_vjp
def log1pexp(x):
    return cnp.log1p(cnp.exp(x))


def _l_fwd(x):
    return log1pexp(x), x


def _l_bwd(x, g):
    return (g * (1.0 - 1.0 / (1.0 + cnp.exp(x))),)


log1pexp.defvjp(_l_fwd, _l_bwd)


def test_custom_vjp_stable_and_second_order():
    assert cr.grad(log1pexp)(1000.0) == pytest.approx(1.0)
    x = 0.3
    s = 1 / (1 + np.exp(-x))
    assert cr.grad(cr.grad(log1pexp))(x) == pytest.approx(s * (1 - s))
    t = cr.tensor(0.3, requires_grad=True)
    log1pexp(t).backward()
    assert t.grad.item() == pytest.approx(s)


@cr.custom_jvp
def safe_softplus(x):
    return cnp.log1p(cnp.exp(x))


@safe_softplus.defjvp
def _softplus_jvp(primals, tangents):
    (x,), (t,) = primals, tangents
    return safe_softplus(x), t / (1.0 + cnp.exp(-x))


def test_custom_jvp_in_both_modes_and_nested():
    x = 0.4
    s = 1 / (1 + np.exp(-x))
    assert cr.jvp(safe_softplus, (x,), (2.0,))[1] == pytest.approx(2 * s)
    assert cr.grad(safe_softplus)(x) == pytest.approx(s)
    assert cr.grad(safe_softplus)(1000.0) == pytest.approx(1.0)
    assert cr.grad(cr.grad(safe_softplus))(x) == pytest.approx(s * (1 - s))


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


def test_custom_vjp_without_defvjp_is_an_error():
    f = cr.custom_vjp(lambda x: x)
    with pytest.raises(TypeError, match="defvjp"):
        cr.grad(f)(1.0)
