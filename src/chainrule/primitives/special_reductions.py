"""``logsumexp``, ``softmax`` and ``log_softmax`` with SciPy's signatures
(``scipy.special``), SciPy-free. Each forward subtracts the maximum first, so none
overflows; each is a record with its own rules. ``logsumexp`` also keeps the largest
terms out of the sum and adds the rest through ``log1p``, so a small rest is not lost
to rounding (``logsumexp([0, -40])`` is ``e^-40``, not 0), as SciPy does since 1.15.

At an infinite answer (a slice of all ``-inf``, or with a ``+inf``) the weights of
``logsumexp``'s gradient would be ``inf - inf``; the infinite entries equal to the
answer share the weight instead, as ties of ``max`` do.
"""

from __future__ import annotations

import numpy as np

from chainrule.core.primitive import defprimitive
from chainrule.core.trace import concrete_read, concrete_value, refuse_batched
from chainrule.primitives import discrete as D
from chainrule.primitives import elementwise as E
from chainrule.primitives import reductions as R
from chainrule.primitives._args import as_array, inf_minus_inf, normalize_axis
from chainrule.primitives._helpers import (
    broadcast_like,
    broadcast_to_p,
    dtype_of,
    keep_reduced_dims,
    namespace_of,
    shape_of,
    unbroadcast,
)
from chainrule.primitives.selection import where_p

__all__ = ["log_softmax", "logsumexp", "softmax"]


