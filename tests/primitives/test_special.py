"""Focused tests of ``chainrule.scipy.special``: forward accuracy against SciPy on many
points (skipped without SciPy), stability at extreme arguments, edge values, and
derivatives of higher order."""

import warnings

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp
import chainrule.scipy.special as csp

RNG = np.random.default_rng(0)


def _close(got, want, tol):
    """Same NaNs and infinities, and finite values within ``tol`` (relative, or absolute
    below 1); fails when there was nothing to compare."""
    got, want = np.asarray(got), np.asarray(want)
    assert want.size > 0 and got.shape == want.shape
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want))
    inf = np.isinf(want)
    np.testing.assert_array_equal(got[inf], want[inf])
    ok = np.isfinite(want)
    err = np.abs(got[ok] - want[ok]) / np.maximum(np.abs(want[ok]), 1.0)
    assert err.size == 0 or err.max() < tol, f"max error {err.max():.3g} at {np.argmax(err)}"


_WIDE = np.concatenate(
    [
        np.linspace(-30, 30, 6001),
        np.geomspace(1e-300, 1e300, 301),
        -np.geomspace(1e-300, 1e300, 301),
        [0.0, -0.0, np.inf, -np.inf, np.nan],
    ]
)


@pytest.mark.parametrize("name", ["erf", "erfc", "expit", "ndtr", "log_expit"])
def test_against_scipy_everywhere(name):
    sps = pytest.importorskip("scipy.special")
    _close(getattr(csp, name)(_WIDE), getattr(sps, name)(_WIDE), 1e-13)


def test_erfc_relative_accuracy_in_the_tail():
    sps = pytest.importorskip("scipy.special")
    x = np.linspace(1.5, 26.0, 2001)
    np.testing.assert_allclose(csp.erfc(x), sps.erfc(x), rtol=1e-13)
    np.testing.assert_allclose(csp.erfc(-x), sps.erfc(-x), rtol=1e-15)


def test_gamma_family_against_scipy():
    sps = pytest.importorskip("scipy.special")
    pos = np.concatenate([np.linspace(1e-3, 40, 4001), np.geomspace(1e-200, 1e200, 201)])
    # stay away from the poles, where SciPy itself loses digits
    neg = np.linspace(-20.05, -0.05, 201)
    _close(csp.gammaln(pos), sps.gammaln(pos), 2e-14)
    _close(csp.gammaln(neg), sps.gammaln(neg), 2e-14)
    _close(csp.digamma(pos), sps.psi(pos), 2e-14)
    _close(csp.psi(neg), sps.psi(neg), 2e-13)
    for n in (1, 2, 3, 5):
        x = np.concatenate([pos[pos < 1e8], neg])
        want = sps.polygamma(n, x)
        with np.errstate(invalid="ignore"):  # the ratio inf / inf at the poles is NaN
            ratio = csp.polygamma(n, x) / want
        assert np.isfinite(ratio).sum() > 100
        _close(ratio, np.where(np.isfinite(want), 1.0, np.nan), 1e-11)
    _close(csp.gammaln([0.0, -1.0, -2.0, np.inf]), [np.inf, np.inf, np.inf, np.inf], 0)


def test_erfinv_and_logit_against_scipy():
    sps = pytest.importorskip("scipy.special")
    u = np.concatenate(
        [
            np.linspace(-1, 1, 4001),
            1 - np.geomspace(1e-16, 0.1, 50),
            -1 + np.geomspace(1e-16, 0.1, 50),
            [2.0, -2.0, np.nan],
        ]
    )
    _close(csp.erfinv(u), sps.erfinv(u), 1e-14)
    p = np.linspace(0, 1, 1001)
    _close(csp.logit(p), sps.logit(p), 1e-13)


def test_reductions_against_scipy():
    sps = pytest.importorskip("scipy.special")
    a = RNG.normal(size=(3, 4)) * 50
    b = RNG.uniform(0.1, 2, size=(3, 4))
    for axis in (None, 0, 1, (0, 1)):
        for keepdims in (False, True):
            kw = {"axis": axis, "keepdims": keepdims}
            np.testing.assert_allclose(csp.logsumexp(a, **kw), sps.logsumexp(a, **kw))
            np.testing.assert_allclose(
                csp.logsumexp(a, b=b, **kw), sps.logsumexp(a, b=b, **kw), rtol=1e-13
            )
        np.testing.assert_allclose(csp.softmax(a, axis=axis), sps.softmax(a, axis=axis))
        np.testing.assert_allclose(csp.log_softmax(a, axis=axis), sps.log_softmax(a, axis=axis))
    out, sign = csp.logsumexp([1.0, 2.0], b=[1.0, -2.0], return_sign=True)
    want, want_sign = sps.logsumexp([1.0, 2.0], b=[1.0, -2.0], return_sign=True)
    np.testing.assert_allclose(out, want)
    assert sign == want_sign == -1


