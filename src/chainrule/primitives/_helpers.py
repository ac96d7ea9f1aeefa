"""The shapes of rule records, the one broadcasting helper, and the records they use.

* :func:`defunary` / :func:`defbinary`: elementwise ops, given only their local
  derivative(s); both the VJP (``g * d``, broadcasting undone) and the JVP (``g * d``)
  come from that one formula, so the two modes cannot drift apart. A partial that is a
  number is a constant (``1.0`` for ``add``, ``-1.0`` for ``subtract``'s second operand):
  its rules pass ``g`` on as it is, negated, or scaled. Complex numbers follow autograd's
  convention: no conjugate in the rule of a holomorphic op; a non-holomorphic one
  (``absolute``) gives its own ``jvp=``.
* :func:`deflinear`: ops linear in their (first) argument, whose JVP is the op itself.
* :func:`defzero`: piecewise-constant or integer-valued ops (zero derivative).
* :func:`unbroadcast`: sums a cotangent back to the shape (and dtype) of the input it
  belongs to. It is the only place broadcasting is undone; :func:`broadcast_like` is
  its forward-mode counterpart.
* :func:`ufunc_function`: the public function of a ufunc's record, with a fast path for
  plain arrays.

Ops whose local derivative can be infinite or NaN where the function itself is fine
to use (sqrt at 0, log at 0, division by zero, ...) are marked ``singular``: their
rules multiply with ``safe_mul``, for which a zero cotangent gives a zero result
even against an infinite or NaN derivative. That is what makes
``grad(lambda x: where(x > 0, sqrt(x), 0.0))(-1.0)`` 0 rather than NaN.

The records declared here are the ones ``unbroadcast`` and ``broadcast_like`` are made
of (``sum``, ``reshape``, ``broadcast_to``, ``astype``, ``real``, ``conj``; their public
functions are in the reductions, shape and elementwise modules), plus ``safe_mul`` and
``tuple_getitem``, which split the traced tuple of a multiple-result primitive.
"""

from __future__ import annotations

import operator

import numpy as np

from chainrule.core.backend import array_namespace, namespace_dtype, numpy_dtype
from chainrule.core.primitive import Primitive, defprimitive
from chainrule.core.trace import Box, unbox_all, visible_shape
from chainrule.primitives._args import keepdims_shape

_ndarray = np.ndarray
# float64 scalars: a cotangent of one for another needs neither summing nor a cast
_float64 = np.dtype(np.float64)
_FLOAT64_SCALARS = frozenset({float, np.float64})
# inputs a ufunc's public function hands straight to NumPy (no box, no other library)
_PLAIN_UFUNC_INPUTS = frozenset({_ndarray, float, np.float64})


# -- queries that look through boxes --------------------------------------------------------
def shape_of(x) -> tuple:
    if type(x) is _ndarray:
        return x.shape
    return visible_shape(x)


def dtype_of(x):
    if type(x) is _ndarray:
        return x.dtype
    x = unbox_all(x)
    if isinstance(x, np.ndarray | np.generic):
        return x.dtype
    if isinstance(x, list | tuple):  # array-likes (result_type would read them as dtypes)
        return np.asarray(x).dtype
    return numpy_dtype(x)  # a NumPy dtype for other libraries' arrays too


def ndim_of(x) -> int:
    return len(visible_shape(x))


def namespace_of(*xs):
    """The array namespace of (possibly traced) values: where a rule builds a constant
    (a zero, an identity, a mask), it builds it with the library of its inputs."""
    return array_namespace(tuple(unbox_all(x) for x in xs))


