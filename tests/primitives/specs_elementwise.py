"""Sweep entries for the elementwise family (see ``_spec.py``)."""

import numpy as np

import chainrule as cr
import chainrule.numpy as cnp
from tests.primitives._spec import Arg, OpSpec

S, V, M = (), (4,), (3, 4)
POS = {"low": 0.5, "high": 2.0}
UNIT = {"low": -0.9, "high": 0.9}

SPECS = []


def _unary(name, domain=None, shapes=(S, V, M), ref_name=None, covers=None, **kw):
    domain = domain or {}
    fn = getattr(cnp, name)
    ref = getattr(np, ref_name or name)
    for shape in shapes:
        SPECS.append(
            OpSpec(
                f"{name}-{shape}",
                fn,
                [Arg(shape, **domain)],
                ref=ref,
                covers=covers or (name,),
                **kw,
            )
        )


def _binary(name, dx=None, dy=None, pairs=((S, S), (V, V), (M, V), (S, M), ((3, 1), (1, 4))), **kw):
    fn = getattr(cnp, name)
    ref = getattr(np, name)
    for sx, sy in pairs:
        SPECS.append(
            OpSpec(
                f"{name}-{sx}-{sy}",
                fn,
                [Arg(sx, **(dx or {})), Arg(sy, **(dy or {}))],
                ref=ref,
                covers=(name,),
                **kw,
            )
        )


for _name in ("add", "subtract", "multiply", "maximum", "minimum", "fmax", "fmin", "logaddexp",
              "logaddexp2", "hypot"):  # fmt: skip
    _binary(_name)
_binary("divide", dy=POS)
_binary("power", dx=POS)
_binary("float_power", dx=POS)
_binary("arctan2", dy=POS)
_binary("mod", dx=POS, dy={"low": 0.7, "high": 0.9})
_binary("fmod", dx=POS, dy={"low": 0.7, "high": 0.9})

for _name in ("negative", "positive", "square", "exp", "exp2", "expm1", "sin", "cos", "arctan",
              "sinh", "cosh", "tanh", "arcsinh", "deg2rad", "rad2deg", "sinc", "real",
              "conj"):  # fmt: skip
    _unary(_name)
_unary("absolute", {"low": 0.2, "high": 2.0})
_unary("absolute", {"low": -2.0, "high": -0.2})
for _name in ("sqrt", "cbrt", "log", "log2", "log10", "log1p", "reciprocal"):
    _unary(_name, POS)
_unary("tan", UNIT)
_unary("arcsin", UNIT)
_unary("arccos", UNIT)
_unary("arctanh", UNIT)
_unary("arccosh", {"low": 1.2, "high": 3.0})
_unary("imag", shapes=(V,), modes=("rev",))

SPECS += [
    OpSpec(
        "where-mask",
        lambda x, y: cnp.where(x > 0.1, x, y),
        [Arg(M), Arg(V)],
        ref=lambda x, y: np.where(x > 0.1, x, y),
        covers=("where", "greater"),
    ),
    OpSpec(
        "where-scalar-branch",
        lambda x: cnp.where(x > 0, x * x, 0.0),
        [Arg(V)],
        ref=lambda x: np.where(x > 0, x * x, 0.0),
        covers=("where", "greater"),
    ),
    OpSpec(
        "clip-both",
        lambda x: cnp.clip(x, -0.5, 0.7),
        [Arg(M)],
        ref=lambda x: np.clip(x, -0.5, 0.7),
        covers=("clip",),
    ),
    OpSpec(
        "clip-bounds-traced",
        lambda x, lo, hi: cnp.clip(x, lo, hi),
        [Arg(V), Arg(V, -3.0, -2.5), Arg(V, 2.5, 3.0)],
        ref=np.clip,
        covers=("clip",),
    ),
    OpSpec(
        "clip-lower-only",
        lambda x: cnp.clip(x, 0.3, None),
        [Arg(V)],
        ref=lambda x: np.clip(x, 0.3, None),
        covers=("clip",),
    ),
    OpSpec("astype-float64", lambda x: cnp.astype(x, np.float64) * x, [Arg(M)], covers=("astype",)),
    OpSpec(
        "stop_gradient",
        lambda x: cr.stop_gradient(x) * 2.0,
        [Arg(V)],
        ref=lambda x: x * 2.0,
        covers=("stop_gradient",),
        zero_derivative=True,
    ),
    OpSpec(
        "safe_mul",
        lambda g, d: cnp.sqrt(d) * g,
        [Arg(V), Arg(V, **POS)],
        covers=("safe_mul", "sqrt"),
    ),
    OpSpec("tuple_getitem", lambda x: cnp.exp(x), [Arg(V)], covers=("tuple_getitem",)),
]

# Zero-derivative ops: forward against NumPy, derivative exactly zero.
for _name in ("sign", "floor", "ceil", "rint", "trunc", "fix", "round", "isnan", "isinf",
              "isfinite", "signbit", "logical_not"):  # fmt: skip
    SPECS.append(
        OpSpec(
            f"{_name}-zero",
            lambda x, f=getattr(cnp, _name): cnp.astype(f(x), float) + 0 * x,
            [Arg(M)],
            ref=lambda x, f=getattr(np, _name): f(x).astype(float),
            covers=(_name, "astype"),
            zero_derivative=False,
        )
    )
for _name in ("greater", "greater_equal", "less", "less_equal", "equal", "not_equal",
              "logical_and", "logical_or", "logical_xor", "floor_divide"):  # fmt: skip
    SPECS.append(
        OpSpec(
            f"{_name}-zero",
            lambda x, y, f=getattr(cnp, _name): cnp.astype(f(x, y), float) + 0 * x,
            [Arg(M, 0.5, 2.0), Arg(V, 0.5, 2.0)],
            ref=lambda x, y, f=getattr(np, _name): f(x, y).astype(float) + 0 * x,
            covers=(_name, "astype"),
        )
    )
SPECS.append(
    OpSpec(
        "floor-pure-zero",
        cnp.floor,
        [Arg(M)],
        ref=np.floor,
        covers=("floor",),
        zero_derivative=True,
    )
)

SPECS += [
    OpSpec(
        "nan_to_num-finite", cnp.nan_to_num, [Arg(M)], ref=np.nan_to_num, covers=("nan_to_num",)
    ),
    OpSpec(
        "nan_to_num-with-nonfinite",
        lambda x: cnp.nan_to_num(x + np.array([0.0, np.nan, np.inf, -np.inf]), posinf=9.0),
        [Arg(V)],
        ref=lambda x: np.nan_to_num(x + np.array([0.0, np.nan, np.inf, -np.inf]), posinf=9.0),
        covers=("nan_to_num", "add"),
    ),
    OpSpec(
        "angle-real-and-complex",
        lambda x: cnp.angle(x * (1 + 0.5j)) * x,
        [Arg(V, 0.5, 2.0)],
        ref=lambda x: np.angle(x * (1 + 0.5j)) * x,
        covers=("imag", "real", "arctan2"),
        modes=("rev",),
    ),
]
