"""Every public NumPy name resolves in ``chainrule.numpy`` (and its ``linalg``, ``fft``,
``random``), in one of three ways: differentiable, passed through (the result carries
no gradient: integers, booleans, text, nothing), or refused on traced values with an
error naming the function."""

from __future__ import annotations

import types

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp
from chainrule.primitives import passthrough

_SUBMODULES = {"linalg": cnp.linalg, "fft": cnp.fft, "random": cnp.random}


def _public(module):
    return [n for n in dir(module) if not n.startswith("_") and n != "test"]


def _kind(name, ours, theirs):
    if ours is theirs:
        return "numpy's own object"  # types, constants, classes, random draws
    if name in passthrough.CONSTANT:
        return "passed through"
    if name in passthrough.UNDIFFERENTIATED or name in passthrough.IN_PLACE:
        return "refused when traced"
    if callable(ours) or hasattr(ours, "__getitem__"):  # functions; r_ and c_
        return "differentiable"
    return None


@pytest.mark.parametrize("sub", [None, *_SUBMODULES])
def test_every_public_numpy_name_resolves(sub):
    theirs_mod = np if sub is None else getattr(np, sub)
    ours_mod = cnp if sub is None else _SUBMODULES[sub]
    missing, unclassified = [], []
    for name in _public(theirs_mod):
        theirs = getattr(theirs_mod, name)
        if isinstance(theirs, types.ModuleType):
            continue
        if not hasattr(ours_mod, name):
            missing.append(name)
        elif _kind(name, getattr(ours_mod, name), theirs) is None:
            unclassified.append(name)
    assert not missing, f"chainrule.numpy{'.' + sub if sub else ''} lacks {missing}"
    assert not unclassified, unclassified


# constructors from shapes alone: nothing in their arguments can be traced
_SHAPE_ONLY = {"eye", "identity", "ones", "tri"}


def test_differentiable_names_are_not_numpys_functions():
    # a NumPy function re-exported as is would drop the gradient silently
    for name in set(_public(np)) - _SHAPE_ONLY:
        theirs = getattr(np, name)
        if isinstance(theirs, types.FunctionType) and getattr(cnp, name) is theirs:
            pytest.fail(f"chainrule.numpy.{name} is NumPy's own function")


def test_passed_through_names_give_constants_inside_grad():
    def f(x):
        idx = cnp.nonzero(x > 0)[0]
        u = cnp.unique(cnp.round(x))
        close = cnp.isclose(x, 0.5)
        where = cnp.searchsorted(cnp.sort(x), 0.0)
        assert cnp.isrealobj(x) and not cnp.iscomplex(x).any()
        return cnp.sum(x[idx] ** 2) + 0 * len(u) + cnp.sum(close) + where

    x = np.array([-1.0, 0.5, 2.0])
    np.testing.assert_allclose(cr.grad(f)(x), [0.0, 1.0, 4.0])
    with cnp.errstate(divide="ignore"):
        assert cnp.seterr is np.seterr or callable(cnp.seterr)


def test_undifferentiated_names_refuse_traced_values_by_name():
    xp = np.array([0.0, 1.0, 2.0])
    assert cnp.interp(0.5, xp, xp) == 0.5  # plain values: NumPy's function
    with pytest.raises(TypeError, match=r"chainrule\.numpy\.interp"):
        cr.grad(lambda x: cnp.interp(x, xp, xp * 2))(0.5)
    with pytest.raises(TypeError, match=r"chainrule\.numpy\.convolve"):
        cr.grad(lambda x: cnp.sum(cnp.convolve(x, xp)))(xp)


def test_full_and_linspace_keep_the_gradient_of_traced_values():
    np.testing.assert_allclose(cr.grad(lambda v: cnp.sum(cnp.full((2, 3), v)))(1.5), 6.0)
    assert cnp.full((2,), 1.0).tolist() == [1.0, 1.0]
    ends = cr.grad(lambda b: cnp.sum(cnp.linspace(0.0, b, 5)))(2.0)
    np.testing.assert_allclose(ends, np.linspace(0.0, 1.0, 5).sum())
    cr.check_grads(lambda a, b: cnp.linspace(a, b, 4, endpoint=False), (0.5, 2.0))


def test_in_place_names_refuse_traced_values():
    with pytest.raises(TypeError, match=r"chainrule\.numpy\.put .*cnp\.where"):
        cr.grad(lambda x: cnp.put(x, [0], 1.0) or cnp.sum(x))(np.ones(3))
