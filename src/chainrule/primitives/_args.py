"""Argument handling that every family's public functions share: axes, ``out=``, the
shape bookkeeping of reductions, and the test for traced values in a nested list.

Nothing here is differentiable or records anything; it works on static arguments and
on plain values (boxes are looked through with ``unbox_all``).
"""

from __future__ import annotations

import operator

import numpy as np

from chainrule.core.backend import array_namespace, is_foreign_array
from chainrule.core.trace import Box, concrete_read, concrete_value

# The default of a parameter whose ``None`` means something (``clip``'s bounds, ...).
MISSING = object()


def reject_out(name: str, out) -> None:
    """NumPy's ``out=``: only ``None`` is accepted (a result is always a new array)."""
    if out is not None:
        raise TypeError(
            f"chainrule.numpy.{name}: out= is not supported (arrays are immutable under "
            "differentiation); use the returned value"
        )


def contains_box(seq) -> bool:
    """Whether a (nested) list or tuple holds a traced value."""
    for item in seq:
        if isinstance(item, Box):
            return True
        if isinstance(item, list | tuple) and contains_box(item):
            return True
    return False


def as_array(x, floating=False):
    """Plain inputs (lists, scalars) become arrays, of a floating dtype if ``floating``
    (integers and booleans as float64); traced values and arrays of other libraries
    (CuPy, ...: anything with ``__array_namespace__`` but not NumPy's) pass through."""
    if isinstance(x, Box) or is_foreign_array(x):
        return x
    x = np.asarray(x)
    return x.astype(np.float64) if floating and x.dtype.kind not in "fc" else x


def plain_value(x):
    """The value under any boxes, with the namespace of its library: ``(xp, value)``,
    for host-side tests of values (masks, zero checks) that stay on the device. (A
    program being staged by ``jit`` records a guard on the value.)"""
    value = concrete_value(x)
    xp = array_namespace((value,))
    return xp, xp.asarray(value)


# Decisions in Python on values go through concrete_read, so that a staged program
# recomputes them when it is replayed (see chainrule.core.trace.concrete_read).
def _any(v) -> bool:
    xp = array_namespace((v,))
    return bool(xp.any(xp.asarray(v)))


def _all(v) -> bool:
    xp = array_namespace((v,))
    return bool(xp.all(xp.asarray(v)))


def _has_zero(v) -> bool:
    xp = array_namespace((v,))
    return bool(xp.any(xp.asarray(v) == 0))


def _inf_minus_inf(xv, yv):
    xp = array_namespace((xv, yv))
    with np.errstate(invalid="ignore"):
        return xp.isnan(xp.subtract(xv, yv)) & xp.isinf(xv)


def any_true(x) -> bool:
    """Whether any entry of the (possibly traced) value ``x`` is true, as a Python bool."""
    return concrete_read(_any, x)


def all_true(x) -> bool:
    """Whether every entry of the (possibly traced) value ``x`` is true."""
    return concrete_read(_all, x)


def has_zero(x) -> bool:
    return concrete_read(_has_zero, x)


def inf_minus_inf(x, y):
    """Where ``x - y`` is NaN although ``x`` is infinite (inf - inf, or a NaN ``y``): a
    plain mask, computed without a traced subtraction or a floating-point warning, so
    that a rule can route those entries around the subtraction."""
    return concrete_read(_inf_minus_inf, x, y)


# -- axes -------------------------------------------------------------------------------------
def normalize_one_axis(axis, ndim: int) -> int:
    """One axis as a non-negative int (NumPy's AxisError when out of range)."""
    a = operator.index(axis)
    if not -ndim <= a < ndim:
        raise np.exceptions.AxisError(a, ndim)
    return a % ndim


def normalize_axes(axis, ndim: int) -> tuple:
    """An int or a sequence of ints as a tuple of non-negative axes, in the given order."""
    axes = tuple(axis) if isinstance(axis, tuple | list) else (axis,)
    out = tuple(normalize_one_axis(a, ndim) for a in axes)
    if len(set(out)) != len(out):
        raise ValueError(f"duplicate value in 'axis': {axis!r}")
    return out


def normalize_axis(axis, ndim: int) -> tuple | None:
    """A reduction's ``axis``: ``None``, or a sorted tuple of non-negative axes."""
    return None if axis is None else tuple(sorted(normalize_axes(axis, ndim)))


def scalar_axis(axis, ndim: int):
    """NumPy's ufunc reductions (``sum``, ``max``, ``any``, ...) accept ``axis=0`` or
    ``axis=-1`` on a 0-d array, reducing nothing: that is ``axis=None`` there."""
    if ndim == 0 and axis is not None and not isinstance(axis, tuple | list):
        if operator.index(axis) in (0, -1):
            return None
    return axis


def ufunc_reduction_axis(axis, ndim: int) -> tuple | None:
    """The ``axis`` of a ufunc reduction, normalised (see :func:`scalar_axis`)."""
    return normalize_axis(scalar_axis(axis, ndim), ndim)


# -- the shapes of reductions -------------------------------------------------------------------
def keepdims_shape(shape: tuple, axis) -> tuple:
    """The shape of a reduction over ``axis`` (a normalised tuple, or None for all axes)
    with ``keepdims=True``."""
    if axis is None:
        return (1,) * len(shape)
    return tuple(1 if i in axis else n for i, n in enumerate(shape))


def reduced_count(shape: tuple, axis) -> int:
    """How many entries a reduction over ``axis`` combines into each result."""
    if axis is None:
        return int(np.prod(shape, dtype=np.int64))
    return int(np.prod([shape[a] for a in axis], dtype=np.int64))
