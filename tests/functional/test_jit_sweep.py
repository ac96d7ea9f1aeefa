"""The rule table under ``jit``: for every primitive spec of ``tests/primitives``, the
jitted function and the jitted gradient give the eager results bit for bit.

Each program is traced on one draw of the arguments and then replayed on a second
draw, so a value baked into the program while tracing would show as a mismatch. A
replay whose values fail a guard (a decision the library took on the values while
tracing) runs eagerly; only the specs listed in ``FALLS_BACK`` may do that.
"""

from __future__ import annotations

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp
from chainrule.functional.pytree import tree_flatten
from tests.primitives.test_sweep import SPECS, _args

# Specs whose replay takes another value-dependent branch than the tracing call did, so
# a guard sends it to the eager path (its results are still compared). Every other spec
# must replay its compiled program.
FALLS_BACK = {
    "sort": "the permutation that sorts the values is read while tracing",
    "sinc": "the second draw has an entry near 0, where the rule takes its series branch",
    "linalg-lstsq": "the rank of the matrix is read while tracing",
}


def _leaves(tree):
    return tree_flatten(tree)[0]


def _assert_same(got, want, what):
    got, want = _leaves(got), _leaves(want)
    assert len(got) == len(want) > 0, f"{what}: {len(got)} outputs, eager {len(want)}"
    for g, w in zip(got, want):
        g, w = np.asarray(g), np.asarray(w)
        assert g.shape == w.shape and g.dtype == w.dtype, (
            f"{what}: {g.dtype}{g.shape} != eager {w.dtype}{w.shape}"
        )
        np.testing.assert_array_equal(g, w, err_msg=what, strict=True)


def _loss(fun):
    """A scalar of every floating output of ``fun``: the gradient to compare."""

    def loss(*args):
        total = 0.0
        for out in _leaves(fun(*args)):
            dtype = out.dtype if hasattr(out, "dtype") else np.result_type(out)
            if dtype.kind in "fc":
                total = total + cnp.sum(cnp.real(out))
        return total

    return loss


@pytest.mark.parametrize("spec", SPECS, ids=[s.name for s in SPECS])
def test_jit_equals_eager(spec):
    first, second = _args(spec, 0), _args(spec, 1)
    jitted = cr.jit(spec.fun)
    _assert_same(jitted(*first), spec.fun(*first), f"{spec.name} (tracing call)")
    _assert_same(jitted(*second), spec.fun(*second), f"{spec.name} (replay)")
    assert jitted.cache_size() == 1
    if spec.zero_derivative or "rev" not in spec.modes:
        if not spec.name.startswith(tuple(FALLS_BACK)):
            assert jitted.fallbacks == 0, f"{spec.name}: a guard failed"
        return
    grad = cr.grad(_loss(spec.fun), argnums=tuple(range(len(first))))
    jitted_grad = cr.jit(grad)
    _assert_same(jitted_grad(*first), grad(*first), f"{spec.name} gradient (tracing call)")
    _assert_same(jitted_grad(*second), grad(*second), f"{spec.name} gradient (replay)")
    if not spec.name.startswith(tuple(FALLS_BACK)):
        assert jitted.fallbacks == jitted_grad.fallbacks == 0, f"{spec.name}: a guard failed"