# -- undoing broadcasting -------------------------------------------------------------------
def unbroadcast(g, like):
    """Sum the cotangent ``g`` over the axes that broadcasting added to ``like``, and give
    it ``like``'s floating dtype (the real part, for a real ``like``)."""
    # the common cases, fast: same-shape same-dtype arrays, float64 scalars and 0-d arrays
    tg, tl = type(g), type(like)
    if tg is _ndarray:
        if tl is _ndarray:
            if g.shape == like.shape and g.dtype == like.dtype:
                return g
        elif tl in _FLOAT64_SCALARS and not g.ndim and g.dtype == _float64:
            return g
    elif tg in _FLOAT64_SCALARS:
        if tl in _FLOAT64_SCALARS or (tl is _ndarray and not like.ndim and like.dtype == _float64):
            return g
    shape = shape_of(like)
    g_shape = shape_of(g)
    if g_shape != shape:
        extra = len(g_shape) - len(shape)
        if extra > 0:
            g = sum_p(g, axis=tuple(range(extra)), keepdims=False)
        axes = tuple(i for i, n in enumerate(shape) if n == 1 and g_shape[extra + i] != 1)
        if axes:
            g = sum_p(g, axis=axes, keepdims=True)
    target = dtype_of(like)
    have = dtype_of(g)
    if have != target and target.kind in "fc":
        if have.kind == "c" and target.kind == "f":
            g = real_p(g)
        g = astype_p(g, target)
    return g


def broadcast_like(g, ans):
    """Give a tangent the output's shape (a tangent of a broadcast input is smaller) and,
    for a real floating output, its dtype: a float32 result keeps a float32 tangent even
    when a rule's constants (or a mixed-precision input) computed it in float64."""
    out_shape = shape_of(ans)
    if shape_of(g) != out_shape:
        g = broadcast_to_p(g, shape=out_shape)
    want = dtype_of(ans)
    if want.kind == "f":
        have = dtype_of(g)
        if have != want and have.kind == "f":
            g = astype_p(g, want)
    return g


def reshape_to(x, shape: tuple):
    """Reshape to a fully known shape, skipping the no-op."""
    if shape_of(x) == tuple(shape):
        return x
    return reshape_p(x, shape=tuple(shape))


def keep_reduced_dims(v, shape: tuple, axis, keepdims: bool):
    """A reduction's result (or cotangent) ``v`` in its ``keepdims=True`` shape, so that
    it broadcasts against the reduction's input of ``shape``."""
    return v if keepdims else reshape_to(v, keepdims_shape(shape, axis))


def expand_reduced(g, shape: tuple, axis, keepdims: bool):
    """Broadcast a reduction's cotangent (or result) back over the reduced axes."""
    return broadcast_to_p(keep_reduced_dims(g, shape, axis, keepdims), shape=tuple(shape))


def conj_if_complex(d):
    """``conj(d)`` for complex ``d``; real ``d`` unchanged (and no traced op)."""
    return conj_p(d) if dtype_of(d).kind == "c" else d


# -- the shapes of rule records -------------------------------------------------------------
def _named(impl, name):
    """Give a lambda forward the public name, so that an unsupported keyword (a ufunc's
    ``out=``, ``where=``, ``dtype=``) fails as ``chainrule.numpy.sin() got an
    unexpected keyword argument 'out'`` rather than as ``<lambda>() ...``."""
    if getattr(impl, "__name__", None) == "<lambda>":
        impl.__qualname__ = f"chainrule.numpy.{name}"
    return impl


def defunary(name, impl, deriv, *, singular=False, jvp=None, **extra):
    """Elementwise ``f(x)`` with local derivative ``deriv(ans, x)``; ``jvp=`` replaces
    the forward rule made from it (for an op that is not holomorphic)."""
    mul = safe_mul_p if singular else operator.mul

    def vjp_rule(ans, x, **kw):
        d = deriv(ans, x, **kw)
        return lambda g: unbroadcast(mul(g, d), x)

    def jvp_rule(g, ans, x, **kw):
        return broadcast_like(mul(g, deriv(ans, x, **kw)), ans)

    return defprimitive(
        name, _named(impl, name), vjp={0: vjp_rule}, jvp={0: jvp or jvp_rule}, **extra
    )