def test_xlogy_against_scipy():
    sps = pytest.importorskip("scipy.special")
    x = np.array([0.0, 0.0, 1.5, -2.0, 0.0])
    y = np.array([0.0, 3.0, 2.0, 0.5, -1.0])
    np.testing.assert_allclose(csp.xlogy(x, y), sps.xlogy(x, y))
    np.testing.assert_allclose(csp.xlog1py(x, y), sps.xlog1py(x, y))


# -- stability and edges (no SciPy needed) -------------------------------------------------------
def test_expit_and_softmax_are_stable_for_huge_inputs():
    x = np.array([-1000.0, -50.0, 0.0, 50.0, 1000.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y = csp.expit(x)
        g = cr.elementwise_grad(csp.expit)(x)
        s = csp.softmax(x)
        ls = csp.log_softmax(x)
        lse = csp.logsumexp(x)
    np.testing.assert_allclose(y, [0.0, np.exp(-50.0), 0.5, 1.0, 1.0], atol=1e-300)
    assert np.all(np.isfinite(g)) and g[2] == 0.25
    np.testing.assert_allclose(s, [0, 0, 0, 0, 1], atol=1e-300)
    assert ls[-1] == 0.0 and lse == 1000.0


def test_logsumexp_keeps_the_small_terms_beside_the_largest():
    # log(1 + e^-40) = e^-40 to double precision: summing 1 + e^-40 first would give 0
    assert csp.logsumexp([0.0, -40.0]) == pytest.approx(np.exp(-40.0), rel=1e-15, abs=0)
    # three tied maxima and a small rest: log 3 + log1p(e^-30 / 3)
    got = csp.logsumexp([5.0, 5.0, -25.0, 5.0])
    assert got == pytest.approx(5.0 + np.log(3.0) + np.exp(-30.0) / 3.0, rel=1e-16, abs=0)
    # weights: the largest term's weight is the scale; a negative total is NaN unless
    # the magnitude is asked for
    assert csp.logsumexp([0.0, -40.0], b=[2.0, 1.0]) == pytest.approx(np.log(2.0), rel=1e-16)
    with np.errstate(invalid="ignore"):
        assert np.isnan(csp.logsumexp([1.0, 2.0], b=[1.0, -2.0]))
    out, sign = csp.logsumexp([1.0, 2.0], b=[1.0, -2.0], return_sign=True)
    assert out == pytest.approx(np.log(2 * np.e**2 - np.e), rel=1e-15) and sign == -1.0
    # float32 stays float32
    assert csp.logsumexp(np.zeros(3, np.float32)).dtype == np.float32


def test_logsumexp_infinities():
    assert csp.logsumexp([-np.inf, -np.inf]) == -np.inf
    assert csp.logsumexp([np.inf, 1.0]) == np.inf
    assert csp.logsumexp(np.zeros((0,))) == -np.inf


def test_logsumexp_gradient_in_b_at_zero():
    # d/db log(sum b e^a) = e^a / sum(b e^a), which is finite (and not 0) where b = 0
    a = np.array([0.5, 1.0, -1.0])
    b = np.array([1.0, 0.0, 2.0])
    g = cr.grad(lambda bb: csp.logsumexp(a, b=bb))(b)
    np.testing.assert_allclose(g, np.exp(a) / np.sum(b * np.exp(a)))


def test_logsumexp_b_with_return_sign_gradient():
    a = np.array([0.3, 1.0])
    b = np.array([1.0, -2.0])
    g = cr.grad(lambda x: csp.logsumexp(x, b=b, return_sign=True)[0])(a)
    s = np.sum(b * np.exp(a))
    np.testing.assert_allclose(g, b * np.exp(a) / s)


def test_xlogy_zero_gradients():
    gx, gy = cr.grad(lambda x, y: csp.xlogy(x, y), argnums=(0, 1))(0.0, 2.0)
    assert gx == np.log(2.0) and gy == 0.0
    gy = cr.grad(lambda y: csp.xlogy(0.0, y))(0.0)
    assert gy == 0.0


def test_erfinv_edges():
    np.testing.assert_array_equal(csp.erfinv(np.array([-1.0, 1.0])), [-np.inf, np.inf])
    assert np.isnan(csp.erfinv(1.5))
    x = np.linspace(-0.999, 0.999, 201)
    np.testing.assert_allclose(csp.erf(csp.erfinv(x)), x, rtol=1e-14, atol=1e-16)


def test_float32_in_float32_out():
    x = np.linspace(0.5, 3.0, 5, dtype=np.float32)
    for f in (csp.erf, csp.erfc, csp.gammaln, csp.digamma, csp.expit, csp.softmax):
        assert f(x).dtype == np.float32, f
    assert csp.polygamma(1, x).dtype == np.float32
    assert cr.grad(lambda t: cnp.sum(csp.gammaln(t)))(x).dtype == np.float32


def test_polygamma_order_must_be_a_nonnegative_int():
    with pytest.raises(ValueError, match="non-negative integer"):
        csp.polygamma(-1, 1.0)
    with pytest.raises(ValueError, match="non-negative integer"):
        csp.polygamma(1.5, 1.0)
    with pytest.raises(TypeError, match="one integer"):
        csp.polygamma(np.array([1, 2]), 1.0)
    assert csp.polygamma(2.0, 1.0) == csp.polygamma(2, 1.0)


def test_third_derivative_of_gammaln_is_polygamma_2():
    f = cr.grad(cr.grad(cr.grad(csp.gammaln)))
    for x in (0.7, 2.5, 11.0, -1.5):
        np.testing.assert_allclose(f(x), csp.polygamma(2, x), rtol=1e-12)


def test_erf_higher_derivatives():
    # erf'' = -2x erf'
    d2 = cr.grad(cr.grad(csp.erf))
    x = 0.8
    np.testing.assert_allclose(d2(x), -2 * x * 2 / np.sqrt(np.pi) * np.exp(-x * x), rtol=1e-13)


def test_tensor_softmax_method():
    x = cr.tensor(RNG.normal(size=(2, 3)), requires_grad=True)
    (x.softmax(1)[:, 0]).sum().backward()
    s = csp.softmax(np.asarray(x), axis=1)
    want = s * ((np.arange(3) == 0) - s[:, :1])
    np.testing.assert_allclose(np.asarray(x.grad), want, rtol=1e-12)


def test_scipy_ufuncs_on_traced_values_are_differentiated():
    sps = pytest.importorskip("scipy.special")
    x = np.array([0.3, 1.7])
    got = cr.grad(lambda t: cnp.sum(sps.erf(t) + sps.gammaln(t) + sps.digamma(t)))(x)
    want = cr.grad(lambda t: cnp.sum(csp.erf(t) + csp.gammaln(t) + csp.psi(t)))(x)
    np.testing.assert_allclose(got, want)


# -- logsumexp whose answer is infinite ---------------------------------------------------------
@pytest.mark.parametrize(
    "a, kwargs, want",
    [
        ([-np.inf, -np.inf], {}, [0.5, 0.5]),
        ([np.inf, 1.0], {}, [1.0, 0.0]),
        ([[-np.inf] * 3, [0.0, 0.0, 0.0]], {"axis": 1}, [[1 / 3] * 3, [1 / 3] * 3]),
        ([-np.inf, -np.inf], {"b": np.array([1.0, 3.0])}, [0.25, 0.75]),
    ],
    ids=["all-neg-inf", "pos-inf", "row-of-neg-inf", "weighted"],
)
def test_logsumexp_gradient_at_an_infinite_answer_splits_like_max(a, kwargs, want):
    a = np.array(a)
    # the forward does not warn here, and neither may the rules
    g = cr.grad(lambda a: cnp.sum(csp.logsumexp(a, **kwargs)))(a)
    _, t = cr.jvp(lambda a: csp.logsumexp(a, **kwargs), (a,), (np.ones_like(a),))
    np.testing.assert_allclose(g, want)
    np.testing.assert_allclose(t, np.sum(want, axis=kwargs.get("axis")))


@pytest.mark.parametrize("name", ["expit", "log_expit", "xlogy", "xlog1py"])
@pytest.mark.parametrize(
    "x", [np.array([0, 1, 3], np.int8), np.array([True, False]), 2], ids=["int8", "bool", "int"]
)
def test_integer_and_boolean_inputs_compute_in_float64_like_scipy(name, x):
    scipy_special = pytest.importorskip("scipy.special")
    args = (x, x) if name.startswith("xlog") else (x,)
    got, want = getattr(csp, name)(*args), getattr(scipy_special, name)(*args)
    assert np.asarray(got).dtype == np.asarray(want).dtype == np.float64
    np.testing.assert_allclose(got, want)
