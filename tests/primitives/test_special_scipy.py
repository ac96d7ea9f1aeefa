"""``chainrule.scipy.special``'s SciPy-backed functions: orders and shape parameters
refuse a derivative (never a silent zero), complex ``erf``, SciPy's dispatch."""

import numpy as np
import pytest
import scipy.special

import chainrule as cr
import chainrule.scipy.special as csp


@pytest.mark.parametrize(
    "fun,arg",
    [
        (lambda a: csp.gammainc(a, 1.5), "a"),
        (lambda a: csp.gammaincc(a, 1.5), "a"),
        (lambda a: csp.betainc(a, 2.0, 0.3), "a"),
        (lambda b: csp.betainc(2.0, b, 0.3), "b"),
        (lambda v: csp.jv(v, 1.5), "v"),
        (lambda v: csp.iv(v, 1.5), "v"),
        (lambda v: csp.ive(v, 1.5), "v"),
        (lambda v: csp.yv(v, 1.5), "v"),
    ],
)
@pytest.mark.parametrize("transform", [cr.grad, lambda f: cr.jacfwd(f)])
def test_orders_and_shape_parameters_have_no_derivative(fun, arg, transform):
    with pytest.raises(NotImplementedError, match=f"argument '{arg}'"):
        transform(fun)(2.0)


def test_complex_erf_and_erfc_use_scipy_and_differentiate():
    z = np.array([0.3 + 0.2j, -1.1 + 0.5j])
    np.testing.assert_allclose(csp.erf(z), scipy.special.erf(z), rtol=1e-14)
    np.testing.assert_allclose(csp.erfc(z), scipy.special.erfc(z), rtol=1e-14)
    cr.check_grads(csp.erf, (z,), modes=("rev",), order=2)


def test_scipy_ufuncs_on_traced_values_dispatch_to_chainrule():
    f = cr.grad(lambda x: scipy.special.gamma(x) + scipy.special.j0(x))
    assert np.isclose(f(1.5), csp.gamma(1.5) * csp.digamma(1.5) - csp.j1(1.5))


def test_multigammaln_rejects_a_bad_dimension():
    with pytest.raises(ValueError, match="positive integer"):
        csp.multigammaln(3.0, 0)


def _scipy_names():
    """(our function, SciPy's, label) for every name added beside SciPy's own."""
    import scipy.linalg
    import scipy.stats

    import chainrule.scipy.linalg as cla
    import chainrule.scipy.stats as cst
    from chainrule.primitives import special_scipy

    pairs = [(getattr(csp, n), getattr(scipy.special, n), f"special.{n}")
             for n in special_scipy.__all__]  # fmt: skip
    pairs += [(getattr(cla, n), getattr(scipy.linalg, n), f"linalg.{n}") for n in cla.__all__]
    for dist in ("t", "chi2", "gamma", "beta", "poisson", "multivariate_normal", "dirichlet"):
        ours = getattr(cst, dist)
        pairs += [(getattr(ours, n), getattr(getattr(scipy.stats, dist), n), f"stats.{dist}.{n}")
                  for n in ours.__all__]  # fmt: skip
    return pairs


def test_names_take_scipys_leading_parameters():
    """The parameters come in SciPy's order and with its names (a distribution method
    whose SciPy signature is ``(x, *args, **kwds)`` is compared on ``x``)."""
    import inspect

    from tests.primitives.test_signatures import _check_signature

    for ours, theirs, label in _scipy_names():
        assert isinstance(theirs, np.ufunc) or inspect.isroutine(theirs), label
        if isinstance(theirs, np.ufunc) or not _takes_varargs(theirs):
            _check_signature(ours, theirs, label)
            continue
        lead = [p.name for p in inspect.signature(theirs).parameters.values()
                if p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD]  # fmt: skip
        assert list(inspect.signature(ours).parameters)[: len(lead)] == lead, label


def _takes_varargs(fn) -> bool:
    import inspect

    kinds = [p.kind for p in inspect.signature(fn).parameters.values()]
    return inspect.Parameter.VAR_POSITIONAL in kinds
