"""Sweep entries for the reductions family (see ``_spec.py``)."""

import numpy as np

import chainrule.numpy as cnp
from tests.primitives._spec import Arg, OpSpec

S, V, M, T = (), (4,), (3, 4), (2, 3, 4)
POS = {"low": 0.5, "high": 2.0}


def _with_zeros(shape, where):
    """Draw uniformly in [-2, 2] and set the entries at ``where`` to exactly 0."""

    def draw(rng):
        x = rng.uniform(-2.0, 2.0, size=shape)
        x[where] = 0.0
        return x

    return Arg(shape, draw=draw)


def _call(f, kw, positive=False):
    """``x -> f(x, **kw)`` (of ``x > 0`` with ``positive``)."""
    if positive:
        return lambda x: f(x > 0, **kw)
    return lambda x: f(x, **kw)


SPECS = []

# Plain reductions: every axis form, with and without keepdims.
_AXES = [
    (S, {}),
    (V, {}),
    (V, {"axis": 0}),
    (V, {"axis": -1, "keepdims": True}),
    (M, {}),
    (M, {"axis": 0}),
    (M, {"axis": 1}),
    (M, {"axis": -1, "keepdims": True}),
    (M, {"axis": (0, 1)}),
    (M, {"keepdims": True}),
    (T, {"axis": (0, 2)}),
    (T, {"axis": (-1, 0), "keepdims": True}),
]
for _name, _covers in (
    ("sum", ("sum",)),
    ("mean", ("sum", "divide")),
    ("max", ("max",)),
    ("min", ("min",)),
    ("ptp", ("max", "min", "subtract")),
):
    for _shape, _kw in _AXES:
        SPECS.append(
            OpSpec(
                f"{_name}-{_shape}-{_kw}",
                _call(getattr(cnp, _name), _kw),
                [Arg(_shape)],
                ref=_call(getattr(np, _name), _kw),
                covers=_covers,
            )
        )

for _shape, _kw in _AXES:
    SPECS.append(
        OpSpec(
            f"prod-{_shape}-{_kw}",
            lambda x, kw=_kw: cnp.prod(x, **kw),
            [Arg(_shape, **POS)],
            ref=lambda x, kw=_kw: np.prod(x, **kw),
            covers=("prod",),
        )
    )

