"""Subgradients, NaN-safe `where`, dispatch of plain NumPy, threads, anomaly mode."""

import threading

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp


# The forward passes evaluate the untaken branch (sqrt(-1), log(0)), and NumPy warns
# about it as it would without chainrule; the backward passes do not warn.
@pytest.mark.filterwarnings("ignore:invalid value encountered in sqrt:RuntimeWarning")
@pytest.mark.filterwarnings("ignore:invalid value encountered in log:RuntimeWarning")
@pytest.mark.filterwarnings("ignore:divide by zero encountered in log:RuntimeWarning")
def test_where_untaken_branch_does_not_poison_the_gradient():
    f = lambda x: cnp.where(x > 0, cnp.sqrt(x), 0.0)
    assert cr.grad(f)(-1.0) == 0.0
    assert cr.grad(f)(4.0) == pytest.approx(0.25)
    assert cr.grad(cr.grad(f))(-1.0) == 0.0
    g = cr.elementwise_grad(lambda x: cnp.where(x > 0, cnp.log(x), x))(np.array([-1.0, 0.0, 2.0]))
    np.testing.assert_allclose(g, [1.0, 1.0, 0.5])
    # Tensor API too
    x = cr.tensor([-1.0, 4.0], requires_grad=True)
    cnp.sum(cnp.where(x > 0, cnp.sqrt(x), 0.0)).backward()
    np.testing.assert_allclose(x.grad.numpy(), [0.0, 0.25])


@pytest.mark.filterwarnings("ignore:divide by zero encountered in divide:RuntimeWarning")
def test_division_guarded_by_where():
    f = lambda x: cnp.sum(cnp.where(x != 0, 1.0 / cnp.where(x != 0, x, 1.0), 0.0))
    np.testing.assert_allclose(cr.grad(f)(np.array([0.0, 2.0])), [0.0, -0.25])
    f2 = lambda x: cnp.sum(cnp.where(x != 0, 1.0 / x, 0.0))
    np.testing.assert_allclose(cr.grad(f2)(np.array([0.0, 2.0])), [0.0, -0.25])


def test_subgradients_at_kinks():
    assert cr.grad(cnp.abs)(0.0) == 0.0
    relu = lambda x: cnp.maximum(x, 0.0)
    assert cr.grad(relu)(0.0) == 0.5  # tie: split evenly
    assert cr.grad(relu)(2.0) == 1.0
    assert cr.grad(lambda x: cnp.hypot(x, 0.0))(0.0) == 0.0
    for f in (cnp.floor, cnp.sign, cnp.round, lambda x: (x > 0) * 1.0):
        assert cr.grad(lambda x: f(x) * 1.0 + 0.0 * x)(0.3) == 0.0


def test_plain_numpy_functions_dispatch_or_fail_loudly():
    assert cr.grad(lambda x: np.sin(x) * x)(0.5) == pytest.approx(np.cos(0.5) * 0.5 + np.sin(0.5))
    assert cr.grad(lambda x: np.sum(x**2))(np.array([1.0, 2.0]))[1] == pytest.approx(4.0)
    with pytest.raises(TypeError, match="chainrule.numpy"):
        cr.grad(lambda x: np.frexp(x)[0])(0.5)
    with pytest.raises(TypeError, match="chainrule.numpy|gradient"):
        cr.grad(lambda x: np.asarray(x).sum())(np.ones(2))
    with pytest.raises(TypeError, match="gradient"):
        cr.grad(lambda x: float(x))(1.0)


def test_ndarray_on_the_left_of_an_operator():
    a = np.array([1.0, 2.0])
    g = cr.grad(lambda x: cnp.sum(a * x + a / (x + 3.0) - a**x))(np.array([0.5, 0.5]))
    x = 0.5
    expected = a - a / (x + 3.0) ** 2 - a**x * np.log(a)
    np.testing.assert_allclose(g, expected)


def test_threads_do_not_share_traces():
    errors, results = [], {}
    barrier = threading.Barrier(4)

    def work(k):
        try:
            barrier.wait()
            for _ in range(50):
                v = cr.grad(lambda x: cr.grad(lambda y: y**3 * k)(x))(2.0)
            results[k] = v
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(1, 5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert results == {k: pytest.approx(6 * 2.0 * k) for k in range(1, 5)}


def test_detect_anomaly_forward_names_op_and_line():
    x = cr.tensor([1.0, -1.0], requires_grad=True)
    # log(0) and log(-2): NumPy warns before anomaly mode raises
    with cr.detect_anomaly(), np.errstate(divide="ignore", invalid="ignore"):
        with pytest.raises(FloatingPointError, match=r"'log'.*forward.*test_safety\.py:\d+"):
            cnp.log(x - 1.0)


def test_detect_anomaly_backward_names_op():
    x = cr.tensor([0.0, 1.0], requires_grad=True)
    with cr.detect_anomaly():
        y = cnp.sum(cnp.sqrt(x))  # fine forward; infinite derivative at 0
        with pytest.raises(
            FloatingPointError, match=r"backward pass of operation 'sqrt'.*test_safety"
        ):
            y.backward()
    # outside anomaly mode: no error, an infinite gradient as in NumPy/PyTorch
    y = cnp.sum(cnp.sqrt(x))
    y.backward()
    assert np.isinf(x.grad.numpy()[0])


def test_backward_pass_does_not_warn_for_discarded_branches():
    import warnings

    # The forward passes below warn, as NumPy does (sqrt(-1), 1/0); the backward
    # passes must not add warnings for derivatives that `where` discards.
    x = cr.tensor([0.0, 2.0], requires_grad=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        loss = cnp.sum(cnp.where(x != 0, 1.0 / x, 0.0) + cnp.where(x > 0, cnp.log(x), 0.0))
        out, f_vjp = cr.vjp(lambda v: cnp.where(v > 0, cnp.sqrt(v), 0.0), np.array([-1.0, 4.0]))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss.backward()
        (g,) = f_vjp(np.ones(2))
    np.testing.assert_allclose(x.grad.numpy(), [0.0, -0.25 + 0.5])
    np.testing.assert_allclose(g, [0.0, 0.25])


def test_detect_anomaly_with_the_functional_api():
    with cr.detect_anomaly():
        g = cr.grad(lambda t: cnp.sum(t * t))(np.array([1.0, 2.0]))
        np.testing.assert_allclose(g, [2.0, 4.0])
        with pytest.raises(FloatingPointError, match="'sqrt'"):
            cr.grad(lambda t: cnp.sum(cnp.sqrt(t)))(np.array([0.0, 1.0]))
