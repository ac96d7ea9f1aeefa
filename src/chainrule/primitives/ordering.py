"""Element order along axes: flipping, rotating, rolling and sorting.

Records: ``flip`` and ``roll`` (linear, so each VJP is the op undone and each JVP is the
op itself) and the zero-derivative ``argsort``. ``fliplr``/``flipud``
are flips, ``rot90`` is flips and a transpose, and ``sort`` is a gather by the sorting
permutation (``indexing.take_along_axis``), which routes the gradient back to where each
entry came from.
"""

from __future__ import annotations

import operator

import numpy as np

from chainrule.core.trace import Box, concrete_value
from chainrule.primitives._args import normalize_axes, normalize_one_axis
from chainrule.primitives._helpers import deflinear, defzero, namespace_of, ndim_of
from chainrule.primitives.indexing import take_along_axis
from chainrule.primitives.shape import as_operand, ravel, transpose_p

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
flip_p = deflinear(
    "flip",
    lambda xp, x, axis: xp.flip(x, axis=axis),
    lambda g, ans, x, axis: flip_p(g, axis=axis),
)


def flip(m, axis=None):
    """Reverse the order of elements along the given axes (all when None)."""
    m = as_operand(m)
    nd = ndim_of(m)
    axes = tuple(range(nd)) if axis is None else tuple(sorted(normalize_axes(axis, nd)))
    return flip_p(m, axis=axes)


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
    a0, a1 = normalize_axes(axes, nd) if len(axes) == 2 else (None, None)
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
        return transpose_p(flip(m, axis=a1), axes=tuple(perm))
    return flip(transpose_p(m, axes=tuple(perm)), axis=a1)


def _neg_shift(shift):
    return tuple(-s for s in shift) if isinstance(shift, tuple) else -shift


roll_p = deflinear(
    "roll",
    lambda xp, x, shift, axis: xp.roll(x, shift, axis=axis),
    lambda g, ans, x, shift, axis: roll_p(g, shift=_neg_shift(shift), axis=axis),
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
        axis = (
            normalize_axes(axis, nd)
            if isinstance(axis, tuple | list)
            else normalize_one_axis(axis, nd)
        )
    return roll_p(a, shift=shift, axis=axis)


# -- sorting --------------------------------------------------------------------------------
argsort_p = defzero(
    "argsort", lambda xp, x, axis=-1, kind=None: xp.argsort(x, axis=axis, kind=kind)
)


def argsort(a, axis=-1, kind=None, order=None, *, stable=None):
    """Indices that sort the array (integer-valued: no gradient)."""
    if order is not None:
        raise TypeError("argsort: order= (structured arrays) is not supported")
    a = as_operand(a)
    if stable:
        kind = "stable"
    if axis is None:
        return argsort_p(ravel(a), axis=0, kind=kind)
    return argsort_p(a, axis=normalize_one_axis(axis, ndim_of(a)), kind=kind)


def sort(a, axis=-1, kind=None, order=None, *, stable=None):
    """Sorted copy; the gradient goes back to where each entry came from (a gather by
    the sorting permutation, computed on the values). Untraced values are sorted
    directly, at NumPy's cost."""
    if order is not None:
        raise TypeError("sort: order= (structured arrays) is not supported")
    a = as_operand(a)
    if axis is None:
        a = ravel(a)
        axis = 0
    ax = normalize_one_axis(axis, ndim_of(a))
    if not isinstance(a, Box):  # nothing to differentiate: sort the values themselves
        return namespace_of(a).sort(a, axis=ax, kind=kind)
    perm = np.argsort(np.asarray(concrete_value(a)), axis=ax, kind="stable")
    return take_along_axis(a, perm, axis=ax)
