"""The promised coverage list: every name exists in ``chainrule.numpy`` (``.linalg``,
``chainrule.scipy.special``) and takes NumPy's (SciPy's) parameters, so calls written
for NumPy, keywords included, work unchanged."""

from __future__ import annotations

import inspect

import numpy as np
import pytest

import chainrule.numpy as cnp
import chainrule.scipy.special as csp

COVERAGE = """add subtract multiply divide true_divide power negative positive abs sign
sqrt cbrt square reciprocal exp exp2 expm1 log log2 log10 log1p sin cos tan arcsin
arccos arctan arctan2 sinh cosh tanh arcsinh arccosh arctanh hypot logaddexp logaddexp2
maximum minimum fmax fmin clip where floor ceil round rint trunc mod fmod
deg2rad rad2deg sinc sum mean prod max min amax amin var std cumsum
cumprod average ptp dot vdot matmul inner outer tensordot einsum trace
diag diagonal triu tril kron reshape ravel transpose swapaxes moveaxis expand_dims squeeze
broadcast_to atleast_1d atleast_2d concatenate stack vstack hstack split array_split
tile repeat flip roll pad take take_along_axis sort""".split()
LINALG = "norm inv solve det slogdet cholesky eigh qr svd pinv matrix_power".split()
SPECIAL = "logsumexp expit logit erf gammaln softmax log_softmax".split()
# NumPy's non-ufunc extras that chainrule.numpy also exports
EXTRAS = "around fix real imag nan_to_num astype nansum nanmean diff meshgrid".split()

_POSITIONAL = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)


def _check_signature(ours, ref, name):
    if isinstance(ref, np.ufunc):
        # the inputs only: a ufunc's out=/where=/dtype= are not supported (they raise a
        # TypeError naming the function, see test_elementwise)
        got = inspect.signature(ours).parameters.values()
        variadic = any(p.kind is inspect.Parameter.VAR_POSITIONAL for p in got)
        assert variadic or len([p for p in got if p.kind in _POSITIONAL]) >= ref.nin, name
        return
    try:
        want = inspect.signature(ref)
    except (TypeError, ValueError):  # a builtin without a signature
        assert callable(ours), name
        return
    got = inspect.signature(ours).parameters
    got_positional = [p for p in got.values() if p.kind in _POSITIONAL]
    for i, p in enumerate(q for q in want.parameters.values() if q.kind in _POSITIONAL):
        assert i < len(got_positional), f"{name}: missing positional parameter {p.name!r}"
        if p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD:
            assert got_positional[i].name == p.name, (
                f"{name}: parameter {i} is {got_positional[i].name!r}, NumPy's is {p.name!r}"
            )
    for p in want.parameters.values():
        if p.kind is inspect.Parameter.KEYWORD_ONLY:
            assert p.name in got, f"{name}: missing keyword parameter {p.name!r}"
    if any(p.kind is inspect.Parameter.VAR_POSITIONAL for p in want.parameters.values()):
        assert any(p.kind is inspect.Parameter.VAR_POSITIONAL for p in got.values()), name


@pytest.mark.parametrize("name", COVERAGE + EXTRAS)
def test_numpy_names_take_numpys_parameters(name):
    _check_signature(getattr(cnp, name), getattr(np, name), name)


@pytest.mark.parametrize("name", LINALG)
def test_linalg_names_take_numpys_parameters(name):
    _check_signature(getattr(cnp.linalg, name), getattr(np.linalg, name), f"linalg.{name}")


@pytest.mark.parametrize("name", SPECIAL)
def test_special_names_exist(name):
    scipy_special = pytest.importorskip("scipy.special")
    _check_signature(getattr(csp, name), getattr(scipy_special, name), f"special.{name}")


def test_keyword_calls_written_for_numpy_work():
    x = np.array([[-1.5, 0.25], [2.0, 3.75]])
    for call in (
        lambda m: m.round(a=x, decimals=1),
        lambda m: m.sinc(x=x),
        lambda m: m.real(val=x),
        lambda m: m.nan_to_num(x=x, copy=True, nan=0.0),
        lambda m: m.clip(x, a_min=0.0, a_max=1.0),
        lambda m: m.fix(x, out=None),
        lambda m: m.astype(x, np.float32),
    ):
        got, want = call(cnp), call(np)
        assert np.asarray(got).dtype == np.asarray(want).dtype
        np.testing.assert_array_equal(got, want)
