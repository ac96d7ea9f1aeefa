"""Short names for the common shapes of rule records, and the one broadcasting helper.

* :func:`defunary` / :func:`defbinary`: elementwise ops, given only their local
  derivative(s); both the VJP (``g * d``, broadcasting undone) and the JVP (``t * d``)
  come from that one formula, so the two modes cannot drift apart. Complex numbers
  follow autograd's convention: no conjugate in the rule of a holomorphic op; the
  non-holomorphic ones (``abs``, ``conj``, ``real``, ``imag``) say so in their rules.
* :func:`deflinear`: ops linear in their (first) argument, whose JVP is the op itself.
* :func:`defzero`: piecewise-constant or integer-valued ops (zero derivative).
* :func:`unbroadcast`: sums a cotangent back to the shape (and dtype) of the input it
  belongs to. It is the only place broadcasting is undone.

Ops whose local derivative can be infinite or NaN where the function itself is fine
to use (sqrt at 0, log at 0, division by zero, ...) are marked ``singular``: their
rules multiply with :func:`safe_mul`, for which a zero cotangent gives a zero result
even against an infinite or NaN derivative. That is what makes
``grad(lambda x: where(x > 0, sqrt(x), 0.0))(-1.0)`` 0 rather than NaN.
"""

from __future__ import annotations

import operator

import numpy as np

from chainrule.core.primitive import Primitive, defprimitive
from chainrule.core.trace import Box, unbox_all

_ndarray = np.ndarray


def shape_of(x) -> tuple:
    if type(x) is _ndarray:
        return x.shape
    return np.shape(unbox_all(x))


def dtype_of(x):
    if type(x) is _ndarray:
        return x.dtype
    x = unbox_all(x)
    if isinstance(x, np.ndarray | np.generic):
        return x.dtype
    if isinstance(x, list | tuple):  # array-likes (result_type would read them as dtypes)
        return np.asarray(x).dtype
    return np.result_type(x)


def ndim_of(x) -> int:
    return np.ndim(unbox_all(x))


def _safe_mul_impl(xp, g, d):
    out = xp.multiply(g, d)
    if out.dtype.kind in "fc" and not xp.isfinite(out).all():
        out = xp.where(xp.equal(g, 0), xp.zeros((), out.dtype), out)
    return out


# d(g * d) = dg * d + g * dd, each factor kept NaN-safe against the other's zeros.
safe_mul = defprimitive(
    "safe_mul",
    _safe_mul_impl,
    vjp={
        0: lambda ans, g, d: lambda ct: unbroadcast(safe_mul(ct, d), g),
        1: lambda ans, g, d: lambda ct: unbroadcast(safe_mul(ct, g), d),
    },
    jvp={
        0: lambda t, ans, g, d: broadcast_like(safe_mul(t, d), ans),
        1: lambda t, ans, g, d: broadcast_like(safe_mul(g, t), ans),
    },
)


def unbroadcast(ct, like):
    """Sum ``ct`` over the axes that broadcasting added to ``like``; match its dtype."""
    if type(ct) is _ndarray and type(like) is _ndarray:  # the common case, fast
        if ct.shape == like.shape and ct.dtype == like.dtype:
            return ct
    shape = shape_of(like)
    ct_shape = shape_of(ct)
    if ct_shape != shape:
        from chainrule.primitives import reductions

        extra = len(ct_shape) - len(shape)
        if extra > 0:
            ct = reductions.sum(ct, axis=tuple(range(extra)))
        axes = tuple(i for i, n in enumerate(shape) if n == 1 and ct_shape[extra + i] != 1)
        if axes:
            ct = reductions.sum(ct, axis=axes, keepdims=True)
    target = dtype_of(like)
    have = dtype_of(ct)
    if have != target:
        from chainrule.primitives import elementwise

        if target.kind == "f":
            if have.kind == "c":
                ct = elementwise.real(ct)
            ct = elementwise.astype(ct, target)
        elif target.kind == "c":
            ct = elementwise.astype(ct, target)
    return ct


def broadcast_like(t, ans):
    """Give a tangent the output's shape (a tangent of a broadcast input is smaller) and,
    for a real floating output, its dtype: a float32 result keeps a float32 tangent even
    when a rule's constants (or a mixed-precision input) computed it in float64."""
    out_shape = shape_of(ans)
    if shape_of(t) != out_shape:
        from chainrule.primitives import shape as shape_ops

        t = shape_ops.broadcast_to(t, out_shape)
    want = dtype_of(ans)
    if want.kind == "f":
        have = dtype_of(t)
        if have != want and have.kind == "f":
            from chainrule.primitives import elementwise

            t = elementwise.astype(t, want)
    return t


