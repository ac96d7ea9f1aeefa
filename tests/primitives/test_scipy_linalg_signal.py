"""``chainrule.scipy.linalg``'s compositions (``cholesky``, ``cho_solve``,
``solve_banded``) and ``chainrule.scipy.signal.convolve``'s ``axes``/``dot_axes``,
against SciPy and NumPy, with their gradients; ``integrate.odeint``'s values."""

import numpy as np
import pytest
from scipy import linalg, signal

import chainrule as cr
import chainrule.numpy as cnp
import chainrule.scipy.linalg as cla
from chainrule.scipy.signal import convolve

RNG = np.random.default_rng(1)


def _spd(n):
    a = RNG.normal(size=(n, n))
    return a @ a.T + n * np.eye(n)


def test_cholesky_and_cho_solve_match_scipy():
    a, b = _spd(3), RNG.normal(size=(3, 2))
    for lower in (False, True):
        np.testing.assert_allclose(cla.cholesky(a, lower=lower), linalg.cholesky(a, lower=lower))
        factor = cla.cho_factor(a, lower=lower)
        np.testing.assert_allclose(cla.cho_solve(factor, b), np.linalg.solve(a, b), rtol=1e-10)
        cr.check_grads(lambda a, b: cla.cho_solve(cla.cho_factor(0.5 * (a + a.T), lower), b),
                       (a, b), order=1)  # fmt: skip


def test_solve_banded_matches_scipy_and_differentiates():
    ab = RNG.normal(size=(3, 5))
    ab[1] += 4.0  # a dominant diagonal
    b = RNG.normal(size=5)
    np.testing.assert_allclose(cla.solve_banded((1, 1), ab, b), linalg.solve_banded((1, 1), ab, b))
    cr.check_grads(lambda ab, b: cla.solve_banded((1, 1), ab, b), (ab, b), order=1)
    with pytest.raises(ValueError, match="l \\+ u \\+ 1 = 4 rows"):
        cla.solve_banded((2, 1), ab, b)


def test_bad_shapes_are_named():
    with pytest.raises(ValueError, match="square"):
        cla.solve_triangular(np.ones((2, 3)), np.ones(2))
    with pytest.raises(ValueError, match="trans"):
        cla.solve_triangular(np.eye(2), np.ones(2), trans="C")
    with pytest.raises(ValueError, match="q must have shape"):
        cla.solve_sylvester(np.eye(2), np.eye(3), np.ones((3, 2)))


A35, A34, A342 = RNG.normal(size=(3, 5)), RNG.normal(size=(3, 4)), RNG.normal(size=(3, 4, 2))


@pytest.mark.parametrize("mode", ["full", "valid", "same"])
def test_convolve_axes_and_dot_axes(mode):
    got = convolve(A35, A34, axes=([1], [0]), mode=mode)
    assert got.shape[:2] == (3, 4)
    np.testing.assert_allclose(got[1, 2], signal.convolve(A35[1], A34[:, 2], mode))
    np.testing.assert_allclose(convolve(A35, A34, axes=([], []), dot_axes=([0], [0]), mode=mode),
                               np.tensordot(A35, A34, axes=([0], [0])))  # fmt: skip
    got = convolve(A35, A342, axes=([1], [2]), dot_axes=([0], [0]), mode=mode)
    want = sum(signal.convolve(A35[i], A342[i, 2], mode) for i in range(3))
    np.testing.assert_allclose(got[2], want)


def test_convolve_axes_gradients():
    a, b = RNG.normal(size=(3, 3, 2)), RNG.normal(size=(3, 2, 3))
    f = lambda a, b: convolve(a, b, axes=([1], [1]), dot_axes=([0], [2]), mode="same")  # noqa: E731
    cr.check_grads(f, (a, b))


