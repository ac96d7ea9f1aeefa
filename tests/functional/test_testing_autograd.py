"""autograd's testing helpers: ``combo_check``, ``check_equivalent``, ``scalar_close``,
``quick_grad_check`` (from ``chainrule.test_util``)."""

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp
from chainrule.test_util import check_equivalent, combo_check, quick_grad_check, scalar_close


def test_combo_check_runs_every_combination_and_catches_a_wrong_rule():
    seen = []

    def f(x, y, axis=None):
        seen.append(axis)
        return cnp.sum(x * y, axis=axis)

    combo_check(f, (0, 1), modes=["rev"], order=1)([np.ones((2, 3))], [np.ones(3)], axis=[0, 1])
    assert set(seen) == {0, 1}

    def wrong(x):  # half the true derivative 2x: one factor carries no gradient
        return x * cr.stop_gradient(x)

    with pytest.raises(AssertionError, match="check_grads"):
        combo_check(wrong, (0,))([np.array([1.0, 2.0])])


def test_check_equivalent_and_scalar_close():
    check_equivalent((np.ones(2), {"a": 1.0}), (np.ones(2), {"a": 1.0}))
    with pytest.raises(AssertionError, match="leaf 0"):
        check_equivalent(np.ones(2), np.array([1.0, 1.1]))
    assert scalar_close(1.0, 1.0 + 1e-9) and not scalar_close(1.0, 1.1)


def test_quick_grad_check(capsys):
    quick_grad_check(lambda x, a: cnp.sum(cnp.sin(x) * a), np.ones(3), extra_args=(2.0,))
    assert "correct" in capsys.readouterr().out