def _conj_if_complex(d):
    """``conj(d)`` for complex ``d``; real ``d`` unchanged (and no traced op)."""
    if dtype_of(d).kind != "c":
        return d
    from chainrule.primitives import elementwise

    return elementwise.conj(d)


def _named(impl, name):
    """Give a lambda forward the public name, so that an unsupported keyword (a ufunc's
    ``out=``, ``where=``, ``dtype=``) fails as ``chainrule.numpy.sin() got an
    unexpected keyword argument 'out'`` rather than as ``<lambda>() ...``."""
    if getattr(impl, "__name__", None) == "<lambda>":
        impl.__qualname__ = f"chainrule.numpy.{name}"
    return impl


def defunary(name, impl, deriv, *, singular=False, **extra):
    """Elementwise ``f(x)`` with local derivative ``deriv(ans, x)``."""
    mul = safe_mul if singular else operator.mul
    impl = _named(impl, name)

    def vjp(ans, x, **kw):
        d = deriv(ans, x, **kw)
        return lambda g: unbroadcast(mul(g, d), x)

    def jvp(t, ans, x, **kw):
        return broadcast_like(mul(t, deriv(ans, x, **kw)), ans)

    return defprimitive(name, impl, vjp={0: vjp}, jvp={0: jvp}, **extra)


def defbinary(name, impl, dx, dy, *, singular=False, **extra):
    """Elementwise ``f(x, y)`` with partials ``dx(ans, x, y)`` and ``dy(ans, x, y)``."""
    mul = safe_mul if singular else operator.mul
    impl = _named(impl, name)

    def make_vjp(deriv, argnum):
        def vjp(ans, x, y, **kw):
            d = deriv(ans, x, y, **kw)
            like = x if argnum == 0 else y
            return lambda g: unbroadcast(mul(g, d), like)

        return vjp

    def make_jvp(deriv):
        return lambda t, ans, x, y, **kw: broadcast_like(mul(t, deriv(ans, x, y, **kw)), ans)

    return defprimitive(
        name,
        impl,
        vjp={0: make_vjp(dx, 0), 1: make_vjp(dy, 1)},
        jvp={0: make_jvp(dx), 1: make_jvp(dy)},
        **extra,
    )


def deflinear(name, impl, transpose, *, nondiff=(), **extra):
    """An op linear in argument 0: JVP is the op applied to the tangent; the VJP is
    ``transpose(g, ans, x, *rest, **kw)``."""

    def vjp(ans, x, *rest, **kw):
        return lambda g: transpose(g, ans, x, *rest, **kw)

    def jvp(t, ans, x, *rest, **kw):
        return prim(t, *rest, **kw)

    prim = defprimitive(name, impl, vjp={0: vjp}, jvp={0: jvp}, nondiff=nondiff, **extra)
    return prim


def defzero(name, impl, **extra):
    """A piecewise-constant or integer-valued op: derivative zero, output untraced."""
    return defprimitive(name, _named(impl, name), zero_derivative=True, **extra)


def _tuple_getitem_vjp(ans, res, i):
    n = len(unbox_all(res))

    def pull(g):
        return tuple(g if j == i else None for j in range(n))

    return pull


# Multiple-result primitives (eigh, qr, svd, slogdet) return one traced tuple; their
# public wrappers split it with tuple_getitem. The cotangent of the tuple is a tuple
# with None for the outputs that were not used, which the joint VJP treats as zeros.
tuple_getitem = defprimitive(
    "tuple_getitem",
    lambda xp, res, i: res[i],
    vjp={0: _tuple_getitem_vjp},
    jvp={0: lambda t, ans, res, i: t[i]},
    nondiff=(1,),
)


def split_results(res, n: int) -> tuple:
    """Split the traced tuple returned by a multiple-result primitive."""
    return tuple(tuple_getitem(res, i) for i in range(n))


def with_fast_path(prim):
    """The public function for a primitive whose forward is a NumPy ufunc.

    On plain ``ndarray``/float arguments it calls the ufunc directly (the array
    namespace of a plain ndarray is NumPy by definition); anything else — boxes, other
    array types, keyword arguments — goes through the primitive, which does the
    namespace lookup and the tracing. This halves the cost of the untraced calls that
    rules make in the backward pass. ``fn.primitive`` is the registry record.
    """
    if not isinstance(prim, Primitive):  # a composition, not a primitive
        return prim
    ufunc = getattr(np, prim.name, None)
    if not isinstance(ufunc, np.ufunc) or ufunc.nin not in (1, 2):
        return prim
    plain = (_ndarray, float)

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
