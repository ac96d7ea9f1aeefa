"""The batching sweep: for every entry of the primitive table (``tests/primitives``),
``vmap`` of its function over a batch of three drawn argument sets equals the Python
loop over the examples, with every argument batched along axis 0, and again with the
first argument unmapped (``None``) and the others batched along their last axis.

The coverage test fails when a registered primitive has no batching rule.
"""

from __future__ import annotations

import numpy as np
import pytest

import chainrule as cr
from chainrule.core.batching import batch_rules
from chainrule.core.primitive import registry
from chainrule.core.trace import unbox_all
from chainrule.functional.pytree import tree_flatten
from chainrule.primitives.batching import LOOPED
from tests.primitives.test_sweep import SPECS

BATCH = 3
# Entries whose functions read values of one example outside the primitives (an index
# computed from the data, a rank, a sign): vmap refuses them with a clear error instead
# of reading the whole batch as one example. This list must stay exact.
NOT_BATCHED = {
    "linalg-lstsq-x": "lstsq reads the rank of each matrix",
    "linalg-lstsq-residuals": "lstsq reads the rank of each matrix",
    "logsumexp-return_sign": "logsumexp reads the sign of the values",
}


def _examples(spec):
    return [
        tuple(a.sample(np.random.default_rng(seed)) for a in spec.args) for seed in range(BATCH)
    ]


def _leaves(tree):
    return [np.asarray(unbox_all(x)) for x in tree_flatten(tree)[0]]


def _check(spec, in_axes, examples):
    """vmap over ``examples`` (a list of argument tuples) against the loop; arguments
    mapped with ``None`` take the first example's value."""
    batched = []
    for j, axis in enumerate(in_axes):
        if axis is None:
            batched.append(examples[0][j])
        else:
            batched.append(np.stack([np.asarray(ex[j]) for ex in examples], axis=axis))
    got = _leaves(cr.vmap(spec.fun, in_axes=tuple(in_axes))(*batched))
    first = examples[0]
    loop = [
        _leaves(spec.fun(*(first[j] if a is None else ex[j] for j, a in enumerate(in_axes))))
        for ex in examples
    ]
    assert len(got) == len(loop[0]), f"{spec.name}: {len(got)} outputs, loop {len(loop[0])}"
    for k, g in enumerate(got):
        want = np.stack([out[k] for out in loop])
        assert g.shape == want.shape, f"{spec.name} output {k}: shape {g.shape} != {want.shape}"
        np.testing.assert_allclose(g, want, rtol=1e-9, atol=1e-11, err_msg=spec.name)


@pytest.mark.parametrize("spec", SPECS, ids=[s.name for s in SPECS])
def test_vmap_matches_loop(spec):
    examples = _examples(spec)
    if spec.name in NOT_BATCHED:
        with pytest.raises(NotImplementedError, match="vmap: .* differs per example"):
            _check(spec, [0] * len(spec.args), examples)
        return
    _check(spec, [0] * len(spec.args), examples)
    ndims = [np.ndim(x) for x in examples[0]]
    if len(ndims) > 1:  # first argument unmapped, the others batched last
        _check(spec, [None] + ndims[1:], examples)
    elif ndims and ndims[0] > 0:  # one argument: batched along its last axis
        _check(spec, ndims, examples)


def test_every_registered_primitive_has_a_batching_rule():
    missing = sorted(set(registry) - set(batch_rules))
    assert not missing, f"registered primitives without a batching rule: {missing}"


def test_not_batched_names_existing_entries():
    unknown = sorted(set(NOT_BATCHED) - {s.name for s in SPECS})
    assert not unknown, f"NOT_BATCHED names entries that are not in the table: {unknown}"


def test_looped_primitives_are_registered():
    unknown = sorted(n for n in set(LOOPED) - set(registry) if not n.startswith("<"))
    assert not unknown, f"LOOPED names primitives that are not registered: {unknown}"
