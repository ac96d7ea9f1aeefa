"""Complex inputs follow autograd's convention: for a real-valued L(z), z = a + ib,
``grad(L)(z) = dL/da - i dL/db`` (and holomorphic ops pass cotangents on as
``g * f'(z)``). Checked numerically on composites that mix many ops."""

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp

rng = np.random.default_rng(3)
Z = rng.normal(size=3) + 1j * rng.normal(size=3)
W = rng.normal(size=(3, 3)) + 1j * rng.normal(size=(3, 3))


def _numerical(L, z, eps=1e-6):
    out = np.zeros_like(z)
    for k in range(z.size):
        e = np.zeros(z.size)
        e[k] = eps
        e = e.reshape(z.shape)
        da = (L(z + e) - L(z - e)) / (2 * eps)
        db = (L(z + 1j * e) - L(z - 1j * e)) / (2 * eps)
        out.flat[k] = da - 1j * db
    return out


CASES = {
    "abs2": lambda z: cnp.sum(cnp.abs(z) ** 2),
    "sin-exp": lambda z: cnp.real(cnp.sum(cnp.sin(z) * cnp.exp(0.3 * z))),
    "imag-of-square": lambda z: cnp.sum(cnp.imag(z * z)),
    "matmul": lambda z: cnp.real(cnp.sum((W @ z) * cnp.conj(W @ z))),
    "einsum": lambda z: cnp.real(cnp.einsum("ij,j,i->", W, z, cnp.conj(z))),
    "division": lambda z: cnp.real(cnp.sum(1.0 / (z + 3.0))),
    "angle": lambda z: cnp.sum(cnp.angle(z) * cnp.abs(z)),
    "log-abs": lambda z: cnp.sum(cnp.log(cnp.abs(z))),
}


@pytest.mark.parametrize("name", CASES)
def test_complex_gradient_convention(name):
    L = CASES[name]
    want = _numerical(lambda z: float(L(z)), Z)
    np.testing.assert_allclose(cr.grad(L)(Z), want, rtol=1e-6, atol=1e-8)


def test_holomorphic_grad_is_the_complex_derivative():
    z = 0.3 + 0.4j
    assert cr.holomorphic_grad(cnp.sin)(z) == pytest.approx(np.cos(z))
    assert cr.holomorphic_grad(lambda z: z**3)(z) == pytest.approx(3 * z**2)


def test_real_input_gives_real_gradient():
    g = cr.grad(lambda x: cnp.sum(cnp.real(x)))(2.0)
    assert np.isrealobj(g)
    g = cr.grad(lambda x: cnp.sum(cnp.real(x)))(1.0j)
    assert np.iscomplexobj(g)


def test_complex_products_and_cumulative_ops():
    for L in (
        lambda z: cnp.real(cnp.prod(z) * cnp.conj(cnp.prod(z))),
        lambda z: cnp.real(cnp.sum(cnp.cumprod(z) * 1.5j)),
        lambda z: cnp.imag(cnp.sum(cnp.cumsum(z) ** 2)),
    ):
        want = _numerical(lambda z: float(L(z)), Z)
        np.testing.assert_allclose(cr.grad(L)(Z), want, rtol=1e-6, atol=1e-8)


def test_abs_forward_mode_on_complex_is_real():
    z = np.array([1 + 2j])
    _, t = cr.jvp(cnp.abs, (z,), (np.array([1j]),))
    # d|z| along dz = Re(conj(z) dz) / |z| = 2 / sqrt(5)
    np.testing.assert_allclose(t, [2 / np.sqrt(5)])
    assert np.isrealobj(t)


def test_second_derivatives_of_complex_abs():
    # d|z| = conj(z)/|z| is itself a function of z: its derivative must not be dropped
    cr.check_grads(cnp.abs, (1.1 + 1.2j,), order=2)
    cr.check_grads(cr.grad(cnp.abs), (1.1 + 1.3j,), order=1)
    z = np.array([0.5 - 0.2j, -1.0 + 2.0j])
    cr.check_grads(lambda z: cnp.sum(cnp.abs(z) ** 3), (z,), order=2)
    # at 0 the subgradient is 0 in both orders, never NaN
    assert cr.grad(cnp.abs)(0j) == 0
    assert cr.grad(lambda z: cr.grad(cnp.abs)(z).real)(0j) == 0
