"""``chainrule.scipy.stats``: values against SciPy's (with broadcasting), and gradients
by central differences in both modes to second order."""

import numpy as np
import pytest
from scipy import stats

import chainrule as cr
import chainrule.scipy.stats as cst

RNG = np.random.default_rng(0)
X43, POS13, POS41 = RNG.normal(size=(4, 3)), RNG.uniform(1.5, 4, (1, 3)), RNG.uniform(1, 3, (4, 1))
UNIT43 = RNG.uniform(0.05, 0.95, (4, 3))
COUNTS = np.array([[0.0, 1.0, 3.0], [2.0, 5.0, 0.0], [7.0, 1.0, 2.0], [4.0, 0.0, 1.0]])

# (distribution, function, arguments, which arguments to differentiate)
CASES = [
    ("t", "pdf", (X43, POS13, X43[::-1], POS41), (0, 1, 2, 3)),
    ("t", "logpdf", (X43, POS13, 0.3, POS41), (0, 1, 3)),
    ("t", "cdf", (X43, POS13, X43[::-1], POS41), (0, 2, 3)),
    ("t", "logcdf", (X43, POS13), (0,)),
    ("t", "sf", (X43, POS13, 0.2), (0, 2)),
    ("t", "logsf", (X43, POS13), (0,)),
    ("chi2", "pdf", (POS41 * POS13, POS13), (0, 1)),
    ("chi2", "logpdf", (POS41 * POS13, POS13, 0.1, 1.5), (0, 1, 2, 3)),
    ("chi2", "cdf", (POS41 * POS13, POS13), (0,)),
    ("gamma", "pdf", (POS41 * POS13, POS13), (0, 1)),
    ("gamma", "logpdf", (POS41 * POS13, POS13, 0.2, POS41), (0, 1, 2, 3)),
    ("gamma", "cdf", (POS41 * POS13, POS13, 0.0, 1.5), (0, 3)),
    ("beta", "pdf", (UNIT43, POS13, POS41), (0, 1, 2)),
    ("beta", "logpdf", (UNIT43, POS13, POS41), (0, 1, 2)),
    ("beta", "cdf", (UNIT43, POS13, POS41), (0,)),
    ("poisson", "pmf", (COUNTS, POS41), (1,)),
    ("poisson", "logpmf", (COUNTS, POS13), (1,)),
    ("poisson", "cdf", (COUNTS + 0.5, POS41), (1,)),
    ("norm", "logcdf", (X43, POS13, POS41), (0, 1, 2)),
]


def _tests(cases):
    return pytest.mark.parametrize(
        "dist,fn,args,argnums", cases, ids=[f"{c[0]}.{c[1]}" for c in cases]
    )


@_tests(CASES)
def test_values_match_scipy(dist, fn, args, argnums):
    np.testing.assert_allclose(
        getattr(getattr(cst, dist), fn)(*args), getattr(getattr(stats, dist), fn)(*args),
        rtol=1e-10, atol=1e-12,
    )  # fmt: skip


@_tests(CASES)
def test_gradients(dist, fn, args, argnums):
    f = getattr(getattr(cst, dist), fn)

    def of(*diff):
        full = list(args)
        for i, v in zip(argnums, diff):
            full[i] = v
        return f(*full)

    cr.check_grads(of, tuple(np.asarray(args[i], float) for i in argnums), order=2)


def test_values_outside_the_support_are_scipys():
    x = np.array([-0.5, 0.0, 0.3, 1.0, 1.5])
    with np.errstate(divide="ignore"):
        for ours, theirs in [
            (cst.beta.logpdf(x, 2.0, 3.0), stats.beta.logpdf(x, 2.0, 3.0)),
            (cst.beta.cdf(x, 2.0, 3.0), stats.beta.cdf(x, 2.0, 3.0)),
            (cst.gamma.logpdf(x, 2.0), stats.gamma.logpdf(x, 2.0)),
            (cst.gamma.cdf(x, 2.0), stats.gamma.cdf(x, 2.0)),
            (cst.poisson.logpmf(x, 2.0), stats.poisson.logpmf(x, 2.0)),
        ]:
            np.testing.assert_allclose(ours, theirs, rtol=1e-12)


