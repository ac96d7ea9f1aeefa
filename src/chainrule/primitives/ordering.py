"""Element order along axes: flipping, rotating, rolling and sorting.

Records: ``flip`` and ``roll`` (linear, so each VJP is the op undone and each JVP is the
op itself), the zero-derivative ``argsort``, and ``sort``. ``fliplr``/``flipud`` are
flips and ``rot90`` is flips and a transpose.

``sort`` sorts the values themselves (NumPy's time and memory, even when traced). Its
derivative needs the sorting permutation, which only the derivative computes: the VJP
scatters each cotangent back to where its value came from (``unpermute``), the JVP
gathers the tangent in sorted order (``permute``). Those two linear records are each
other's transposes, so derivatives of any order stay a gather or a scatter, never a
sum over repeated indices. With ties any sorting permutation gives a valid subgradient.
"""

from __future__ import annotations

import operator

import numpy as np

from chainrule.core.primitive import defprimitive
from chainrule.primitives._args import normalize_axes, normalize_one_axis
from chainrule.primitives._helpers import deflinear, defzero, ndim_of
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


# The sorting permutation ``perm`` (along ``axis``) is an integer array of the values'
# library, computed from the primal; it is an argument without a derivative.
permute_p = deflinear(
    "permute",
    lambda xp, x, perm, axis: xp.take_along_axis(x, perm, axis=axis),
    lambda g, ans, x, perm, axis: unpermute_p(g, perm, axis=axis),
    nondiff=(1,),
)


def _unpermute_impl(xp, x, perm, axis):
    out = xp.empty_like(x)
    xp.put_along_axis(out, perm, x, axis=axis)
    return out


# unpermute(permute(x)) == x: entry k of x goes back to position perm[k]
unpermute_p = deflinear(
    "unpermute",
    _unpermute_impl,
    lambda g, ans, x, perm, axis: permute_p(g, perm, axis=axis),
    nondiff=(1,),
)


def _sorting_permutation(x, axis, kind):
    """The permutation that sorts the primal ``x`` along ``axis`` (an integer array: a
    constant to derivatives; under ``vmap``, one permutation per example)."""
    return argsort_p(x, axis=axis, kind=kind)


def _sort_vjp(ans, x, axis, kind):
    perm = _sorting_permutation(x, axis, kind)  # computed when the backward pass gets here
    return lambda g: unpermute_p(g, perm, axis=axis)


# d sort(x) = dx gathered in sorted order
sort_p = defprimitive(
    "sort",
    lambda xp, x, axis, kind: xp.sort(x, axis=axis, kind=kind),
    vjp={0: _sort_vjp},
    jvp={
        0: lambda g, ans, x, axis, kind: permute_p(
            g, _sorting_permutation(x, axis, kind), axis=axis
        )
    },
)


def sort(a, axis=-1, kind=None, order=None, *, stable=None):
    """Sorted copy (``numpy.sort``); the gradient goes back to where each entry came
    from."""
    if order is not None:
        raise TypeError("sort: order= (structured arrays) is not supported")
    a = as_operand(a)
    if stable:
        kind = "stable"
    if axis is None:
        a = ravel(a)
        axis = 0
    return sort_p(a, axis=normalize_one_axis(axis, ndim_of(a)), kind=kind)
