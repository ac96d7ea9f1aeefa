"""Shared machinery of the reductions family (``reductions``, ``reductions_extrema``,
``reductions_cumulative``): argument handling, the shape bookkeeping that spreads a
reduction's cotangent back over the reduced axes, and the ``sum`` primitive itself,
which every other reduction's rules reduce with.

Static parameters (``axis``, ``keepdims``) are keywords; ``axis`` is normalised to a
sorted tuple of non-negative ints (or ``None``) by :func:`normalize_axis`, and the
single-axis ops (cumulative ones, ``argmax``/``argmin``) take one int from
:func:`normalize_one_axis`. The public ``sum`` wrapper lives in ``reductions``.
"""

from __future__ import annotations

import operator

import numpy as np

from chainrule.core.trace import unbox_all
from chainrule.primitives import shape as S
from chainrule.primitives._helpers import defprimitive, shape_of

__all__ = ["normalize_axis", "normalize_one_axis", "scalar_axis", "count_as"]


# -- argument handling --------------------------------------------------------------------
def normalize_axis(axis, ndim: int) -> tuple | None:
    """``None`` or a sorted tuple of non-negative axes (NumPy's AxisError when out of range)."""
    if axis is None:
        return None
    axes = (axis,) if not isinstance(axis, tuple | list) else tuple(axis)
    out = []
    for a in axes:
        a = operator.index(a)
        if not -ndim <= a < ndim:
            raise np.exceptions.AxisError(a, ndim)
        out.append(a % ndim)
    if len(set(out)) != len(out):
        raise ValueError(f"duplicate value in 'axis': {axis!r}")
    return tuple(sorted(out))


def scalar_axis(axis, ndim: int):
    """NumPy's ufunc reductions (``sum``, ``max``, ``any``, ...) accept ``axis=0`` or
    ``axis=-1`` on a 0-d array, reducing nothing: that is ``axis=None`` there."""
    if ndim == 0 and axis is not None and not isinstance(axis, tuple | list):
        if operator.index(axis) in (0, -1):
            return None
    return axis


def count_as(n, like):
    """A reduction's element count ``n`` (an int, or an integer array for masked
    reductions) ready to divide ``like`` by: an array count takes ``like``'s floating
    dtype, so that a float32 mean stays float32 (an int count is a weak Python scalar)."""
    from chainrule.primitives._helpers import dtype_of

    if isinstance(n, np.ndarray | np.generic):
        dt = dtype_of(like)
        return n.astype(dt if dt.kind in "fc" else np.float64)
    return n


def normalize_one_axis(axis, ndim: int) -> int:
    a = operator.index(axis)
    if not -ndim <= a < ndim:
        raise np.exceptions.AxisError(a, ndim)
    return a % ndim


def _no_out(name: str, out=None, where=None) -> None:
    if out is not None:
        raise TypeError(
            f"chainrule.numpy.{name}: out= is not supported (arrays are immutable "
            "under differentiation); use the returned value"
        )


def _reduced_count(shape: tuple, axis) -> int:
    if axis is None:
        return int(np.prod(shape, dtype=np.int64))
    return int(np.prod([shape[a] for a in axis], dtype=np.int64))


def _keep_shape(shape: tuple, axis) -> tuple:
    """The shape of a reduction over ``axis`` with ``keepdims=True``."""
    if axis is None:
        return (1,) * len(shape)
    return tuple(1 if i in axis else n for i, n in enumerate(shape))


def _expand(g, shape: tuple, axis, keepdims: bool):
    """Broadcast a reduction's cotangent (or answer) back over the reduced axes."""
    if not keepdims:
        g = S.reshape_to(g, _keep_shape(shape, axis))
    return S.broadcast_to(g, shape)


def _keep(v, shape: tuple, axis, keepdims: bool):
    """``v`` (a reduction's result) in its ``keepdims=True`` shape."""
    return v if keepdims else S.reshape_to(v, _keep_shape(shape, axis))


def _has_zero(x) -> bool:
    return bool(np.any(np.asarray(unbox_all(x)) == 0))


# -- the sum primitive --------------------------------------------------------------------
def _sum_impl(xp, x, axis=None, keepdims=False):
    return xp.sum(x, axis=axis, keepdims=keepdims)


# sum is linear: its transpose broadcasts the cotangent back over the summed axes.
_sum = defprimitive(
    "sum",
    _sum_impl,
    vjp={
        0: lambda ans, x, axis=None, keepdims=False: (
            lambda g: _expand(g, shape_of(x), axis, keepdims)
        )
    },
    jvp={0: lambda t, ans, x, axis=None, keepdims=False: _sum(t, axis=axis, keepdims=keepdims)},
)
