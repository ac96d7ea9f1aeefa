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

# Entries that do not yet stay on a non-NumPy namespace, with what takes them off it.
# They are strict expected failures: one that starts passing fails the run, so the
# list can only shrink.
_LINALG = (
    (
        "inv-3x3 inv-batch inv-1x1 cholesky-3x3 cholesky-batch cholesky-upper eigh-values "
        "eigh-vectors-squared eigh-batch-vectors-squared eigh-matrix-exp eigh-batch-matrix-exp "
        "eigvalsh-4x4 eigvalsh-batch qr-sign-free qr-mode-r svd-gauge-free-4x4 svd-gauge-free-5x3 "
        "svd-gauge-free-3x5 svd-batch-gauge-free svd-polar-4x4 svd-polar-tall "
        "svd-s-square-default svd-compute-uv-false svdvals-wide svdvals-batch pinv-rcond "
        "norm-nuc norm-ord2-matrix norm-ordneg2-matrix norm-nuc-axes-keepdims cond "
        "matrix-power-neg2-batch lstsq-x tensorinv tensorsolve"
    ).split()
    + [
        f"solve-{a}-{b}"
        for a, b in (
            ((3, 3), (3,)),
            ((3, 3), (3, 2)),
            ((2, 4, 4), (4,)),
            ((2, 3, 3), (2, 3, 2)),
            ((3, 3), (2, 3, 1)),
            ((2, 1, 3, 3), (4, 3, 2)),
        )
    ]
    + [f"qr-R-{s}" for s in ((3, 3), (5, 3), (2, 4, 3))]
    + [f"pinv-{s}" for s in ((3, 3), (5, 3), (3, 5), (2, 4, 3))]
)
_WINDOWS = [
    f"sliding_windows{t}-{c}"
    for c in ("2x2", "3x3-pad1", "3x2-stride2-asympad", "2x3-dilated", "1d-stride3")
    for t in ("", "_transpose")
] + ["sliding_windows-maxpool-neg-inf-pad", "sliding_window_view-axes"]
_SPECIAL_0D = "erf erfc erfinv gammaln digamma expit logit".split() + [
    "xlogy-()-()",
    "xlog1py-()-()",
]
_LOGSUMEXP = ["(4,)-", "(3, 4)-", "()-", "b-(4,)-(4,)", "b-(3, 1)-(1, 4)", "return_sign"]
NOT_YET = {
    **{f"linalg-{n}": "rules still call numpy.linalg or NumPy on values" for n in _LINALG},
    **{n: "windows are made with numpy.lib.stride_tricks.as_strided" for n in _WINDOWS},
    **{
        f"cross-{n}": "the Levi-Civita constant is a NumPy array"
        for n in ("3", "batched-broadcast", "axis0", "axisc", "2d")
    },
    **{
        f"{n}-()" if "-" not in n else n: "a 0-d result comes back as a NumPy scalar"
        for n in _SPECIAL_0D
    },
    **{f"logsumexp-{n}": "a full reduction comes back as a NumPy scalar" for n in _LOGSUMEXP},
    "getitem-int": "an integer index returns a NumPy scalar, not a device array",
    "getitem-int-pair": "an integer index returns a NumPy scalar, not a device array",
    "index_update-values-only": "the values' cotangent is gathered with NumPy",
    "nan_to_num-with-nonfinite": "its replacement values are NumPy constants",
    "sum-where": "the where= mask is converted with numpy.asarray",
    "concatenate-constant": "a NumPy operand meets device operands",
    "diff-prepend": "the prepended value is a NumPy array",
    **{
        n: "the FFT rules build their padding and weights with NumPy"
        for n in ("fft2-cut-ortho", "rfft-n-pad", "rfft2-cut")
    },
    **{
        f"convolve-{n}": "the forward is SciPy's, which runs on NumPy arrays"
        for n in ("full-1d", "valid-2d", "same-2d")
    },
}
# forwards that are the identity call no function at all
IDENTITY = {"stop_gradient"}


def _marks(spec):
    reason = NOT_YET.get(spec.name)
    return [pytest.mark.xfail(reason=reason, strict=True)] if reason else []


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
