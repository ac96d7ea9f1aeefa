"""Selection ops: ``where``, ``maximum``, ``minimum``, ``fmax``, ``fmin`` and ``clip``.
Their rules are built from the comparisons of :mod:`.discrete`; the other elementwise
rules use ``where`` in turn.

Subgradients at the kinks: ``maximum``/``minimum`` split a tie evenly (0.5 to each
side); ``fmax``/``fmin`` give the whole gradient to the non-NaN side; ``clip`` passes the
gradient at the boundaries (as PyTorch's ``clamp``). ``where`` sends the cotangent only
to the branch it took, so an untaken branch's infinite or NaN derivative never leaks.

``where`` and ``clip`` have NumPy's signatures in front of their records
(``where(cond)`` is ``nonzero``; ``clip`` takes ``a_min``/``a_max`` or NumPy 2's
``min``/``max``); the rules call the records directly.
"""

from __future__ import annotations

import numpy as np

from chainrule.core.backend import namespace_dtype
from chainrule.core.primitive import defprimitive
from chainrule.core.trace import example_value
from chainrule.primitives import discrete as D
from chainrule.primitives._args import MISSING, plain_value, reject_out
from chainrule.primitives._helpers import (
    astype_p,
    broadcast_like,
    defbinary,
    dtype_of,
    namespace_of,
    ufunc_function,
    unbroadcast,
)

__all__ = ["maximum", "minimum", "fmax", "fmin", "where", "clip"]


def _zero_of(x):
    """A zero of ``x``'s dtype, as a 0-d array of its library (broadcasts anywhere,
    never traced)."""
    xp = namespace_of(x)
    return xp.zeros((), dtype=namespace_dtype(xp, dtype_of(x)))


# -- where --------------------------------------------------------------------------------
def _where_vjp(side):
    def vjp(ans, cond, x, y):
        like = x if side == 1 else y

        def pull(g):
            zero = _zero_of(g)
            picked = where_p(cond, g, zero) if side == 1 else where_p(cond, zero, g)
            return unbroadcast(picked, like)

        return pull

    return vjp


def _where_jvp(side):
    def jvp(g, ans, cond, x, y):
        zero = _zero_of(g)
        out = where_p(cond, g, zero) if side == 1 else where_p(cond, zero, g)
        return broadcast_like(out, ans)

    return jvp


where_p = defprimitive(
    "where",
    lambda xp, cond, x, y: xp.where(cond, x, y),
    vjp={1: _where_vjp(1), 2: _where_vjp(2)},
    jvp={1: _where_jvp(1), 2: _where_jvp(2)},
    nondiff=(0,),
)


def where(condition, x=MISSING, y=MISSING):
    """``x`` where ``condition`` holds, else ``y``; with the condition alone, the
    indices where it holds (``numpy.nonzero``, no gradient). Unlike NumPy's, the
    arguments may also be passed by keyword (autograd accepts that)."""
    if x is MISSING and y is MISSING:
        example_value(condition, "where(condition)")  # the same for every example
        xp, value = plain_value(condition)
        return xp.where(value)
    if x is MISSING or y is MISSING:
        raise ValueError("where: either both or neither of x and y should be given")
    return where_p(condition, x, y)


# -- maximum, minimum, fmax, fmin -----------------------------------------------------------
def _pick(chosen, tie, ans):
    """1 where ``chosen``, 0.5 where tied, else 0 (the evenly split subgradient), in the
    dtype of the floating result ``ans``: a float32 gradient times it stays float32
    (the products by 0, 0.5 and 1 are exact), with no float64 round trip."""
    dt = dtype_of(ans)
    scalar = dt.type if dt.kind == "f" else np.float64
    return where_p(chosen, scalar(1.0), where_p(tie, scalar(0.5), scalar(0.0)))


