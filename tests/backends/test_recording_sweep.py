"""The whole rule table on a namespace that is not NumPy: every sweep entry runs its
forward and its VJP on ``DeviceArray`` inputs (see ``recording.py``), and must return
device arrays equal to NumPy's values, with its forwards called through ``xp``."""

from __future__ import annotations

import numpy as np
import pytest

from chainrule.core import backend
from chainrule.core.reverse import ReverseTrace, RootNode, backward_pass
from chainrule.core.trace import Box, new_trace, unbox_all
from chainrule.functional.pytree import tree_flatten
from tests.backends.recording import DeviceArray, RecordingNamespace, to_device
from tests.primitives.test_sweep import SPECS, _args

RECORDER = RecordingNamespace()
backend.register_namespace(DeviceArray, RECORDER)

_SCIPY_FUNCTIONS = [
    f"solve_triangular-{case}"
    for case in (
        "True-0-(3, 2)-False",
        "True-1-(3, 2)-False",
        "False-0-(3, 2)-False",
        "False-1-(3, 2)-False",
        "True-0-(3,)-False",
        "False-1-(3,)-True",
    )
] + ["solve_sylvester", "sqrtm", "sqrtm-nonsymmetric", "odeint"]
_SCIPY_UFUNCS = [f"{n}-{s}" for n in ("j0", "j1", "y0", "y1", "i0", "i1") for s in ("()", "(3, 4)")]
_SCIPY_UFUNCS += "gammasgn jv-2.0 jv-1.5 yv-2.0 iv-2.0 jn-3 yn-2 iv-order-array betainc".split()
# Entries that do not stay on a non-NumPy namespace, with why. They are strict expected
# failures: one that starts passing fails the run, so the list can only shrink.
# The first six are right to fail: the entry itself mixes a NumPy constant (a mask, a
# base array, an addend, an operand) with device values, and meeting that with a
# mismatch error is the backend's contract (no silent copy between devices).
MIXES_NUMPY = "the entry mixes a NumPy constant with device values: a mismatch error is right"
NOT_YET = {
    "index_update-values-only": MIXES_NUMPY,
    "nan_to_num-with-nonfinite": MIXES_NUMPY,
    "sum-where": MIXES_NUMPY,
    "concatenate-constant": MIXES_NUMPY,
    "permute": MIXES_NUMPY,  # the spec's permutation is a NumPy constant
    "unpermute": MIXES_NUMPY,
    **{
        f"convolve-{n}": "the forward is SciPy's, which runs on NumPy arrays"
        for n in ("full-1d", "valid-2d", "same-2d")
    },
    **{
        n: "the forward (and the rules' forwards) are SciPy's, not the inputs' namespace"
        for n in _SCIPY_FUNCTIONS + _SCIPY_UFUNCS
    },
}
# forwards that are the identity call no function at all
IDENTITY = {"stop_gradient"}


def _marks(spec):
    reason = NOT_YET.get(spec.name)
    if not reason:
        return []
    # a mixing entry must fail with the mismatch error, not some other way
    raises = backend.DeviceMismatchError if reason is MIXES_NUMPY else None
    return [pytest.mark.xfail(reason=reason, strict=True, raises=raises)]


CASES = [pytest.param(s, id=s.name, marks=_marks(s)) for s in SPECS]


def _device_vjp(fun, args):
    """Reverse mode on the core's own trace, seeded with device ones: the output values
    and the input cotangents exactly as the rules produced them."""
    with new_trace(ReverseTrace) as trace:
        inputs = [trace.new_input(a) for a in args]
        outs = tree_flatten(fun(*inputs))[0]
    mine = [o for o in outs if isinstance(o, Box) and o._trace is trace]
    found = {}
    seeds = [to_device(np.ones_like(o._value)) for o in mine]
    backward_pass(
        RootNode([o._node for o in mine]), seeds, visit=lambda n, ct: found.setdefault(n, ct)
    )
    return [unbox_all(o) for o in outs], [found[i._node] for i in inputs if i._node in found]


def _leaves(tree):
    return [unbox_all(x) for x in tree_flatten(tree)[0]]


def _off_device(leaves):
    return [type(v).__name__ for v in leaves if not isinstance(v, DeviceArray)]


@pytest.mark.parametrize("spec", CASES)
def test_forward_and_backward_stay_on_the_namespace(spec):
    args = _args(spec)
    want = _leaves(spec.fun(*args))
    RECORDER.calls.clear()
    got, cts = _device_vjp(spec.fun, [to_device(a) for a in args])
    assert not _off_device(got), f"{spec.name}: forward left the device: {_off_device(got)}"
    assert RECORDER.calls or spec.name in IDENTITY, f"{spec.name}: no forward went through xp"
    for g, w in zip(got, want, strict=True):
        np.testing.assert_allclose(np.asarray(g), w, rtol=1e-12, atol=1e-12, err_msg=spec.name)
    assert spec.zero_derivative or cts, f"{spec.name}: no cotangent reached the inputs"
    assert not _off_device(cts), f"{spec.name}: backward left the device: {_off_device(cts)}"