def _binary_rules(deriv, argnum, mul):
    """The VJP and JVP of operand ``argnum`` of ``f(x, y)``, whose partial ``deriv`` is a
    formula or a constant number (1 passes the cotangent on, -1 negates it)."""
    if callable(deriv):

        def vjp(ans, x, y, **kw):
            d = deriv(ans, x, y, **kw)
            like = y if argnum else x
            return lambda g: unbroadcast(mul(g, d), like)

        def jvp(g, ans, x, y, **kw):
            return broadcast_like(mul(g, deriv(ans, x, y, **kw)), ans)

        return vjp, jvp
    if deriv == 1:
        scale = None
    else:
        scale = operator.neg if deriv == -1 else lambda g: g * deriv

    def vjp(ans, x, y, **kw):
        like = y if argnum else x
        if scale is None:
            return lambda g: unbroadcast(g, like)
        return lambda g: unbroadcast(scale(g), like)

    def jvp(g, ans, x, y, **kw):
        return broadcast_like(g if scale is None else scale(g), ans)

    return vjp, jvp


def defbinary(name, impl, dx, dy, *, singular=False, **extra):
    """Elementwise ``f(x, y)`` with partials ``dx(ans, x, y)`` and ``dy(ans, x, y)``
    (either may be a constant number)."""
    mul = safe_mul_p if singular else operator.mul
    vjp_x, jvp_x = _binary_rules(dx, 0, mul)
    vjp_y, jvp_y = _binary_rules(dy, 1, mul)
    return defprimitive(
        name, _named(impl, name), vjp={0: vjp_x, 1: vjp_y}, jvp={0: jvp_x, 1: jvp_y}, **extra
    )


def deflinear(name, impl, transpose, **extra):
    """An op linear in argument 0: its JVP is the op applied to the tangent; its VJP is
    ``transpose(g, ans, x, *rest, **kw)``."""

    def vjp(ans, x, *rest, **kw):
        return lambda g: transpose(g, ans, x, *rest, **kw)

    def jvp(g, ans, x, *rest, **kw):
        return prim(g, *rest, **kw)

    prim = defprimitive(name, impl, vjp={0: vjp}, jvp={0: jvp}, **extra)
    return prim


def defzero(name, impl, **extra):
    """A piecewise-constant or integer-valued op: derivative zero, output untraced."""
    return defprimitive(name, _named(impl, name), zero_derivative=True, **extra)


def copy_of(xp, x):
    """A fresh, writable copy of ``x``: ``xp.array`` where the library has it (NumPy,
    CuPy), the array API standard's ``asarray(copy=True)`` otherwise."""
    make = getattr(xp, "array", None)
    return make(x) if make is not None else xp.asarray(x, copy=True)


# -- the records unbroadcast and broadcast_like are made of ----------------------------------
# sum's transpose spreads the cotangent back over the summed axes; broadcast_to's is
# unbroadcast. broadcast_to copies, so gradients handed to users are writable arrays.
sum_p = deflinear(
    "sum",
    lambda xp, x, axis=None, keepdims=False: xp.sum(x, axis=axis, keepdims=keepdims),
    lambda g, ans, x, axis=None, keepdims=False: expand_reduced(g, shape_of(x), axis, keepdims),
)
reshape_p = deflinear(
    "reshape",
    lambda xp, x, shape: xp.reshape(x, shape),
    lambda g, ans, x, shape: reshape_p(g, shape=shape_of(x)),
)
broadcast_to_p = deflinear(
    "broadcast_to",
    lambda xp, x, shape: copy_of(xp, xp.broadcast_to(x, shape)),
    lambda g, ans, x, shape: unbroadcast(g, x),
)
# real's transpose: the cotangent of the real part is g itself (autograd's convention)
real_p = deflinear("real", lambda xp, x: xp.real(x), lambda g, ans, x: g)
conj_p = deflinear("conj", lambda xp, x: xp.conj(x), lambda g, ans, x: conj_p(g))


def _cast(xp, x, dtype):
    """``x`` in ``dtype`` (a NumPy dtype or type): the array's own ``astype`` where it
    has one (NumPy, CuPy), else the array API standard's ``xp.astype``."""
    if hasattr(x, "astype"):
        return x.astype(dtype, copy=False)
    return xp.astype(x, namespace_dtype(xp, np.dtype(dtype)), copy=False)