maximum_p = defbinary(
    "maximum",
    lambda xp, x, y: xp.maximum(x, y),
    lambda ans, x, y: _pick(D.greater(x, y), D.equal(x, y), ans),
    lambda ans, x, y: _pick(D.less(x, y), D.equal(x, y), ans),
)
maximum = ufunc_function(maximum_p)
minimum_p = defbinary(
    "minimum",
    lambda xp, x, y: xp.minimum(x, y),
    lambda ans, x, y: _pick(D.less(x, y), D.equal(x, y), ans),
    lambda ans, x, y: _pick(D.greater(x, y), D.equal(x, y), ans),
)
minimum = ufunc_function(minimum_p)
# fmax/fmin ignore NaN: the non-NaN side gets the whole gradient
fmax_p = defbinary(
    "fmax",
    lambda xp, x, y: xp.fmax(x, y),
    lambda ans, x, y: _pick(D.logical_or(D.greater(x, y), D.isnan(y)), D.equal(x, y), ans),
    lambda ans, x, y: _pick(D.logical_or(D.less(x, y), D.isnan(x)), D.equal(x, y), ans),
)
fmax = ufunc_function(fmax_p)
fmin_p = defbinary(
    "fmin",
    lambda xp, x, y: xp.fmin(x, y),
    lambda ans, x, y: _pick(D.logical_or(D.less(x, y), D.isnan(y)), D.equal(x, y), ans),
    lambda ans, x, y: _pick(D.logical_or(D.greater(x, y), D.isnan(x)), D.equal(x, y), ans),
)
fmin = ufunc_function(fmin_p)


# -- clip -----------------------------------------------------------------------------------
def _in_range(x, lo, hi):
    inside = np.bool_(True)
    if lo is not None:
        inside = D.logical_and(inside, D.greater_equal(x, lo))
    if hi is not None:
        inside = D.logical_and(inside, D.less_equal(x, hi))
    return inside


def _clip_mask(argnum, x, lo, hi):
    """Where the cotangent of argument ``argnum`` of ``clip(x, lo, hi)`` goes: to x inside
    [lo, hi] (boundaries included), to lo below the range, to hi above it."""
    if argnum == 0:
        return _in_range(x, lo, hi)
    return D.less(x, lo) if argnum == 1 else D.greater(x, hi)


def _clip_vjp(argnum):
    def vjp(ans, x, lo, hi):
        mask = _clip_mask(argnum, x, lo, hi)
        return lambda g: unbroadcast(where_p(mask, g, 0.0), (x, lo, hi)[argnum])

    return vjp


def _clip_jvp(argnum):
    def jvp(g, ans, x, lo, hi):
        return broadcast_like(where_p(_clip_mask(argnum, x, lo, hi), g, 0.0), ans)

    return jvp


clip_p = defprimitive(
    "clip",
    lambda xp, x, lo, hi: xp.clip(x, lo, hi),
    vjp={i: _clip_vjp(i) for i in range(3)},
    jvp={i: _clip_jvp(i) for i in range(3)},
)


def _bound(name, positional, keyword):
    if positional is not MISSING and keyword is not MISSING:
        raise ValueError(f"clip: pass either a_{name} or {name}, not both")
    value = keyword if positional is MISSING else positional
    return None if value is MISSING else value


def clip(a, a_min=MISSING, a_max=MISSING, out=None, *, min=MISSING, max=MISSING, **kw):
    """Limit the values to ``[a_min, a_max]`` (either bound may be None), NumPy's
    ``clip``; NumPy 2's ``min=``/``max=`` keywords work too. Differentiable in ``a`` and
    in traced bounds."""
    reject_out("clip", out)
    dtype = kw.pop("dtype", None)
    if kw:
        raise TypeError(f"clip: unsupported keyword arguments {sorted(kw)}")
    if a_min is not MISSING and a_max is MISSING:
        raise TypeError("clip() missing 1 required positional argument: 'a_max'")
    lo, hi = _bound("min", a_min, min), _bound("max", a_max, max)
    if dtype is not None:
        a = astype_p(a, np.dtype(dtype))
    return clip_p(a, lo, hi)
