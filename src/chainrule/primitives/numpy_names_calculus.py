"""NumPy's finite differences, quadrature and vector products, composed from the
families above (no new rules): ``gradient``, ``trapezoid``, ``polyval``, ``vecdot``,
``matvec``, ``vecmat``, ``unstack``, ``broadcast_arrays``, ``block`` and autograd's
``make_diagonal``."""

from __future__ import annotations

import numpy as np

from chainrule.core.trace import unbox_all, visible_shape
from chainrule.primitives import elementwise as E
from chainrule.primitives import joining as J
from chainrule.primitives import reductions as R
from chainrule.primitives import shape as S
from chainrule.primitives._args import as_array, normalize_one_axis
from chainrule.primitives.creation import eye
from chainrule.primitives.products import matmul

__all__ = [
    "gradient", "trapezoid", "polyval", "vecdot", "matvec", "vecmat", "unstack",
    "broadcast_arrays", "block", "make_diagonal",
]  # fmt: skip


def _slice(ndim, axis, s):
    index = [slice(None)] * ndim
    index[axis] = s
    return tuple(index)


def _gradient_1d(f, axis, h, edge_order):
    """Central differences inside, one-sided differences at the ends (uniform ``h``)."""
    nd = len(visible_shape(f))
    if edge_order != 1:
        raise NotImplementedError("chainrule.numpy.gradient supports edge_order=1 only")
    if visible_shape(f)[axis] < 2:
        raise ValueError("gradient: each differentiated axis needs at least 2 points")
    inner = (f[_slice(nd, axis, slice(2, None))] - f[_slice(nd, axis, slice(None, -2))]) / (2.0 * h)
    first = (f[_slice(nd, axis, slice(1, 2))] - f[_slice(nd, axis, slice(0, 1))]) / h
    last = (f[_slice(nd, axis, slice(-1, None))] - f[_slice(nd, axis, slice(-2, -1))]) / h
    return J.concatenate([first, inner, last], axis=axis)


def gradient(f, *varargs, axis=None, edge_order=1):
    """NumPy's ``gradient`` with scalar spacings: one array per axis (a single array for
    one axis)."""
    f = as_array(f, floating=True)
    nd = len(visible_shape(f))
    axes = range(nd) if axis is None else np.atleast_1d(axis).tolist()
    axes = [normalize_one_axis(a, nd) for a in axes]
    spacing = [1.0] * len(axes) if not varargs else list(varargs)
    if len(spacing) == 1:
        spacing = spacing * len(axes)
    if len(spacing) != len(axes) or any(len(visible_shape(h)) for h in spacing):
        raise NotImplementedError("chainrule.numpy.gradient supports scalar spacings only")
    out = [_gradient_1d(f, a, h, edge_order) for a, h in zip(axes, spacing)]
    return out[0] if len(out) == 1 else tuple(out)


def trapezoid(y, x=None, dx=1.0, axis=-1):
    """Integral of ``y`` by the trapezoidal rule (sample points ``x`` or spacing ``dx``)."""
    y = as_array(y, floating=True)
    nd = len(visible_shape(y))
    axis = normalize_one_axis(axis, nd)
    if x is None:
        d = dx
    else:
        d = J.diff(x, axis=-1)
        if len(visible_shape(d)) == 1 and nd > 1:
            d = S.reshape(d, tuple(-1 if i == axis else 1 for i in range(nd)))
    mids = (y[_slice(nd, axis, slice(1, None))] + y[_slice(nd, axis, slice(None, -1))]) / 2.0
    return R.sum(d * mids, axis=axis)


def polyval(p, x):
    """The polynomial with coefficients ``p`` (highest power first) at ``x``, by Horner."""
    result = x * 0.0
    for i in range(visible_shape(p)[0]):
        result = result * x + p[i]
    return result


def vecdot(x1, x2, /, *, axis=-1):
    """``sum(conj(x1) * x2)`` along ``axis``."""
    return R.sum(E.conj(x1) * x2, axis=axis)


def matvec(x1, x2, /):
    """Matrix-vector products over stacks."""
    return matmul(x1, S.expand_dims(x2, -1))[..., 0]


def vecmat(x1, x2, /):
    """Vector-matrix products over stacks (the vector conjugated)."""
    return matmul(S.expand_dims(E.conj(x1), -2), x2)[..., 0, :]


def unstack(x, /, *, axis=0):
    """The slices of ``x`` along ``axis``, as a tuple."""
    moved = S.moveaxis(x, axis, 0)
    return tuple(moved[i] for i in range(visible_shape(moved)[0]))


def broadcast_arrays(*args, subok=False):
    """The arguments broadcast to their common shape."""
    shape = np.broadcast_shapes(*(visible_shape(a) for a in args))
    return tuple(S.broadcast_to(a, shape) for a in args)


def _block_depth(arrays):
    return 1 + _block_depth(arrays[0]) if isinstance(arrays, list) else 0


def block(arrays):
    """An array assembled from nested lists of blocks (the innermost list joins along
    the last axis)."""

    def assemble(item, depth, total):
        if not isinstance(item, list):
            return _atleast(item, total)
        parts = [assemble(x, depth + 1, total) for x in item]
        return J.concatenate(parts, axis=depth - total)

    total = max(_block_depth(arrays), _max_ndim(arrays))
    return assemble(arrays, 0, total)


def _max_ndim(arrays):
    if isinstance(arrays, list):
        return max(_max_ndim(a) for a in arrays)
    return len(visible_shape(arrays))


def _atleast(x, n):
    x = as_array(x)
    shape = visible_shape(x)
    return S.reshape(x, (1,) * (n - len(shape)) + shape)


def make_diagonal(D, offset=0, axis1=-1, axis2=-2):
    """autograd's inverse of ``diagonal``: a stack of diagonal matrices with ``D``'s last
    axis on their diagonals."""
    if offset != 0 or {axis1, axis2} != {-1, -2}:
        raise NotImplementedError(
            "make_diagonal supports offset=0 with axis1, axis2 = -1, -2 only (as autograd)"
        )
    n = visible_shape(D)[-1]
    return S.expand_dims(D, -1) * eye(n, dtype=np.result_type(unbox_all(D), 1.0))
