"""``cond``: the branch the values select, derivatives of the taken branch in both
modes to second order, and one jitted program that serves both branches."""

from __future__ import annotations

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp


def smooth(v):
    return cnp.sin(v) * v


def steep(v):
    return cnp.exp(v)


def f(x):
    return cr.cond(cnp.sum(x) > 0, smooth, steep, x)


POS, NEG = np.array([0.3, 0.5]), np.array([-0.3, -0.5])


@pytest.mark.parametrize("x, branch", [(POS, smooth), (NEG, steep)])
def test_cond_takes_the_selected_branch_and_its_derivatives(x, branch):
    np.testing.assert_array_equal(f(x), branch(x))
    np.testing.assert_array_equal(
        cr.grad(lambda v: cnp.sum(f(v)))(x), cr.grad(lambda v: cnp.sum(branch(v)))(x)
    )
    cr.check_grads(f, (x,), order=2, modes=("fwd", "rev"))


def test_jitted_cond_serves_both_branches_from_one_program():
    jf = cr.jit(f)
    jg = cr.jit(cr.grad(lambda v: cnp.sum(f(v))))
    for x in (POS, NEG, POS * 2, NEG * 2):
        np.testing.assert_array_equal(jf(x), f(x))
        np.testing.assert_array_equal(jg(x), cr.grad(lambda v: cnp.sum(f(v)))(x))
    assert jf.cache_size() == jg.cache_size() == 1
    assert jf.fallbacks == jg.fallbacks == 0
    assert "cond true_fn=<smooth> false_fn=<steep>" in str(cr.make_program(f)(POS))


def test_cond_with_several_operands_and_outputs():
    def g(x, y):
        return cr.cond(x > y, lambda a, b: (a * b, a - b), lambda a, b: (a + b, b), x, y)

    assert g(2.0, 1.0) == (2.0, 1.0) and g(1.0, 2.0) == (3.0, 2.0)
    cr.check_grads(lambda x, y: g(x, y)[0] + 2 * g(x, y)[1], (2.0, 1.0), order=2)
    assert cr.grad(lambda x: g(x, 2.0)[1])(1.0) == 0.0  # the false branch ignores x there


def test_cond_refuses_a_non_scalar_pred():
    with pytest.raises(ValueError, match="pred must be a scalar"):
        cr.cond(np.array([True, False]), smooth, steep, POS)
