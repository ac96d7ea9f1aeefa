"""Element order along axes: flipping, rotating, rolling and sorting. Part of the shape
family; built on :mod:`~chainrule.primitives.shape`, which re-exports every name here.

Registered primitives: ``flip`` and ``roll`` (linear, so each VJP is the op undone and
each JVP is the op itself) and the zero-derivative ``argsort``. ``fliplr``/``flipud``
are flips, ``rot90`` is flips and a transpose, and ``sort`` is a gather by the sorting
permutation (``indexing.take_along_axis``), which routes the gradient back to where each
entry came from.
"""

from __future__ import annotations

import operator

import numpy as np

from chainrule.core.trace import unbox_all
from chainrule.primitives._helpers import deflinear, defzero, ndim_of
from chainrule.primitives.shape import _axes, _axis, _transpose, as_operand, ravel

__all__ = [
    "flip",
    "fliplr",
    "flipud",
    "rot90",
    "roll",
    "sort",
    "argsort",
]


# -- flip, rot90, roll ----------------------------------------------------------------------
_flip = deflinear(
    "flip",
    lambda xp, x, axis: xp.flip(x, axis=axis),
    lambda g, ans, x, axis: _flip(g, axis=axis),
)


def flip(m, axis=None):
    """Reverse the order of elements along the given axes (all when None)."""
    m = as_operand(m)
    nd = ndim_of(m)
    axes = tuple(range(nd)) if axis is None else tuple(sorted(_axes(axis, nd)))
    return _flip(m, axis=axes)


def fliplr(m):
    if ndim_of(m) < 2:
        raise ValueError("fliplr: the array must be at least 2-d")
    return flip(m, axis=1)


def flipud(m):
    if ndim_of(m) < 1:
        raise ValueError("flipud: the array must be at least 1-d")
    return flip(m, axis=0)


def rot90(m, k=1, axes=(0, 1)):
    """Rotate by 90 degrees ``k`` times in the plane of ``axes`` (flips and a swap)."""
    m = as_operand(m)
    nd = ndim_of(m)
    a0, a1 = _axes(axes, nd) if len(axes) == 2 else (None, None)
    if a0 is None or a0 == a1:
        raise ValueError(f"rot90: axes must be two different axes, got {axes}")
    k %= 4
    if k == 0:
        return m
    if k == 2:
        return flip(m, axis=(a0, a1))
    perm = list(range(nd))
    perm[a0], perm[a1] = perm[a1], perm[a0]
    if k == 1:
        return _transpose(flip(m, axis=a1), axes=tuple(perm))
    return flip(_transpose(m, axes=tuple(perm)), axis=a1)


def _neg_shift(shift):
    return tuple(-s for s in shift) if isinstance(shift, tuple) else -shift


_roll = deflinear(
    "roll",
    lambda xp, x, shift, axis: xp.roll(x, shift, axis=axis),
    lambda g, ans, x, shift, axis: _roll(g, shift=_neg_shift(shift), axis=axis),
)


def roll(a, shift, axis=None):
    """Roll elements along an axis (of the flattened array when ``axis`` is None)."""
    a = as_operand(a)
    nd = ndim_of(a)
    if isinstance(shift, tuple | list | np.ndarray):
        shift = tuple(int(s) for s in shift)
    else:
        shift = operator.index(shift)
    if axis is not None:
        axis = _axes(axis, nd) if isinstance(axis, tuple | list) else _axis(axis, nd)
    return _roll(a, shift=shift, axis=axis)


# -- sorting --------------------------------------------------------------------------------
_argsort = defzero("argsort", lambda xp, x, axis=-1, kind=None: xp.argsort(x, axis=axis, kind=kind))


def argsort(a, axis=-1, kind=None, order=None, *, stable=None):
    """Indices that sort the array (integer-valued: no gradient)."""
    if order is not None:
        raise TypeError("argsort: order= (structured arrays) is not supported")
    a = as_operand(a)
    if stable:
        kind = "stable"
    if axis is None:
        return _argsort(ravel(a), axis=0, kind=kind)
    return _argsort(a, axis=_axis(axis, ndim_of(a)), kind=kind)


def sort(a, axis=-1, kind=None, order=None, *, stable=None):
    """Sorted copy; the gradient goes back to where each entry came from (a gather by
    the sorting permutation, computed on the values)."""
    from chainrule.primitives import indexing

    if order is not None:
        raise TypeError("sort: order= (structured arrays) is not supported")
    a = as_operand(a)
    if axis is None:
        a = ravel(a)
        axis = 0
    ax = _axis(axis, ndim_of(a))
    perm = np.argsort(np.asarray(unbox_all(a)), axis=ax, kind="stable")
    return indexing.take_along_axis(a, perm, axis=ax)
