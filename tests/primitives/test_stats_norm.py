"""``chainrule.scipy.stats.norm`` against SciPy, and its gradients in ``x``, ``loc`` and
``scale`` (both modes, second order)."""

import numpy as np
import pytest
from scipy import stats  # in the test extra

import chainrule as cr
from chainrule.scipy.stats import norm

NAMES = ["pdf", "logpdf", "cdf", "logcdf", "sf", "logsf"]


@pytest.mark.parametrize("name", NAMES)
def test_norm_matches_scipy_and_differentiates(name):
    x = np.linspace(-2.0, 2.0, 5)
    ours = getattr(norm, name)
    np.testing.assert_allclose(ours(x, 0.3, 1.7), getattr(stats.norm, name)(x, 0.3, 1.7))
    cr.check_grads(ours, (x, 0.3, 1.7))