# A cast: the cotangent is cast back (an integer input has none); the tangent is cast
# along with the value, unless the target dtype has no tangents.
astype_p = defprimitive(
    "astype",
    lambda xp, x, dtype: _cast(xp, xp.asarray(x), dtype),
    vjp={0: lambda ans, x, dtype: lambda g: unbroadcast(g, x) if _floating(x) else None},
    jvp={0: lambda g, ans, x, dtype: astype_p(g, dtype) if np.dtype(dtype).kind in "fc" else None},
)


def _floating(x) -> bool:
    return dtype_of(x).kind in "fc"


def _safe_mul_impl(xp, x, y):
    out = xp.multiply(x, y)
    if dtype_of(out).kind in "fc" and not xp.all(xp.isfinite(out)):
        out = xp.where(xp.equal(x, 0), xp.zeros((), dtype=out.dtype), out)
    return out


# x * y, but 0 wherever x is 0, even against an infinite or NaN y. Its derivatives keep
# each factor NaN-safe against the other's zeros.
safe_mul_p = defprimitive(
    "safe_mul",
    _safe_mul_impl,
    vjp={
        0: lambda ans, x, y: lambda g: unbroadcast(safe_mul_p(g, y), x),
        1: lambda ans, x, y: lambda g: unbroadcast(safe_mul_p(g, x), y),
    },
    jvp={
        0: lambda g, ans, x, y: broadcast_like(safe_mul_p(g, y), ans),
        1: lambda g, ans, x, y: broadcast_like(safe_mul_p(x, g), ans),
    },
)


# -- multiple results -----------------------------------------------------------------------
def _tuple_getitem_vjp(ans, res, i):
    n = len(unbox_all(res))
    return lambda g: tuple(g if j == i else None for j in range(n))


# Multiple-result primitives (eigh, qr, svd, slogdet, split) return one traced tuple;
# their public functions split it with tuple_getitem. The cotangent of the tuple is a
# tuple with None for the outputs that were not used, which the joint VJP reads as zeros.
tuple_getitem_p = defprimitive(
    "tuple_getitem",
    lambda xp, res, i: res[i],
    vjp={0: _tuple_getitem_vjp},
    jvp={0: lambda g, ans, res, i: g[i]},
    nondiff=(1,),
)


def split_results(res, n: int) -> tuple:
    """Split the traced tuple returned by a multiple-result primitive."""
    return tuple(tuple_getitem_p(res, i) for i in range(n))


# -- the public functions of ufuncs -----------------------------------------------------------
def ufunc_function(prim: Primitive):
    """The public function of a record whose forward is the NumPy ufunc of its name.

    On plain ``ndarray``/float/``float64`` arguments it calls the ufunc directly (the array
    namespace of a plain ndarray is NumPy by definition); anything else (boxes, other
    array types, keyword arguments) goes through the record, which does the namespace
    lookup and the tracing. This halves the cost of the untraced calls that rules make
    in the backward pass. ``fn.primitive`` is the record.
    """
    ufunc = getattr(np, prim.name, None)
    if not isinstance(ufunc, np.ufunc) or ufunc.nin not in (1, 2):
        raise TypeError(f"{prim.name} is not a NumPy ufunc of one or two inputs")
    plain = _PLAIN_UFUNC_INPUTS

    if ufunc.nin == 1:

        def fn(x, **kwargs):
            if kwargs and kwargs.get("out", 0) is None:
                del kwargs["out"]  # NumPy's default, accepted for compatibility
            if type(x) in plain and not kwargs:
                return ufunc(x)
            if isinstance(x, Box) and x._trace.active:
                return x._trace.process(prim, (x,), kwargs)
            return prim(x, **kwargs)

    else:

        def fn(x, y, **kwargs):
            if kwargs and kwargs.get("out", 0) is None:
                del kwargs["out"]
            if type(x) in plain and type(y) in plain and not kwargs:
                return ufunc(x, y)
            return prim(x, y, **kwargs)

    fn.__name__ = fn.__qualname__ = prim.name
    fn.__doc__ = f"Differentiable ``numpy.{prim.name}``."
    fn.primitive = prim
    return fn
