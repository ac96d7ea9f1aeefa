"""The NumPy functions composed from differentiable ops (statistics, selections,
differences, vector products, aliases): NumPy's values, and gradients checked
numerically in both modes to second order."""

from __future__ import annotations

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp

rng = np.random.default_rng(3)
M = rng.standard_normal((5, 4))
V = rng.standard_normal(6)

CASES = [
    ("median-axis0", lambda a: cnp.median(a, axis=0), lambda a: np.median(a, axis=0), M),
    ("median-all-keepdims", lambda a: cnp.median(a, keepdims=True),
     lambda a: np.median(a, keepdims=True), M),
    ("percentile-list", lambda a: cnp.percentile(a, [10, 75], axis=1),
     lambda a: np.percentile(a, [10, 75], axis=1), M),
    ("quantile", lambda a: cnp.quantile(a, 0.3), lambda a: np.quantile(a, 0.3), V),
    ("cov", cnp.cov, np.cov, M),
    ("cov-cols-ddof0", lambda a: cnp.cov(a, rowvar=False, ddof=0),
     lambda a: np.cov(a, rowvar=False, ddof=0), M),
    ("corrcoef", cnp.corrcoef, np.corrcoef, M),
    ("nanvar", lambda a: cnp.nanvar(a, axis=1), lambda a: np.nanvar(a, axis=1), M),
    ("nanmax", lambda a: cnp.nanmax(a, axis=0), lambda a: np.nanmax(a, axis=0), M),
    ("select", lambda a: cnp.select([a < -0.5, a > 0.5], [a**2, cnp.sin(a)], default=a),
     lambda a: np.select([a < -0.5, a > 0.5], [a**2, np.sin(a)], default=a), V),
    ("partition", lambda a: cnp.partition(a, 2), lambda a: np.partition(a, 2), V),
    ("rollaxis", lambda a: cnp.rollaxis(a[None], 2), lambda a: np.rollaxis(a[None], 2), M),
    ("row_stack", lambda a: cnp.row_stack([a, 2 * a]), lambda a: np.vstack([a, 2 * a]), V),
    ("fabs", cnp.fabs, np.fabs, V),
    ("gradient", lambda a: cnp.gradient(a, 0.5), lambda a: np.gradient(a, 0.5), V),
    ("gradient-2d", lambda a: cnp.stack(cnp.gradient(a)), lambda a: np.stack(np.gradient(a)), M),
    ("trapezoid", lambda a: cnp.trapezoid(a, dx=0.1), lambda a: np.trapezoid(a, dx=0.1), M),
    ("make_diagonal", lambda a: cnp.make_diagonal(a, axis1=-1, axis2=-2),
     lambda a: a[..., None] * np.eye(4), M),
    ("vecdot", lambda a: cnp.vecdot(a, a[::-1]), lambda a: np.vecdot(a, a[::-1]), M),
    ("matvec", lambda a: cnp.matvec(a, a[0]), lambda a: np.matvec(a, a[0]), M),
    ("diagflat", cnp.diagflat, np.diagflat, V),
    ("ediff1d", lambda a: cnp.ediff1d(a, to_end=a[:1]), lambda a: np.ediff1d(a, a[:1]), V),
    ("delete", lambda a: cnp.delete(a, [1, 3], axis=0), lambda a: np.delete(a, [1, 3], 0), M),
    ("copysign", lambda a: cnp.copysign(a, a[::-1]), lambda a: np.copysign(a, a[::-1]), V),
    ("block", lambda a: cnp.block([[a, a], [a, 2 * a]]),
     lambda a: np.block([[a, a], [a, 2 * a]]), M),
    ("polyval", lambda a: cnp.polyval(a[:3], a), lambda a: np.polyval(a[:3], a), V),
    ("acos", lambda a: cnp.acos(a / 3), lambda a: np.acos(a / 3), V),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_composed_function_values_and_gradients(case):
    _, ours, theirs, x = case
    np.testing.assert_allclose(ours(x), theirs(x), rtol=1e-12, atol=1e-12)
    cr.check_grads(ours, (x,))


def test_real_if_close_drops_only_negligible_imaginary_parts():
    z = np.array([1.0 + 1e-18j, 2.0])
    assert np.isrealobj(cnp.real_if_close(z))
    assert np.iscomplexobj(cnp.real_if_close(np.array([1.0 + 1e-3j])))
    np.testing.assert_allclose(cr.grad(lambda x: cnp.real_if_close(x * (1 + 0j)).sum())(V), 1.0)


def test_index_constants_are_numpys():
    assert cnp.mgrid is np.mgrid and cnp.ogrid is np.ogrid and cnp.s_ is np.s_