def test_convolve_axes_errors():
    with pytest.raises(ValueError, match="dot_axes pair sizes"):
        convolve(A35, A34, axes=([0], [0]), dot_axes=([1], [1]))
    with pytest.raises(ValueError, match="distinct"):
        convolve(A35, A34, axes=([1], [0]), dot_axes=([1], [1]))


def test_odeint_matches_scipy_and_checks_its_arguments():
    from scipy import integrate

    from chainrule.scipy.integrate import odeint

    def decay(y, t, k):
        return -k * y

    t = np.linspace(0.0, 1.0, 5)
    np.testing.assert_allclose(odeint(decay, np.ones(2), t, args=(0.5,)),
                               integrate.odeint(decay, np.ones(2), t, args=(0.5,)))  # fmt: skip
    with pytest.raises(TypeError, match="args\\[0\\] must be an array"):
        odeint(decay, np.ones(2), t, args=("fast",))
    with pytest.raises(ValueError, match="must be vectors"):
        odeint(decay, np.ones((2, 2)), t, args=(0.5,))


def test_odeint_takes_containers_of_parameters_and_differentiates_them():
    from chainrule.scipy.integrate import odeint

    def layers(y, t, params):  # a list of (weight, bias) pairs and a dict, as a network's
        (w, b), scale = params[0], params[1]["scale"]
        return scale * cnp.tanh(cnp.dot(y, w) + b)

    def flat(y, t, w, b, scale):
        return scale * cnp.tanh(cnp.dot(y, w) + b)

    rs = np.random.RandomState(0)
    w, b, y0, t = (
        0.5 * rs.randn(2, 2),
        0.1 * rs.randn(2),
        np.array([1.0, -0.5]),
        np.linspace(0, 1, 4),
    )

    def loss_nested(w, b, scale):
        return cnp.sum(odeint(layers, y0, t, ([(w, b), {"scale": scale}],)) ** 2)

    def loss_flat(w, b, scale):
        return cnp.sum(odeint(flat, y0, t, (w, b, scale)) ** 2)

    np.testing.assert_allclose(loss_nested(w, b, 0.7), loss_flat(w, b, 0.7), rtol=1e-12)
    got = cr.grad(loss_nested, argnums=(0, 1, 2))(w, b, 0.7)
    want = cr.grad(loss_flat, argnums=(0, 1, 2))(w, b, 0.7)
    for g1, g2 in zip(got, want):
        np.testing.assert_allclose(g1, g2, rtol=1e-10)
    cr.check_grads(lambda b: loss_nested(w, b, 0.7), (b,), order=1, modes=("fwd", "rev"))
    with pytest.raises(TypeError, match=r"args\[0\]\[1\]\['scale'\] must be an array"):
        odeint(layers, y0, t, ([(w, b), {"scale": "big"}],))


def test_convolve_as_a_layer_matches_a_loop_of_scipy_convolutions():
    # a batch of 2 images with 3 channels, 4 filters: (batch, channel, h, w) * (channel, out, kh, kw)
    images, filters = RNG.normal(size=(2, 3, 6, 5)), RNG.normal(size=(3, 4, 3, 2))
    for mode in ("valid", "full", "same"):
        got = convolve(images, filters, axes=([2, 3], [2, 3]), dot_axes=([1], [0]), mode=mode)
        want = [[sum(signal.convolve(images[n, c], filters[c, k], mode) for c in range(3))
                 for k in range(4)] for n in range(2)]  # fmt: skip
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)
    # 'valid' with the second input the larger one: the roles swap, the axes stay
    got = convolve(filters, images, axes=([2, 3], [2, 3]), dot_axes=([0], [1]), mode="valid")
    want = [[sum(signal.convolve(filters[c, k], images[n, c], "valid") for c in range(3))
             for n in range(2)] for k in range(4)]  # fmt: skip
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)
    f = lambda a, b: convolve(a, b, axes=([2, 3], [2, 3]), dot_axes=([1], [0]), mode="valid")  # noqa: E731
    cr.check_grads(f, (images[:1, :2], filters[:2, :2]), modes=("rev",))
