"""Selection ops of the elementwise family: ``maximum``, ``minimum``, ``fmax``, ``fmin``,
``where`` and ``clip``. Re-exported by :mod:`.elementwise`, whose comparisons they use
(and whose rules use ``where`` in turn, hence the separate file).

Subgradients at the kinks: ``maximum``/``minimum`` split a tie evenly (0.5 to each
side); ``fmax``/``fmin`` give the whole gradient to the non-NaN side; ``clip`` passes the
gradient at the boundaries (as PyTorch's ``clamp``). ``where`` sends the cotangent only
to the branch it took, so an untaken branch's infinite or NaN derivative never leaks.

``where`` and ``clip`` are public functions with NumPy's signatures in front of their
primitives (``where(cond)`` is ``nonzero``; ``clip`` takes ``a_min``/``a_max`` or
NumPy 2's ``min``/``max``); the rules call the primitives directly.
"""

from __future__ import annotations

import numpy as np

from chainrule.core.primitive import defprimitive
from chainrule.core.trace import unbox_all
from chainrule.primitives import elementwise as E
from chainrule.primitives._helpers import (
    broadcast_like,
    defbinary,
    dtype_of,
    unbroadcast,
    with_fast_path,
)

__all__ = ["maximum", "minimum", "fmax", "fmin", "where", "clip", "zeros_like_value"]


def zeros_like_value(x):
    """A zero of ``x``'s dtype, as a 0-d array (broadcasts anywhere, never traced)."""
    return np.zeros((), dtype_of(x))


# -- where --------------------------------------------------------------------------------
def _where_vjp(side):
    def vjp(ans, cond, x, y):
        like = x if side == 1 else y

        def pull(g):
            zero = zeros_like_value(g)
            picked = _where(cond, g, zero) if side == 1 else _where(cond, zero, g)
            return unbroadcast(picked, like)

        return pull

    return vjp


def _where_jvp(side):
    def jvp(t, ans, cond, x, y):
        zero = zeros_like_value(t)
        out = _where(cond, t, zero) if side == 1 else _where(cond, zero, t)
        return broadcast_like(out, ans)

    return jvp


_where = defprimitive(
    "where",
    lambda xp, cond, x, y: xp.where(cond, x, y),
    vjp={1: _where_vjp(1), 2: _where_vjp(2)},
    jvp={1: _where_jvp(1), 2: _where_jvp(2)},
    nondiff=(0,),
)

_NO_VALUE = object()


def where(condition, x=_NO_VALUE, y=_NO_VALUE, /):
    """``x`` where ``condition`` holds, else ``y``; with the condition alone, the
    indices where it holds (``numpy.nonzero``, no gradient)."""
    if x is _NO_VALUE and y is _NO_VALUE:
        return np.where(np.asarray(unbox_all(condition)))
    if x is _NO_VALUE or y is _NO_VALUE:
        raise ValueError("where: either both or neither of x and y should be given")
    return _where(condition, x, y)


# -- maximum, minimum, fmax, fmin -----------------------------------------------------------
def _pick(chosen, tie):
    """1 where ``chosen``, 0.5 where tied, else 0 (the evenly split subgradient)."""
    return _where(chosen, 1.0, _where(tie, 0.5, 0.0))


maximum = defbinary(
    "maximum",
    lambda xp, x, y: xp.maximum(x, y),
    lambda a, x, y: _pick(E.greater(x, y), E.equal(x, y)),
    lambda a, x, y: _pick(E.less(x, y), E.equal(x, y)),
)
minimum = defbinary(
    "minimum",
    lambda xp, x, y: xp.minimum(x, y),
    lambda a, x, y: _pick(E.less(x, y), E.equal(x, y)),
    lambda a, x, y: _pick(E.greater(x, y), E.equal(x, y)),
)
# fmax/fmin ignore NaN: the non-NaN side gets the whole gradient
fmax = defbinary(
    "fmax",
    lambda xp, x, y: xp.fmax(x, y),
    lambda a, x, y: _pick(E.logical_or(E.greater(x, y), E.isnan(y)), E.equal(x, y)),
    lambda a, x, y: _pick(E.logical_or(E.less(x, y), E.isnan(x)), E.equal(x, y)),
)
fmin = defbinary(
    "fmin",
    lambda xp, x, y: xp.fmin(x, y),
    lambda a, x, y: _pick(E.logical_or(E.less(x, y), E.isnan(y)), E.equal(x, y)),
    lambda a, x, y: _pick(E.logical_or(E.greater(x, y), E.isnan(x)), E.equal(x, y)),
)


# -- clip -----------------------------------------------------------------------------------
def _clip_impl(xp, x, lo, hi):
    return xp.clip(x, lo, hi)


def _in_range(x, lo, hi):
    inside = np.bool_(True)
    if lo is not None:
        inside = E.logical_and(inside, E.greater_equal(x, lo))
    if hi is not None:
        inside = E.logical_and(inside, E.less_equal(x, hi))
    return inside


# d clip(x, lo, hi)/dx = 1 inside [lo, hi] (boundaries included), else 0;
# the gradient goes to lo below the range and to hi above it.
_clip = defprimitive(
    "clip",
    _clip_impl,
    vjp={
        0: lambda a, x, lo, hi: lambda g: unbroadcast(_where(_in_range(x, lo, hi), g, 0.0), x),
        1: lambda a, x, lo, hi: lambda g: unbroadcast(_where(E.less(x, lo), g, 0.0), lo),
        2: lambda a, x, lo, hi: lambda g: unbroadcast(_where(E.greater(x, hi), g, 0.0), hi),
    },
    jvp={
        0: lambda t, a, x, lo, hi: broadcast_like(_where(_in_range(x, lo, hi), t, 0.0), a),
        1: lambda t, a, x, lo, hi: broadcast_like(_where(E.less(x, lo), t, 0.0), a),
        2: lambda t, a, x, lo, hi: broadcast_like(_where(E.greater(x, hi), t, 0.0), a),
    },
)


def _bound(name, positional, keyword):
    if positional is not _NO_VALUE and keyword is not _NO_VALUE:
        raise ValueError(f"clip: pass either a_{name} or {name}, not both")
    value = keyword if positional is _NO_VALUE else positional
    return None if value is _NO_VALUE else value


def clip(a, a_min=_NO_VALUE, a_max=_NO_VALUE, out=None, *, min=_NO_VALUE, max=_NO_VALUE, **kw):
    """Limit the values to ``[a_min, a_max]`` (either bound may be None), NumPy's
    ``clip``; NumPy 2's ``min=``/``max=`` keywords work too. Differentiable in ``a`` and
    in traced bounds."""
    if out is not None:
        raise TypeError("clip: out= is not supported (arrays are immutable under differentiation)")
    dtype = kw.pop("dtype", None)
    if kw:
        raise TypeError(f"clip: unsupported keyword arguments {sorted(kw)}")
    if a_min is not _NO_VALUE and a_max is _NO_VALUE:
        raise TypeError("clip() missing 1 required positional argument: 'a_max'")
    lo, hi = _bound("min", a_min, min), _bound("max", a_max, max)
    if dtype is not None:
        a = E.astype(a, dtype)
    return _clip(a, lo, hi)


for _name in ("maximum", "minimum", "fmax", "fmin"):
    globals()[_name] = with_fast_path(globals()[_name])