SPECS += [
    OpSpec(
        "sum-initial",
        lambda x: cnp.sum(x, axis=0, initial=1.5),
        [Arg(M)],
        ref=lambda x: np.sum(x, axis=0, initial=1.5),
        covers=("sum", "add"),
    ),
    OpSpec(
        "sum-where",
        lambda x: cnp.sum(x, where=np.array([True, False, True, True])),
        [Arg(M)],
        ref=lambda x: np.sum(x, where=np.array([True, False, True, True])),
        covers=("sum", "where"),
    ),
    OpSpec(
        "amax-alias",
        lambda x: cnp.amax(x, axis=1),
        [Arg(M)],
        ref=lambda x: np.amax(x, axis=1),
        covers=("max",),
    ),
    OpSpec(
        "amin-alias",
        lambda x: cnp.amin(x, axis=0),
        [Arg(M)],
        ref=lambda x: np.amin(x, axis=0),
        covers=("min",),
    ),
    # prod with zeros: the rules must not divide by x (one zero, and two in one row)
    OpSpec(
        "prod-one-zero",
        lambda x: cnp.prod(x),
        [_with_zeros(V, 2)],
        ref=np.prod,
        covers=("prod", "where", "reshape", "transpose"),
    ),
    OpSpec(
        "prod-zeros-axis1",
        lambda x: cnp.prod(x, axis=1),
        [_with_zeros(M, ([0, 1, 1], [2, 0, 3]))],
        ref=lambda x: np.prod(x, axis=1),
        covers=("prod", "where", "reshape", "transpose"),
    ),
    OpSpec(
        "prod-zeros-axis0-keepdims",
        lambda x: cnp.prod(x, axis=0, keepdims=True),
        [_with_zeros(M, (1, 1))],
        ref=lambda x: np.prod(x, axis=0, keepdims=True),
        covers=("prod",),
    ),
    OpSpec(
        "prod-mixed-sign",
        lambda x: cnp.prod(x, axis=-1),
        [Arg(M)],
        ref=lambda x: np.prod(x, axis=-1),
        covers=("prod",),
    ),
    # cumulative ops
    OpSpec(
        "cumsum-flat",
        lambda x: cnp.cumsum(x),
        [Arg(M)],
        ref=np.cumsum,
        covers=("cumsum", "flip", "reshape"),
    ),
    OpSpec("cumsum-scalar", lambda x: cnp.cumsum(x), [Arg(S)], ref=np.cumsum, covers=("cumsum",)),
    OpSpec(
        "cumsum-vector",
        lambda x: cnp.cumsum(x, axis=0),
        [Arg(V)],
        ref=lambda x: np.cumsum(x, axis=0),
        covers=("cumsum",),
    ),
    OpSpec(
        "cumsum-axis1",
        lambda x: cnp.cumsum(x, axis=1),
        [Arg(M)],
        ref=lambda x: np.cumsum(x, axis=1),
        covers=("cumsum",),
    ),
    OpSpec(
        "cumsum-axis-neg3",
        lambda x: cnp.cumsum(x, axis=-3),
        [Arg(T)],
        ref=lambda x: np.cumsum(x, axis=-3),
        covers=("cumsum",),
    ),
    OpSpec(
        "cumprod-vector", lambda x: cnp.cumprod(x), [Arg(V)], ref=np.cumprod, covers=("cumprod",)
    ),
    OpSpec(
        "cumprod-axis0",
        lambda x: cnp.cumprod(x, axis=0),
        [Arg(M)],
        ref=lambda x: np.cumprod(x, axis=0),
        covers=("cumprod",),
    ),
    OpSpec(
        "cumprod-axis-1",
        lambda x: cnp.cumprod(x, axis=-1),
        [Arg(T)],
        ref=lambda x: np.cumprod(x, axis=-1),
        covers=("cumprod",),
    ),
    OpSpec(
        "cumprod-zero",
        lambda x: cnp.cumprod(x),
        [_with_zeros((5,), 1)],
        ref=np.cumprod,
        covers=("cumprod", "where", "transpose"),
    ),
    OpSpec(
        "cumprod-zeros-axis1",
        lambda x: cnp.cumprod(x, axis=1),
        [_with_zeros(M, ([0, 2, 2], [0, 1, 3]))],
        ref=lambda x: np.cumprod(x, axis=1),
        covers=("cumprod", "where", "transpose"),
    ),
    # statistics built from sums
    OpSpec(
        "var-flat",
        lambda x: cnp.var(x),
        [Arg(M)],
        ref=np.var,
        covers=("sum", "square", "subtract", "divide"),
    ),
    OpSpec(
        "var-axis0-ddof1",
        lambda x: cnp.var(x, axis=0, ddof=1),
        [Arg(M)],
        ref=lambda x: np.var(x, axis=0, ddof=1),
        covers=("sum",),
    ),
    OpSpec(
        "var-axis-1-keepdims",
        lambda x: cnp.var(x, axis=-1, keepdims=True),
        [Arg(T)],
        ref=lambda x: np.var(x, axis=-1, keepdims=True),
        covers=("sum",),
    ),
    OpSpec("std-vector", lambda x: cnp.std(x), [Arg(V)], ref=np.std, covers=("sqrt", "where")),
    OpSpec(
        "std-axis1-ddof1",
        lambda x: cnp.std(x, axis=1, ddof=1),
        [Arg(M)],
        ref=lambda x: np.std(x, axis=1, ddof=1),
        covers=("sqrt", "where"),
    ),
    OpSpec(
        "std-tuple-axis",
        lambda x: cnp.std(x, axis=(0, 2), keepdims=True),
        [Arg(T)],
        ref=lambda x: np.std(x, axis=(0, 2), keepdims=True),
        covers=("sqrt",),
    ),
    OpSpec(
        "average-plain",
        lambda x: cnp.average(x, axis=1),
        [Arg(M)],
        ref=lambda x: np.average(x, axis=1),
        covers=("sum", "divide"),
    ),
    OpSpec(
        "average-weights-same-shape",
        lambda x, w: cnp.average(x, weights=w),
        [Arg(M), Arg(M, **POS)],
        ref=lambda x, w: np.average(x, weights=w),
        covers=("sum", "multiply", "divide"),
    ),
    OpSpec(
        "average-weights-1d-axis1",
        lambda x, w: cnp.average(x, axis=1, weights=w),
        [Arg(M), Arg(V, **POS)],
        ref=lambda x, w: np.average(x, axis=1, weights=w),
        covers=("sum", "broadcast_to", "reshape"),
    ),
    OpSpec(
        "average-weights-1d-axis0-keepdims",
        lambda x, w: cnp.average(x, axis=0, weights=w, keepdims=True),
        [Arg(M), Arg((3,), **POS)],
        ref=lambda x, w: np.average(x, axis=0, weights=w, keepdims=True),
        covers=("sum",),
    ),
    OpSpec(
        "average-returned",
        lambda x, w: cnp.average(x, axis=1, weights=w, returned=True),
        [Arg(M), Arg(V, **POS)],
        ref=lambda x, w: np.average(x, axis=1, weights=w, returned=True),
        covers=("sum",),
    ),
    OpSpec(
        "nansum",
        lambda x: cnp.nansum(x, axis=0),
        [Arg(M)],
        ref=lambda x: np.nansum(x, axis=0),
        covers=("sum", "isnan", "where"),
    ),
    OpSpec(
        "nanmean",
        lambda x: cnp.nanmean(x, axis=1),
        [Arg(M)],
        ref=lambda x: np.nanmean(x, axis=1),
        covers=("sum", "isnan", "where"),
    ),
    OpSpec(
        "mean-dtype",
        lambda x: cnp.mean(x, axis=0, dtype=np.float64),
        [Arg(M)],
        ref=lambda x: np.mean(x, axis=0, dtype=np.float64),
        covers=("sum", "astype"),
    ),
]

# Integer- and boolean-valued reductions: forward against NumPy, derivative exactly 0.
for _name, _kw in (
    ("argmax", {}),
    ("argmax", {"axis": 1}),
    ("argmax", {"axis": 0, "keepdims": True}),
    ("argmin", {}),
    ("argmin", {"axis": -1}),
    ("count_nonzero", {}),
    ("count_nonzero", {"axis": 0}),
):
    SPECS.append(
        OpSpec(
            f"{_name}-{_kw}",
            _call(getattr(cnp, _name), _kw),
            [Arg(M)],
            ref=_call(getattr(np, _name), _kw),
            covers=(_name,),
            zero_derivative=True,
        )
    )
for _name, _kw in (("all", {}), ("all", {"axis": 1}), ("any", {}), ("any", {"axis": 0})):
    SPECS.append(
        OpSpec(
            f"{_name}-{_kw}",
            _call(getattr(cnp, _name), _kw, positive=True),
            [Arg(M)],
            ref=_call(getattr(np, _name), _kw, positive=True),
            covers=(_name, "greater"),
            zero_derivative=True,
        )
    )
