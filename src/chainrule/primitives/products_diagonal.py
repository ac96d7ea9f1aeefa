"""The diagonal family: ``diagonal``, ``diag``, ``trace``, ``triu`` and ``tril``.

Records: ``diagonal`` (any axes and offset), ``diag`` (the 1-D to 2-D
direction; 2-D input goes to ``diagonal``), ``triu`` and ``tril``; ``trace`` sums a
``diagonal``. All are linear: taking a diagonal transposes to writing one (done with
einsums against constant 0/1 matrices, so it is differentiable again), and masking a
triangle is its own transpose.
"""

from __future__ import annotations

import numpy as np

from chainrule.primitives._args import as_array, normalize_one_axis, reject_out
from chainrule.primitives._helpers import (
    astype_p,
    deflinear,
    dtype_of,
    namespace_of,
    ndim_of,
    shape_of,
    sum_p,
    unbroadcast,
)
from chainrule.primitives.products_einsum import LETTERS, einsum_p

__all__ = ["diag", "diagonal", "trace", "tril", "triu"]


def _diag_geometry(shape, offset, axis1, axis2):
    n1, n2 = shape[axis1], shape[axis2]
    i0, j0 = (0, offset) if offset >= 0 else (-offset, 0)
    length = max(0, min(n1 - i0, n2 - j0))
    return n1, n2, i0, j0, length


# The transpose of taking a diagonal: put g back on that diagonal of a zero array. Done
# with two einsums against constant 0/1 matrices (both O(size of a), no matmul):
# first spread g along axis1, then mask it onto the diagonal's positions along axis2.
def _diagonal_transpose(g, ans, a, offset, axis1, axis2):
    shape = shape_of(a)
    n = len(shape)
    n1, n2, i0, j0, length = _diag_geometry(shape, offset, axis1, axis2)
    dtype = dtype_of(g)
    xp = namespace_of(g)
    spread = xp.zeros((n1, length), dtype=dtype)
    spread[i0 + xp.arange(length), xp.arange(length)] = 1
    mask = xp.eye(n1, n2, offset, dtype=dtype)
    labels = LETTERS[:n]
    rest = "".join(c for k, c in enumerate(labels) if k not in (axis1, axis2))
    p, q, j = labels[axis1], labels[axis2], LETTERS[n]
    h = einsum_p(g, spread, subscripts=f"{rest}{j},{p}{j}->{rest}{p}", optimize=False)
    ct = einsum_p(h, mask, subscripts=f"{rest}{p},{p}{q}->{labels}", optimize=False)
    return unbroadcast(ct, a)


diagonal_p = deflinear(
    "diagonal",
    lambda xp, a, offset, axis1, axis2: xp.diagonal(a, offset, axis1, axis2),
    lambda g, ans, a, offset, axis1, axis2: _diagonal_transpose(g, ans, a, offset, axis1, axis2),
)


def diagonal(a, offset=0, axis1=0, axis2=1):
    """The diagonal(s) along ``axis1``/``axis2``, appended as the last axis."""
    a = as_array(a)
    n = ndim_of(a)
    if n < 2:
        raise ValueError(f"diagonal: array must be at least 2-D, got shape {shape_of(a)}")
    ax1, ax2 = normalize_one_axis(axis1, n), normalize_one_axis(axis2, n)
    if ax1 == ax2:
        raise ValueError("diagonal: axis1 and axis2 cannot be the same")
    return diagonal_p(a, offset=int(offset), axis1=ax1, axis2=ax2)


def trace(a, offset=0, axis1=0, axis2=1, dtype=None, out=None):
    """Sum along a diagonal: ``sum(diagonal(a, offset, axis1, axis2), axis=-1)``."""
    reject_out("trace", out)
    d = diagonal(a, offset, axis1, axis2)
    res = sum_p(d, axis=(ndim_of(d) - 1,), keepdims=False)
    if dtype is not None:
        res = astype_p(res, np.dtype(dtype))
    return res


# 1-D -> 2-D: the vector on the k-th diagonal; its transpose reads that diagonal back.
diag_p = deflinear(
    "diag",
    lambda xp, v, k: xp.diag(v, k),
    lambda g, ans, v, k: diagonal_p(g, offset=k, axis1=0, axis2=1),
)


def diag(v, k=0):
    """A 1-D input's k-th diagonal matrix, or a 2-D input's k-th diagonal."""
    v = as_array(v)
    n = ndim_of(v)
    if n == 1:
        return diag_p(v, k=int(k))
    if n == 2:
        return diagonal_p(v, offset=int(k), axis1=0, axis2=1)
    raise ValueError(f"diag: input must be 1-D or 2-D, got shape {shape_of(v)}")


# Masking is self-adjoint; a 1-D input was broadcast to a matrix, so its rows are summed.
triu_p = deflinear(
    "triu",
    lambda xp, m, k: xp.triu(m, k),
    lambda g, ans, m, k: unbroadcast(triu_p(g, k=k), m),
)
tril_p = deflinear(
    "tril",
    lambda xp, m, k: xp.tril(m, k),
    lambda g, ans, m, k: unbroadcast(tril_p(g, k=k), m),
)


def triu(m, k=0):
    """Upper triangle of the last two axes (entries below the k-th diagonal zeroed)."""
    m = as_array(m)
    if ndim_of(m) < 1:
        raise ValueError("triu: input must be at least 1-D")
    return triu_p(m, k=int(k))


def tril(m, k=0):
    """Lower triangle of the last two axes (entries above the k-th diagonal zeroed)."""
    m = as_array(m)
    if ndim_of(m) < 1:
        raise ValueError("tril: input must be at least 1-D")
    return tril_p(m, k=int(k))
