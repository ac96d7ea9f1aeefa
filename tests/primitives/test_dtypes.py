"""Float32 sweep of the spec table: float32 in, float32 out, in every mode.

Gradients have the input's floating dtype (float32 stays float32). The
top-level ``vjp`` casts its results, which hides a rule that computes in float64; the
forward mode and derivatives of derivatives do not, so those are what this checks: each
spec entry run on float32 arguments must give float32 tangents (JVP) and cotangents
(VJP), and Hessians (forward over reverse) must stay float32 too.
"""

from __future__ import annotations

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp
from chainrule.core.trace import unbox_all
from chainrule.functional.pytree import tree_flatten, tree_map
from tests.primitives.test_sweep import SPECS, _args

_DIFFERENTIABLE = [s for s in SPECS if not s.zero_derivative]


def _f32_args(spec):
    return tuple(
        np.asarray(a, np.float32) if np.asarray(a).dtype == np.float64 else a for a in _args(spec)
    )


def _dtypes(tree):
    return [np.result_type(unbox_all(x)) for x in tree_flatten(tree)[0]]


@pytest.mark.parametrize("spec", _DIFFERENTIABLE, ids=[s.name for s in _DIFFERENTIABLE])
def test_float32_tangents_and_cotangents_stay_float32(spec):
    args = _f32_args(spec)
    out, tangent = cr.jvp(spec.fun, args, tuple(np.ones_like(a) for a in args))
    floating = [
        (w, g) for w, g in zip(_dtypes(out), _dtypes(tangent), strict=True) if w.kind == "f"
    ]
    assert floating, f"{spec.name}: no floating output to check"
    for want, got in floating:
        assert got == want, f"{spec.name}: JVP tangent {got} for a {want} output"
    _, vjp_fn = cr.vjp(spec.fun, *args)
    cts = vjp_fn(tree_map(lambda x: np.ones_like(np.asarray(unbox_all(x))), out))
    assert len(cts) == len(args) > 0
    for a, ct in zip(args, cts, strict=True):
        assert np.result_type(ct) == np.asarray(a).dtype, f"{spec.name}: VJP {np.result_type(ct)}"


# Forward over reverse through the rules that build constants (identity matrices,
# triangle masks, 0/0.5/1 tie weights, log 2): each used to come out float64.
_SECOND_ORDER = [
    s
    for s in _DIFFERENTIABLE
    if s.order >= 2
    and s.name.split("-")[0] in ("maximum", "fmin", "exp2", "log10", "logaddexp2", "imag")
    or s.name.startswith(
        ("linalg-cholesky", "linalg-eigh", "linalg-qr", "linalg-svd", "linalg-pinv")
    )
]


def test_the_second_order_list_finds_its_specs():
    families = {s.name.split("-")[0] for s in _SECOND_ORDER}
    families |= {"-".join(s.name.split("-")[:2]) for s in _SECOND_ORDER}
    for name in ("maximum", "fmin", "exp2", "log10", "logaddexp2", "imag", "linalg-cholesky"):
        assert name in families, f"no float32 Hessian check for {name}"


@pytest.mark.parametrize("spec", _SECOND_ORDER, ids=[s.name for s in _SECOND_ORDER])
def test_float32_hessians_stay_float32(spec):
    args = _f32_args(spec)

    def scalar(x):
        total = 0.0
        for leaf in tree_flatten(spec.fun(x, *args[1:]))[0]:
            total = total + cnp.sum(cnp.sin(leaf))
        return total

    h = cr.hessian(scalar)(args[0])
    assert np.asarray(h).dtype == np.float32, f"{spec.name}: Hessian {np.asarray(h).dtype}"


def test_mixed_precision_tangent_takes_the_output_dtype():
    x32 = np.ones(3, np.float32)
    _, t = cr.jvp(lambda y: x32 + y, (np.ones(3),), (np.ones(3),))
    assert t.dtype == np.float64
    _, t = cr.jvp(lambda x: x + np.ones(3), (x32,), (np.ones(3, np.float32),))
    assert t.dtype == np.float64  # float32 + float64 is float64: so is its tangent
    _, t = cr.jvp(lambda x: cnp.where(x > 0, x, 1.0), (x32,), (x32,))
    assert t.dtype == np.float32