def _logsumexp_impl(xp, a, b=None, *, axis, keepdims, signed):
    a = xp.asarray(a)
    if b is not None:
        a, b = xp.broadcast_arrays(a, xp.asarray(b))
    if a.size == 0:
        return xp.full(xp.sum(a, axis=axis, keepdims=keepdims).shape, -xp.inf)
    masked = a if b is None else xp.where(xp.equal(b, 0), -xp.inf, a)
    m = xp.max(masked, axis=axis, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        out = _lse_direct(xp, a, b, masked, m, axis, signed)
        if dtype_of(a).kind == "f":
            precise = _lse_split_max(xp, b, masked, m, axis, signed)
            out = xp.where(xp.isfinite(precise), precise, out)
    if not keepdims:
        out = xp.squeeze(out, axis=axis)
    return out[()] if out.ndim == 0 else out


def _lse_direct(xp, a, b, masked, m, axis, signed):
    """``m + log Σ b e^(a - m)``: right at infinite answers and for complex input."""
    m = xp.where(xp.isfinite(m), m, 0.0)
    e = xp.exp(a - m)
    if b is not None:
        e = b * e
    s = xp.sum(e, axis=axis, keepdims=True)
    return xp.log(xp.abs(s) if signed else s) + m


def _lse_split_max(xp, b, masked, m, axis, signed):
    """The more accurate form (SciPy's since 1.15, so the values agree with it to the
    last bit): the largest terms leave the sum, ``c = Σ_{a = m} b``, and the others enter
    through ``log1p``: ``m + log|c| + log1p(Σ_{a < m} b e^(a - m) / c)``; NaN (or, for
    the magnitude, its log) where the total is negative. Not finite where the answer is
    infinite or the slice is empty of weight: the direct form answers there."""
    top = xp.equal(masked, m)
    count = xp.where(top, xp.ones_like(masked) if b is None else b, 0.0)
    c = xp.sum(count, axis=axis, keepdims=True)
    e = xp.exp(xp.where(top, -xp.inf, masked) - m)
    if b is not None:
        e = b * e
    s = xp.sum(e, axis=axis, keepdims=True)
    s = xp.where(s == 0, s, s / c)
    negative = (xp.sign(s + 1) * xp.sign(c)) < 0
    s = xp.where(s < -1, -s - 2, s)  # |1 + s| = 1 + (-s - 2) there
    out = xp.log1p(s) + xp.log(xp.abs(c)) + m
    return out if signed else xp.where(negative, xp.nan, out)


def _lse_weights(ans, a, b, axis, keepdims, signed):
    """d logsumexp / da = b e^(a - ans) (times sign(s) for the signed magnitude),
    in the broadcast shape of a and b."""
    full = shape_of(a) if b is None else np.broadcast_shapes(shape_of(a), shape_of(b))
    ans_k = keep_reduced_dims(ans, full, axis, keepdims)
    # a slice whose answer is infinite (all -inf, or some +inf) would give inf - inf = NaN
    # here: its infinite entries equal to the answer share the weight as max's ties do
    # (1/k each; b_i / sum b with weights b), instead of a NaN gradient
    stuck = inf_minus_inf(a, ans_k)
    xp = namespace_of(stuck)
    stuck = xp.broadcast_to(stuck, full)
    if not xp.any(stuck):
        diff = a - ans_k
    else:
        bv = 1.0 if b is None else xp.broadcast_to(concrete_value(b), full)
        total = xp.abs(xp.sum(xp.where(stuck, bv, 0.0), axis=axis, keepdims=True))
        share = xp.broadcast_to(-xp.log(xp.where(total > 0, total, 1.0)), full)
        diff = where_p(stuck, 0.0, a) - where_p(stuck, 0.0, ans_k)
        diff = where_p(stuck, E.astype(share, dtype_of(diff)), diff)
    w = E.exp(diff)
    if signed:
        bw = w if b is None else b * w
        w = w * D.sign(R.sum(bw, axis=axis, keepdims=True))
    return w, full


def _to_shape(x, shape):
    return x if shape_of(x) == tuple(shape) else broadcast_to_p(x, shape=tuple(shape))


def _lse_vjp(argnum):
    def vjp(ans, a, b=None, *, axis, keepdims, signed):
        w, full = _lse_weights(ans, a, b, axis, keepdims, signed)
        if argnum == 0 and b is not None:
            w = w * b

        def pull(g):
            ct = _to_shape(keep_reduced_dims(g, full, axis, keepdims) * w, full)
            return unbroadcast(ct, a if argnum == 0 else b)

        return pull

    return vjp


def _lse_jvp(argnum):
    def jvp(g, ans, a, b=None, *, axis, keepdims, signed):
        w, full = _lse_weights(ans, a, b, axis, keepdims, signed)
        if argnum == 0 and b is not None:
            w = w * b
        return R.sum(_to_shape(g * w, full), axis=axis, keepdims=keepdims)

    return jvp


# d logsumexp(a; b) = softmax-like weights: da_i -> b_i e^(a_i - lse), db_i -> e^(a_i - lse)
logsumexp_p = defprimitive(
    "logsumexp",
    _logsumexp_impl,
    vjp={0: _lse_vjp(0), 1: _lse_vjp(1)},
    jvp={0: _lse_jvp(0), 1: _lse_jvp(1)},
)


def logsumexp(a, axis=None, b=None, keepdims=False, return_sign=False):
    """``log(sum(b * exp(a)))`` over ``axis``, computed without overflow. With
    ``return_sign`` it returns ``(log|s|, sign(s))``, the sign carrying no gradient."""
    a = as_array(a, floating=True)
    if b is not None:
        b = as_array(b, floating=True)
    full = shape_of(a) if b is None else np.broadcast_shapes(shape_of(a), shape_of(b))
    ax = normalize_axis(axis, len(full))
    kw = dict(axis=ax, keepdims=bool(keepdims), signed=bool(return_sign))
    args = (a,) if b is None else (a, b)
    out = logsumexp_p(*args, **kw)
    if not return_sign:
        return out
    # the sign is piecewise constant: computed on plain values, it is a constant
    for v in args:  # one sign for the whole batch would be wrong
        refuse_batched(v, "logsumexp's sign")
    sign = concrete_read(lambda *v: _lse_sign(*v, axis=ax, keepdims=bool(keepdims)), *args)
    return out, sign


def _lse_sign(av, bv=None, *, axis, keepdims):
    xp = namespace_of(av) if bv is None else namespace_of(av, bv)
    m = xp.max(av, axis=axis, keepdims=True)
    m = xp.where(xp.isfinite(m), m, 0.0)
    e = xp.exp(av - m) if bv is None else bv * xp.exp(av - m)
    sign = xp.sign(xp.sum(e, axis=axis, keepdims=keepdims))
    return sign[()] if sign.ndim == 0 and xp is np else sign


def _softmax_impl(xp, x, axis):
    x = xp.asarray(x)
    m = xp.max(x, axis=axis, keepdims=True)
    e = xp.exp(x - xp.where(xp.isfinite(m), m, 0.0))
    return e / xp.sum(e, axis=axis, keepdims=True)


def _log_softmax_impl(xp, x, axis):
    x = xp.asarray(x)
    m = xp.max(x, axis=axis, keepdims=True)
    shifted = x - xp.where(xp.isfinite(m), m, 0.0)
    with np.errstate(divide="ignore"):
        return shifted - xp.log(xp.sum(xp.exp(shifted), axis=axis, keepdims=True))


def _sum_kd(x, axis):
    return R.sum(x, axis=axis, keepdims=True)


# s = softmax(x): ds = s (dx - sum(s dx))  (the Jacobian diag(s) - s sᵀ is symmetric)
softmax_p = defprimitive(
    "softmax",
    _softmax_impl,
    vjp={0: lambda ans, x, axis: lambda g: unbroadcast(ans * (g - _sum_kd(g * ans, axis)), x)},
    jvp={0: lambda g, ans, x, axis: broadcast_like(ans * (g - _sum_kd(g * ans, axis)), ans)},
)
# l = log_softmax(x): dl = dx - sum(e^l dx); the VJP is g - e^l sum(g)
log_softmax_p = defprimitive(
    "log_softmax",
    _log_softmax_impl,
    vjp={0: lambda ans, x, axis: lambda g: unbroadcast(g - E.exp(ans) * _sum_kd(g, axis), x)},
    jvp={0: lambda g, ans, x, axis: broadcast_like(g - _sum_kd(E.exp(ans) * g, axis), ans)},
)


def softmax(x, axis=None):
    """``exp(x) / sum(exp(x))`` over ``axis`` (all entries when None)."""
    x = as_array(x, floating=True)
    return softmax_p(x, axis=normalize_axis(axis, len(shape_of(x))))


def log_softmax(x, axis=None):
    """``x - logsumexp(x)`` over ``axis``, without forming ``softmax`` first."""
    x = as_array(x, floating=True)
    return log_softmax_p(x, axis=normalize_axis(axis, len(shape_of(x))))
