"""Sweep entries for ``chainrule.scipy.special``.

The references use NumPy and ``math`` only, so the sweep runs without SciPy. Functions
with no such reference (digamma, polygamma, erfinv) are checked here through their
derivatives only; ``test_special.py`` compares every forward with SciPy on many
points (skipped when SciPy is not installed).
"""

import math

import numpy as np

import chainrule.scipy.special as csp
from tests.primitives._spec import Arg, OpSpec

SPECS = []
S, V, M = (), (4,), (3, 4)

_erf = np.vectorize(math.erf, otypes=[float])
_erfc = np.vectorize(math.erfc, otypes=[float])
_lgamma = np.vectorize(math.lgamma, otypes=[float])


def _unary(name, fun, ref, domain, shapes=(S, V, M), covers=None, **kw):
    for shape in shapes:
        SPECS.append(
            OpSpec(
                f"{name}-{shape}",
                fun,
                [Arg(shape, *domain)],
                ref=ref,
                covers=covers or (name,),
                **kw,
            )  # fmt: skip
        )


def _expit_ref(x):
    return 1.0 / (1.0 + np.exp(-x))


_unary("erf", csp.erf, _erf, (-3.0, 3.0))
_unary("erfc", csp.erfc, _erfc, (-3.0, 3.0))
_unary("erfinv", csp.erfinv, None, (-0.9, 0.9))
SPECS.append(OpSpec("erfinv-roundtrip", lambda x: csp.erf(csp.erfinv(x)), [Arg(V, -0.95, 0.95)],
                    ref=lambda x: x, covers=("erf", "erfinv")))  # fmt: skip
_unary("gammaln", csp.gammaln, _lgamma, (0.3, 6.0))
_unary("gammaln-negative", csp.gammaln, _lgamma, (-2.9, -2.1), shapes=(V,), covers=("gammaln",))
_unary("digamma", csp.digamma, None, (0.3, 6.0), shapes=(S, V))
_unary("psi", csp.psi, None, (0.5, 3.0), shapes=((2, 2),), covers=("digamma",))
_unary("digamma-negative", csp.digamma, None, (-1.9, -1.1), shapes=(V,), covers=("digamma",))
for _n in (1, 2, 3):
    SPECS.append(
        OpSpec(
            f"polygamma-{_n}",
            lambda x, _n=_n: csp.polygamma(_n, x),
            [Arg(V, 0.3, 6.0)],
            ref=None,
            covers=("polygamma",),
        )
    )
SPECS.append(OpSpec("polygamma-0", lambda x: csp.polygamma(0, x), [Arg(V, 0.5, 4.0)],
                    ref=None, covers=("digamma",)))  # fmt: skip
SPECS.append(OpSpec("polygamma-1-negative", lambda x: csp.polygamma(1, x), [Arg(V, -2.8, -2.2)],
                    covers=("polygamma",)))  # fmt: skip
_unary("expit", csp.expit, _expit_ref, (-6.0, 6.0))
_unary("logit", csp.logit, lambda p: np.log(p / (1 - p)), (0.05, 0.95))
_unary("ndtr", csp.ndtr, lambda x: 0.5 * _erfc(-x / np.sqrt(2)), (-3.0, 3.0), shapes=(V,),
       covers=("erfc",))  # fmt: skip
_unary("log_expit", csp.log_expit, lambda x: -np.logaddexp(0, -x), (-6.0, 6.0), shapes=(V,),
       covers=("logaddexp",))  # fmt: skip

for _sx, _sy in [(S, S), (V, V), (M, V), ((3, 1), (1, 4))]:
    SPECS.append(OpSpec(f"xlogy-{_sx}-{_sy}", csp.xlogy, [Arg(_sx), Arg(_sy, 0.3, 3.0)],
                        ref=lambda x, y: x * np.log(y), covers=("xlogy",)))  # fmt: skip
    SPECS.append(OpSpec(f"xlog1py-{_sx}-{_sy}", csp.xlog1py, [Arg(_sx), Arg(_sy, -0.7, 3.0)],
                        ref=lambda x, y: x * np.log1p(y), covers=("xlog1py",)))  # fmt: skip


# -- logsumexp / softmax / log_softmax -----------------------------------------------------------
def _lse_ref(a, axis=None, b=None, keepdims=False):
    a = np.asarray(a)
    e = np.exp(a) if b is None else b * np.exp(a)
    return np.log(np.sum(e, axis=axis, keepdims=keepdims))


for _shape, _kw in [
    (V, {}),
    (M, {}),
    (M, {"axis": 0}),
    (M, {"axis": -1}),
    (M, {"axis": 1, "keepdims": True}),
    (M, {"keepdims": True}),
    ((2, 3, 4), {"axis": (0, 2)}),
    (S, {}),
]:
    _tag = "-".join(f"{k}{v}" for k, v in _kw.items())
    SPECS.append(
        OpSpec(
            f"logsumexp-{_shape}-{_tag}",
            lambda a, _kw=_kw: csp.logsumexp(a, **_kw),
            [Arg(_shape, -3.0, 3.0)],
            ref=lambda a, _kw=_kw: _lse_ref(a, **_kw),
            covers=("logsumexp",),
        )
    )
for _sa, _sb, _kw in [(V, V, {}), (M, M, {"axis": 1}), (M, V, {"axis": 0}), ((3, 1), (1, 4), {})]:
    SPECS.append(
        OpSpec(
            f"logsumexp-b-{_sa}-{_sb}",
            lambda a, b, _kw=_kw: csp.logsumexp(a, b=b, **_kw),
            [Arg(_sa, -3.0, 3.0), Arg(_sb, 0.2, 2.0)],
            ref=lambda a, b, _kw=_kw: _lse_ref(a, b=b, **_kw),
            covers=("logsumexp",),
        )
    )
SPECS.append(
    OpSpec(
        "logsumexp-return_sign",
        lambda a, b: csp.logsumexp(a, b=b, axis=0, return_sign=True)[0],
        [Arg(V, -3.0, 3.0), Arg(V, -2.0, -0.2)],
        ref=lambda a, b: np.log(np.abs(np.sum(b * np.exp(a), axis=0))),
        covers=("logsumexp",),
    )
)


def _softmax_ref(x, axis=None):
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


for _shape, _axis in [(V, None), (V, 0), (M, None), (M, 0), (M, -1), ((2, 3, 4), (0, 2))]:
    SPECS.append(
        OpSpec(
            f"softmax-{_shape}-axis{_axis}",
            lambda x, _axis=_axis: csp.softmax(x, axis=_axis),
            [Arg(_shape, -3.0, 3.0)],
            ref=lambda x, _axis=_axis: _softmax_ref(x, _axis),
            covers=("softmax",),
        )
    )
    SPECS.append(
        OpSpec(
            f"log_softmax-{_shape}-axis{_axis}",
            lambda x, _axis=_axis: csp.log_softmax(x, axis=_axis),
            [Arg(_shape, -3.0, 3.0)],
            ref=lambda x, _axis=_axis: np.log(_softmax_ref(x, _axis)),
            covers=("log_softmax",),
        )
    )