def test_shape_parameters_of_distribution_functions_are_refused():
    with pytest.raises(NotImplementedError, match="argument 'df'"):
        cr.grad(lambda df: cst.t.cdf(0.5, df))(3.0)
    with pytest.raises(NotImplementedError, match="argument 'a'"):
        cr.grad(lambda a: cst.gamma.cdf(1.5, a))(2.0)


# -- multivariate normal and Dirichlet ------------------------------------------------------
def _spd(n):
    a = RNG.normal(size=(n, n))
    return a @ a.T + n * np.eye(n)


COV, MEAN = _spd(3), RNG.normal(size=3)


@pytest.mark.parametrize(
    "x", [RNG.normal(size=3), RNG.normal(size=(5, 3)), RNG.normal(size=(2, 4, 3))]
)
def test_mvn_matches_scipy(x):
    for fn in ("logpdf", "pdf"):
        want = getattr(stats.multivariate_normal, fn)(x, MEAN, COV)
        np.testing.assert_allclose(
            getattr(cst.multivariate_normal, fn)(x, MEAN, COV), want, rtol=1e-10
        )
    assert np.isclose(cst.multivariate_normal.entropy(MEAN, COV),
                      stats.multivariate_normal.entropy(MEAN, COV))  # fmt: skip


def test_mvn_scalar_and_diagonal_covariances():
    x = RNG.normal(size=(4, 3))
    for cov in (2.0, np.array([1.0, 2.0, 3.0])):
        np.testing.assert_allclose(cst.multivariate_normal.logpdf(x, MEAN, cov),
                                   stats.multivariate_normal.logpdf(x, MEAN, cov))  # fmt: skip


def test_mvn_gradients():
    def sym(c):
        return 0.5 * (c + c.T)

    x = RNG.normal(size=(5, 3))
    cr.check_grads(lambda x, m, c: cst.multivariate_normal.logpdf(x, m, sym(c)), (x, MEAN, COV))
    cr.check_grads(lambda m, c: cst.multivariate_normal.entropy(m, sym(c)), (MEAN, COV))


def test_mvn_singular_covariance():
    cov = np.diag([1.0, 2.0, 0.0])
    x = np.array([[0.3, -0.2, 0.0], [1.0, 0.5, 0.0]])
    want = stats.multivariate_normal.logpdf(x, np.zeros(3), cov, allow_singular=True)
    got = cst.multivariate_normal.logpdf(x, np.zeros(3), cov, allow_singular=True)
    np.testing.assert_allclose(got, want, rtol=1e-10)
    cr.check_grads(lambda x: cst.multivariate_normal.logpdf(x, None, cov, allow_singular=True),
                   (x,))  # fmt: skip


def test_dirichlet_matches_scipy_and_differentiates():
    alpha = np.array([1.5, 2.0, 3.5])
    x = np.array([[0.2, 0.5], [0.3, 0.1], [0.5, 0.4]])  # one point per column
    np.testing.assert_allclose(cst.dirichlet.logpdf(x, alpha), stats.dirichlet.logpdf(x, alpha))
    np.testing.assert_allclose(
        cst.dirichlet.pdf(x[:, 0], alpha), stats.dirichlet.pdf(x[:, 0], alpha)
    )
    cr.check_grads(lambda a: cst.dirichlet.logpdf(x, a), (alpha,))
    cr.check_grads(lambda x: cst.dirichlet.pdf(x / x.sum(), alpha), (x[:, 0],))


def test_dirichlet_rejects_points_off_the_simplex():
    with pytest.raises(ValueError, match="sum to 1"):
        cst.dirichlet.logpdf(np.array([0.2, 0.2, 0.2]), np.ones(3))
    with pytest.raises(ValueError, match="3 components"):
        cst.dirichlet.logpdf(np.array([0.5, 0.5]), np.ones(3))
