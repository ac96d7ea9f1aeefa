"""Order statistics, covariances and NaN-skipping reductions, composed from the
differentiable ops of the families above (so they need no rules of their own).

``median``/``percentile``/``quantile`` sort, then interpolate linearly between the two
neighbouring order statistics (NumPy's default ``method="linear"``): the gradient flows
to those two elements with the interpolation weights. ``cov``/``corrcoef`` are centred
products. The ``nan*`` reductions replace NaNs by the operation's neutral element
first; the replaced entries get a zero gradient.
"""

from __future__ import annotations

import numpy as np

from chainrule.core.trace import example_value, visible_shape
from chainrule.primitives import discrete as D
from chainrule.primitives import elementwise as E
from chainrule.primitives import reductions as R
from chainrule.primitives import reductions_cumulative as C
from chainrule.primitives import reductions_extrema as X
from chainrule.primitives import shape as S
from chainrule.primitives._args import as_array, normalize_one_axis
from chainrule.primitives._helpers import namespace_of
from chainrule.primitives.indexing import take
from chainrule.primitives.ordering import sort
from chainrule.primitives.products import dot
from chainrule.primitives.products_diagonal import diagonal
from chainrule.primitives.selection import where

__all__ = [
    "median", "percentile", "quantile", "cov", "corrcoef",
    "nanmax", "nanmin", "nanprod", "nancumsum", "nancumprod", "nanvar", "nanstd",
]  # fmt: skip


def quantile(a, q, axis=None, out=None, overwrite_input=False, method="linear",
             keepdims=False, *, weights=None, interpolation=None):  # fmt: skip
    """``q``-th quantiles (``q`` in [0, 1], a constant) along ``axis``, by linear
    interpolation between order statistics."""
    if method != "linear" or interpolation is not None or weights is not None:
        raise NotImplementedError(
            "chainrule.numpy.quantile supports only method='linear' without weights"
        )
    if out is not None:
        raise TypeError("chainrule.numpy.quantile: out= is not supported on traced values")
    q = np.asarray(example_value(q, "quantile's q"), dtype=float)
    if np.any((q < 0) | (q > 1)):
        raise ValueError("quantile: q must be in the range [0, 1]")
    a = as_array(a, floating=True)
    if axis is None:
        data, ax = S.ravel(a), 0
    else:
        ax = normalize_one_axis(axis, len(visible_shape(a)))
        data = a
    ordered = sort(data, axis=ax)
    xp = namespace_of(ordered)  # the positions are host bookkeeping; the weights meet data
    n = visible_shape(ordered)[ax]
    pos = q * (n - 1)
    lo = np.floor(pos).astype(int)
    hi = np.minimum(lo + 1, n - 1)
    w = xp.asarray(pos - lo)
    low, high = take(ordered, lo, axis=ax), take(ordered, hi, axis=ax)
    if q.ndim:  # quantiles lead, as in NumPy
        low, high = S.moveaxis(low, ax, 0), S.moveaxis(high, ax, 0)
        w = xp.reshape(w, w.shape + (1,) * (len(visible_shape(low)) - 1))
    result = low + (high - low) * w
    if keepdims:
        result = _keep(result, visible_shape(a), axis, q.ndim)
    return result


def _keep(result, shape, axis, lead):
    """Reinsert reduced axes of length 1 after ``lead`` leading quantile axes."""
    axes = range(len(shape)) if axis is None else [normalize_one_axis(axis, len(shape))]
    for ax in sorted(axes):
        result = S.expand_dims(result, lead + ax)
    return result


def percentile(a, q, axis=None, out=None, overwrite_input=False, method="linear",
               keepdims=False, *, weights=None, interpolation=None):  # fmt: skip
    """``q``-th percentiles (``q`` in [0, 100])."""
    q = np.asarray(example_value(q, "percentile's q"), dtype=float) / 100.0
    return quantile(a, q, axis, out, overwrite_input, method, keepdims,
                    weights=weights, interpolation=interpolation)  # fmt: skip


def median(a, axis=None, out=None, overwrite_input=False, keepdims=False):
    """The median: the mean of the middle order statistic(s)."""
    return quantile(a, 0.5, axis, out, overwrite_input, keepdims=keepdims)


def cov(m, y=None, rowvar=True, bias=False, ddof=None, fweights=None, aweights=None,
        *, dtype=None):  # fmt: skip
    """Covariance matrix of the variables in ``m`` (rows, or columns if not ``rowvar``)."""
    if fweights is not None or aweights is not None:
        raise NotImplementedError("chainrule.numpy.cov does not support fweights/aweights")
    x = S.atleast_2d(as_array(m, floating=True))
    if not rowvar and visible_shape(x)[0] != 1:
        x = S.transpose(x)
    if y is not None:
        y = S.atleast_2d(as_array(y, floating=True))
        if not rowvar and visible_shape(y)[0] != 1:
            y = S.transpose(y)
        x = S.concatenate([x, y], axis=0)
    n = visible_shape(x)[1]
    ddof = (0 if bias else 1) if ddof is None else ddof
    centred = x - R.mean(x, axis=1, keepdims=True)
    c = dot(centred, S.transpose(E.conj(centred))) / (n - ddof)
    return S.squeeze(c) if len(visible_shape(m)) < 2 and y is None else c


def corrcoef(x, y=None, rowvar=True, *, dtype=None):
    """Pearson correlation coefficients: the covariance scaled by the deviations."""
    c = cov(x, y, rowvar)
    if len(visible_shape(c)) == 0:
        return c / c
    d = E.sqrt(E.real(diagonal(c)))
    return c / S.expand_dims(d, 1) / S.expand_dims(d, 0)


def _filled(a, value):
    a = as_array(a, floating=True)
    return where(D.isnan(a), value, a)


def nanmax(a, axis=None, out=None, keepdims=False, **kwargs):
    """Maximum ignoring NaNs."""
    return X.max(_filled(a, -np.inf), axis=axis, keepdims=keepdims, **kwargs)


def nanmin(a, axis=None, out=None, keepdims=False, **kwargs):
    """Minimum ignoring NaNs."""
    return X.min(_filled(a, np.inf), axis=axis, keepdims=keepdims, **kwargs)


def nanprod(a, axis=None, dtype=None, out=None, keepdims=False, **kwargs):
    """Product treating NaNs as one."""
    return R.prod(_filled(a, 1.0), axis=axis, keepdims=keepdims, **kwargs)


def nancumsum(a, axis=None, dtype=None, out=None):
    """Cumulative sum treating NaNs as zero."""
    return C.cumsum(_filled(a, 0.0), axis=axis)


def nancumprod(a, axis=None, dtype=None, out=None):
    """Cumulative product treating NaNs as one."""
    return C.cumprod(_filled(a, 1.0), axis=axis)


def nanvar(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, **kwargs):
    """Variance of the non-NaN entries."""
    a = as_array(a, floating=True)
    count = R.sum(D.logical_not(D.isnan(a)), axis=axis, keepdims=True)
    mean = R.nansum(a, axis=axis, keepdims=True) / count
    dev = _filled(a - mean, 0.0)
    total = R.sum(dev * E.conj(dev), axis=axis, keepdims=keepdims)
    if not keepdims:
        count = R.sum(D.logical_not(D.isnan(a)), axis=axis)
    return E.real(total) / (count - ddof)


def nanstd(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, **kwargs):
    """Standard deviation of the non-NaN entries."""
    return E.sqrt(nanvar(a, axis, ddof=ddof, keepdims=keepdims))
