"""Extrema: ``max``/``min`` (alias ``amax``/``amin``), ``ptp``, and the index-valued
``argmax``/``argmin``.

Records: ``max``, ``min`` and the zero-derivative ``argmax``, ``argmin``;
``ptp`` is ``max - min``, so its derivative comes for free.

Conventions at the awkward points:

* ``max``/``min`` with ties split the cotangent evenly among the tied entries (like
  PyTorch's ``amax``); a slice whose maximum is NaN sends no gradient anywhere.
* ``argmax``/``argmin`` are integer-valued: zero derivative.
"""

from __future__ import annotations

from chainrule.core.primitive import defprimitive
from chainrule.core.trace import concrete_value
from chainrule.primitives import discrete as D
from chainrule.primitives import elementwise as E
from chainrule.primitives import shape as S
from chainrule.primitives._args import (
    normalize_one_axis,
    reduced_count,
    reject_out,
    scalar_axis,
    ufunc_reduction_axis,
)
from chainrule.primitives._helpers import (
    astype_p,
    defzero,
    dtype_of,
    expand_reduced,
    keep_reduced_dims,
    ndim_of,
    shape_of,
    sum_p,
)
from chainrule.primitives.selection import maximum, minimum, where_p

__all__ = ["max", "min", "amax", "amin", "ptp", "argmax", "argmin"]


# -- max / min ----------------------------------------------------------------------------
def _extremum_weights(ans, x, axis, keepdims):
    """1/k on each of the k entries equal to their slice's extremum, 0 elsewhere."""
    shape = shape_of(x)
    hit = D.equal(x, keep_reduced_dims(ans, shape, axis, keepdims))
    count = maximum(sum_p(hit, axis=axis, keepdims=True), 1)
    w = E.divide(hit, count)
    target = dtype_of(x)
    return astype_p(w, target) if target.kind in "fc" else w


def _extremum_vjp(ans, x, axis=None, keepdims=False):
    w = _extremum_weights(ans, x, axis, keepdims)
    return lambda g: E.multiply(expand_reduced(g, shape_of(x), axis, keepdims), w)


def _extremum_jvp(g, ans, x, axis=None, keepdims=False):
    w = _extremum_weights(ans, x, axis, keepdims)
    return sum_p(E.multiply(g, w), axis=axis, keepdims=keepdims)


# d max = the cotangent, split evenly among the entries attaining the maximum
max_p = defprimitive(
    "max",
    lambda xp, x, axis=None, keepdims=False: xp.max(x, axis=axis, keepdims=keepdims),
    vjp={0: _extremum_vjp},
    jvp={0: _extremum_jvp},
)
min_p = defprimitive(
    "min",
    lambda xp, x, axis=None, keepdims=False: xp.min(x, axis=axis, keepdims=keepdims),
    vjp={0: _extremum_vjp},
    jvp={0: _extremum_jvp},
)


def _extremum(prim, name, a, axis, out, keepdims, initial, where):
    """NumPy's ``max``/``min`` arguments: ``initial`` joins every slice (so an empty
    slice gives ``initial``), and ``where=`` (which, as in NumPy, needs ``initial``)
    leaves entries out; left-out entries get no gradient."""
    reject_out(name, out)
    a = S.as_operand(a)
    if where is not None and where is not True:
        if initial is None:
            raise ValueError(
                f"chainrule.numpy.{name}: to use a where= mask one has to specify "
                "'initial' (the reduction has no identity)"
            )
        a = where_p(concrete_value(where), a, initial)
    ax = ufunc_reduction_axis(axis, ndim_of(a))
    if initial is not None and reduced_count(shape_of(a), ax) == 0:
        # every slice is empty: the answer is ``initial``, constant, in the result's shape
        return E.add(E.multiply(sum_p(a, axis=ax, keepdims=bool(keepdims)), 0), initial)
    res = prim(a, axis=ax, keepdims=bool(keepdims))
    if initial is not None:
        res = (maximum if prim is max_p else minimum)(res, initial)
    return res


def max(a, axis=None, out=None, keepdims=False, initial=None, where=None):
    """Maximum over the given axes; ties share the gradient evenly."""
    return _extremum(max_p, "max", a, axis, out, keepdims, initial, where)


def min(a, axis=None, out=None, keepdims=False, initial=None, where=None):
    """Minimum over the given axes; ties share the gradient evenly."""
    return _extremum(min_p, "min", a, axis, out, keepdims, initial, where)


amax = max
amin = min


def ptp(a, axis=None, out=None, keepdims=False):
    """Range (maximum - minimum) over the given axes."""
    reject_out("ptp", out)
    return E.subtract(max(a, axis=axis, keepdims=keepdims), min(a, axis=axis, keepdims=keepdims))


# -- zero-derivative index reductions -----------------------------------------------------
argmax_p = defzero(
    "argmax", lambda xp, x, axis=None, keepdims=False: xp.argmax(x, axis=axis, keepdims=keepdims)
)
argmin_p = defzero(
    "argmin", lambda xp, x, axis=None, keepdims=False: xp.argmin(x, axis=axis, keepdims=keepdims)
)


def _index_reduction(prim, name, a, axis, out, keepdims):
    reject_out(name, out)
    a = S.as_operand(a)
    axis = scalar_axis(axis, ndim_of(a))
    if axis is not None:
        axis = normalize_one_axis(axis, ndim_of(a))
    return prim(a, axis=axis, keepdims=bool(keepdims))


def argmax(a, axis=None, out=None, *, keepdims=False):
    """Index of the maximum (integer-valued: no gradient)."""
    return _index_reduction(argmax_p, "argmax", a, axis, out, keepdims)


def argmin(a, axis=None, out=None, *, keepdims=False):
    """Index of the minimum (integer-valued: no gradient)."""
    return _index_reduction(argmin_p, "argmin", a, axis, out, keepdims)
