"""check_grads: correct derivatives pass (complex ones in complex directions, with
autograd's pairing), wrong ones fail naming the mode, the order and the numbers;
autograd's curried form and ``chainrule.test_util``."""

import warnings

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp
from chainrule.test_util import check_grads

Z = np.array([1.0 + 2.0j, -0.5 + 0.3j])


@pytest.mark.parametrize(
    "fun",
    [
        lambda z: cnp.real(cnp.sum(z * z)),
        lambda z: z * z,
        lambda z: cnp.conj(z) * z * z,
        lambda z: cnp.sin(z) * cnp.conj(z),
        lambda z: cnp.imag(z) * 3.0,
        cnp.angle,
    ],
    ids=["re-z2", "z2", "conj-z-z-z", "sin-conj", "imag", "angle"],
)
def test_correct_complex_derivatives_pass_to_second_order(fun):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no ComplexWarning: nothing is cast to real
        cr.check_grads(fun, (Z,), order=2)


def test_a_wrong_complex_vjp_is_caught():
    # A VJP that conjugates its cotangent: right on real directions, wrong on imaginary
    # ones, so only a check in complex directions catches it.
    @cr.custom_vjp
    def scale(z):
        return z * (2 + 1j)

    scale.defvjp(lambda z: (scale(z), None), lambda r, g: (cnp.conj(g * (2 + 1j)),))
    with pytest.raises(AssertionError, match="reverse mode \\(VJP\\), order 1"):
        cr.check_grads(scale, (Z,), order=1, modes=("rev",))

    @cr.custom_vjp
    def scale_ok(z):
        return z * (2 + 1j)

    scale_ok.defvjp(lambda z: (scale_ok(z), None), lambda r, g: (g * (2 + 1j),))
    cr.check_grads(scale_ok, (Z,), order=1, modes=("rev",))


def test_modes_may_be_a_single_string():
    cr.check_grads(cnp.sin, (0.3,), order=2, modes="rev")
    cr.check_grads(cnp.sin, (0.3,), order=2, modes="fwd")
    with pytest.raises(ValueError, match="unknown mode 'reverse'"):
        cr.check_grads(cnp.sin, (0.3,), modes="reverse")


def test_failure_names_mode_order_and_numbers():
    @cr.custom_jvp
    def cube(x):
        return x**3

    # right first derivative, wrong second (the tangent rule ignores x's dependence)
    cube.defjvp(lambda p, t: (cube(p[0]), 3 * cr.stop_gradient(p[0]) ** 2 * t[0]))
    cr.check_grads(cube, (0.7,), order=1)
    with pytest.raises(AssertionError, match=r"forward mode \(JVP\), order 2.*analytic"):
        cr.check_grads(cube, (0.7,), order=2, modes=("fwd",))
    with pytest.raises(AssertionError, match=r"reverse mode \(VJP\), order 2.*numerical"):
        cr.check_grads(cube, (0.7,), order=2, modes=("rev",))


def test_check_grads_curried_autograd_form_and_failure():
    check_grads(lambda x, y: cnp.sin(x) * y, modes=["rev"])(0.3, 2.0)
    cr.check_grads(lambda x: cnp.exp(x), (0.1,), order=3)

    # A wrong rule must be caught: a custom VJP that is off by a factor of 2.
    @cr.custom_vjp
    def bad(x):
        return cnp.sin(x)

    bad.defvjp(lambda x: (cnp.sin(x), x), lambda x, g: (2.0 * g * cnp.cos(x),))
    with pytest.raises(AssertionError, match="reverse mode"):
        cr.check_grads(bad, (0.3,), order=1, modes=("rev",))
