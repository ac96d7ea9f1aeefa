"""Special functions with SciPy's names and signatures (``scipy.special``), SciPy-free.

``chainrule.scipy.special`` re-exports this module. The forwards (in
:mod:`.special_kernels`) use NumPy only, in float64 (float32/float16 inputs get results
of their own dtype):

* ``erf``/``erfc``: the everywhere-positive series
  ``erf x = 2/sqrt(pi) e^(-x²) sum_k 2^k x^(2k+1) / (1·3···(2k+1))`` for ``|x| < 1.5``,
  Laplace's continued fraction for ``erfc`` beyond (no cancellation in either);
  ``erfinv`` refines a closed-form first guess with Newton steps on ``erf``/``erfc``.
* ``gammaln``, ``digamma`` and ``polygamma``: the recurrence ``f(x) = f(x + 1) - ...``
  shifts the argument to ``x >= 10``, where the Stirling / Euler-Maclaurin series (with
  Bernoulli numbers) is accurate to a few ulps. Negative arguments use the reflection
  formula, differentiated n times for ``polygamma`` (the derivatives of cot are
  polynomials in cot). Accuracy: about 1e-14 absolute for ``gammaln`` near its zeros,
  1e-15 relative elsewhere (near the poles better than SciPy's own).
* ``logsumexp``, ``softmax`` and ``log_softmax`` subtract the maximum first.

Derivatives chain through the family: gammaln' = digamma, digamma' = polygamma(1, ·),
polygamma(n, ·)' = polygamma(n + 1, ·), so derivatives of every order exist.
``polygamma``'s order ``n`` is a static integer (not differentiable).
"""

from __future__ import annotations

import math

import numpy as np

from chainrule.core.primitive import defprimitive
from chainrule.core.trace import Box, unbox_all
from chainrule.primitives._helpers import (
    broadcast_like,
    defbinary,
    defunary,
    dtype_of,
    shape_of,
    unbroadcast,
)
from chainrule.primitives.special_kernels import (
    as_floating,
    digamma_impl,
    erf_impl,
    erfc_impl,
    erfinv_impl,
    expit_impl,
    gammaln_impl,
    logit_impl,
    polygamma_impl,
)

__all__ = [
    "digamma",
    "erf",
    "erfc",
    "erfinv",
    "expit",
    "gammaln",
    "log_expit",
    "log_softmax",
    "logit",
    "logsumexp",
    "ndtr",
    "polygamma",
    "psi",
    "softmax",
    "xlog1py",
    "xlogy",
]


def _E():
    from chainrule.primitives import elementwise

    return elementwise


def _R():
    from chainrule.primitives import reductions

    return reductions


def _S():
    from chainrule.primitives import shape

    return shape


_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)


# -- elementwise primitives -----------------------------------------------------------------
# d erf = 2/sqrt(pi) e^(-x²)
erf = defunary("erf", erf_impl, lambda a, x: _TWO_OVER_SQRT_PI * _E().exp(-(x * x)))
erfc = defunary("erfc", erfc_impl, lambda a, x: -_TWO_OVER_SQRT_PI * _E().exp(-(x * x)))
# d erfinv = sqrt(pi)/2 e^(erfinv(x)²)  (infinite at ±1)
erfinv = defunary(
    "erfinv",
    erfinv_impl,
    lambda a, x: (0.5 * math.sqrt(math.pi)) * _E().exp(a * a),
    singular=True,
)
# d lnΓ = ψ
gammaln = defunary("gammaln", gammaln_impl, lambda a, x: digamma(x))
# d ψ = ψ⁽¹⁾
digamma = defunary("digamma", digamma_impl, lambda a, x: _polygamma(x, n=1))
psi = digamma
# d ψ⁽ⁿ⁾ = ψ⁽ⁿ⁺¹⁾
_polygamma = defunary("polygamma", polygamma_impl, lambda a, x, n: _polygamma(x, n=n + 1))


def polygamma(n, x):
    """The n-th derivative of digamma; ``n`` must be a non-negative integer."""
    n_val = unbox_all(n)
    if isinstance(n_val, np.ndarray):
        if n_val.ndim != 0:
            raise TypeError("polygamma: n must be one integer (arrays of orders are not supported)")
        n_val = n_val.item()
    if isinstance(n_val, float) and n_val.is_integer():
        n_val = int(n_val)
    if not isinstance(n_val, int | np.integer) or n_val < 0:
        raise ValueError(f"polygamma: n must be a non-negative integer, got {n!r}")
    return _polygamma(x, n=int(n_val))


# d expit = expit (1 - expit)
expit = defunary("expit", expit_impl, lambda a, x: a * (1.0 - a))
# d logit = 1/(p (1 - p))
# (``divide``, not ``/``: p may be a plain Python 0.0, where NumPy gives inf)
logit = defunary("logit", logit_impl, lambda a, p: _E().divide(1.0, p * (1.0 - p)), singular=True)


def _x_over(x, y):
    """x / y, taken as 0 wherever x == 0 (even where y == 0)."""
    E = _E()
    zero = E.equal(x, 0.0)
    return E.where(zero, 0.0, x / E.where(zero, 1.0, y))


def _xlogy_impl(xp, x, y):
    x, y = as_floating(xp, x), as_floating(xp, y)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = x * xp.log(y)
    return xp.where(xp.logical_and(xp.equal(x, 0), ~xp.isnan(y)), 0.0, r)[()]


def _xlog1py_impl(xp, x, y):
    x, y = as_floating(xp, x), as_floating(xp, y)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = x * xp.log1p(y)
    return xp.where(xp.logical_and(xp.equal(x, 0), ~xp.isnan(y)), 0.0, r)[()]


# d(x log y) = log y dx + x/y dy
xlogy = defbinary(
    "xlogy",
    _xlogy_impl,
    lambda a, x, y: _E().log(y),
    lambda a, x, y: _x_over(x, y),
    singular=True,
)
xlog1py = defbinary(
    "xlog1py",
    _xlog1py_impl,
    lambda a, x, y: _E().log1p(y),
    lambda a, x, y: _x_over(x, 1.0 + y),
    singular=True,
)


def ndtr(x):
    """The standard normal CDF, ``erfc(-x / sqrt 2) / 2``."""
    return 0.5 * erfc(x * (-1.0 / math.sqrt(2.0)))


def log_expit(x):
    """``log(expit(x)) = -logaddexp(0, -x)``, stable for large |x|."""
    return -_E().logaddexp(0.0, -_float_operand(x))


# -- reductions: logsumexp, softmax, log_softmax --------------------------------------------


def _norm_axis(axis, ndim):
    from chainrule.primitives.reductions import normalize_axis

    return normalize_axis(axis, ndim)


def _kept(v, shape, axis, keepdims):
    """A reduction result ``v`` in its keepdims=True shape (broadcasts against inputs)."""
    if keepdims:
        return v
    kd = (
        (1,) * len(shape)
        if axis is None
        else tuple(1 if i in axis else n for i, n in enumerate(shape))
    )
    return _S().reshape_to(v, kd)


def _logsumexp_impl(xp, a, b=None, *, axis, keepdims, signed):
    a = xp.asarray(a)
    if b is not None:
        a, b = xp.broadcast_arrays(a, xp.asarray(b))
    if a.size == 0:
        return xp.full(xp.sum(a, axis=axis, keepdims=keepdims).shape, -xp.inf)
    masked = a if b is None else xp.where(xp.equal(b, 0), -xp.inf, a)
    m = xp.max(masked, axis=axis, keepdims=True)
    m = xp.where(xp.isfinite(m), m, 0.0)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        e = xp.exp(a - m)
        if b is not None:
            e = b * e
        s = xp.sum(e, axis=axis, keepdims=True)
        out = xp.log(xp.abs(s) if signed else s) + m
    if not keepdims:
        out = xp.squeeze(out, axis=axis)
    return out[()] if out.ndim == 0 else out


def _lse_weights(ans, a, b, axis, keepdims, signed):
    """d logsumexp / da = b e^(a - ans) (times sign(s) for the signed magnitude),
    in the broadcast shape of a and b."""
    E = _E()
    full = shape_of(a) if b is None else np.broadcast_shapes(shape_of(a), shape_of(b))
    diff = a - _kept(ans, full, axis, keepdims)
    # a slice whose answer is infinite (all -inf, or some +inf) has inf - inf = NaN here:
    # its infinite entries equal to the answer share the weight as max's ties do (1/k
    # each; b_i / sum b with weights b), instead of a NaN gradient
    stuck = np.isnan(unbox_all(diff)) & np.isinf(np.broadcast_to(unbox_all(a), full))
    if stuck.any():
        bv = 1.0 if b is None else np.broadcast_to(unbox_all(b), full)
        total = np.abs(np.sum(np.where(stuck, bv, 0.0), axis=axis, keepdims=True))
        share = -np.log(np.where(total > 0, total, 1.0))
        diff = E.where(stuck, np.broadcast_to(share, full).astype(dtype_of(diff)), diff)
    w = E.exp(diff)
    if signed:
        bw = w if b is None else b * w
        w = w * E.sign(_R().sum(bw, axis=axis, keepdims=True))
    return w, full


def _to_shape(x, shape):
    return x if shape_of(x) == tuple(shape) else _S().broadcast_to(x, shape)


def _lse_vjp(argnum):
    def vjp(ans, a, b=None, *, axis, keepdims, signed):
        w, full = _lse_weights(ans, a, b, axis, keepdims, signed)
        if argnum == 0 and b is not None:
            w = w * b

        def pull(g):
            ct = _to_shape(_kept(g, full, axis, keepdims) * w, full)
            return unbroadcast(ct, a if argnum == 0 else b)

        return pull

    return vjp


def _lse_jvp(argnum):
    def jvp(t, ans, a, b=None, *, axis, keepdims, signed):
        w, full = _lse_weights(ans, a, b, axis, keepdims, signed)
        if argnum == 0 and b is not None:
            w = w * b
        return _R().sum(_to_shape(t * w, full), axis=axis, keepdims=keepdims)

    return jvp


# d logsumexp(a; b) = softmax-like weights: da_i -> b_i e^(a_i - lse), db_i -> e^(a_i - lse)
_logsumexp = defprimitive(
    "logsumexp",
    _logsumexp_impl,
    vjp={0: _lse_vjp(0), 1: _lse_vjp(1)},
    jvp={0: _lse_jvp(0), 1: _lse_jvp(1)},
)


def logsumexp(a, axis=None, b=None, keepdims=False, return_sign=False):
    """``log(sum(b * exp(a)))`` over ``axis``, computed without overflow. With
    ``return_sign`` it returns ``(log|s|, sign(s))``, the sign carrying no gradient."""
    a = _float_operand(a)
    if b is not None:
        b = _float_operand(b)
    full = shape_of(a) if b is None else np.broadcast_shapes(shape_of(a), shape_of(b))
    ax = _norm_axis(axis, len(full))
    kw = dict(axis=ax, keepdims=bool(keepdims), signed=bool(return_sign))
    args = (a,) if b is None else (a, b)
    out = _logsumexp(*args, **kw)
    if not return_sign:
        return out
    # the sign is piecewise constant: computed on plain values, it is a constant
    av = np.asarray(unbox_all(a), dtype=np.float64)
    bv = None if b is None else np.asarray(unbox_all(b), dtype=np.float64)
    m = np.max(av, axis=ax, keepdims=True)
    m = np.where(np.isfinite(m), m, 0.0)
    e = np.exp(av - m) if bv is None else bv * np.exp(av - m)
    sign = np.sign(np.sum(e, axis=ax, keepdims=bool(keepdims)))
    return out, sign[()] if sign.ndim == 0 else sign


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
    return _R().sum(x, axis=axis, keepdims=True)


# s = softmax(x): ds = s (dx - sum(s dx))  (the Jacobian diag(s) - s sᵀ is symmetric)
softmax_p = defprimitive(
    "softmax",
    _softmax_impl,
    vjp={0: lambda ans, x, axis: lambda g: unbroadcast(ans * (g - _sum_kd(g * ans, axis)), x)},
    jvp={0: lambda t, ans, x, axis: broadcast_like(ans * (t - _sum_kd(t * ans, axis)), ans)},
)
# l = log_softmax(x): dl = dx - sum(e^l dx); the VJP is g - e^l sum(g)
log_softmax_p = defprimitive(
    "log_softmax",
    _log_softmax_impl,
    vjp={0: lambda ans, x, axis: lambda g: unbroadcast(g - _E().exp(ans) * _sum_kd(g, axis), x)},
    jvp={0: lambda t, ans, x, axis: broadcast_like(t - _sum_kd(_E().exp(ans) * t, axis), ans)},
)


def _float_operand(x):
    """Traced values pass through; plain inputs become floating arrays."""
    if isinstance(x, Box):
        return x
    x = np.asarray(x)
    return x if x.dtype.kind in "fc" else x.astype(np.float64)


def softmax(x, axis=None):
    """``exp(x) / sum(exp(x))`` over ``axis`` (all entries when None)."""
    x = _float_operand(x)
    return softmax_p(x, axis=_norm_axis(axis, len(shape_of(x))))


def log_softmax(x, axis=None):
    """``x - logsumexp(x)`` over ``axis``, without forming ``softmax`` first."""
    x = _float_operand(x)
    return log_softmax_p(x, axis=_norm_axis(axis, len(shape_of(x))))


def _install_overrides() -> None:
    """SciPy's special functions are ufuncs: ``scipy.special.erf(traced)`` reaches the
    boxes' ``__array_ufunc__``, which looks the ufunc's name up here."""
    from chainrule.core.primitive import numpy_overrides

    for name in ("erf", "erfc", "erfinv", "expit", "logit", "gammaln", "psi", "xlogy",
                 "xlog1py", "ndtr", "log_expit"):  # fmt: skip
        numpy_overrides.setdefault(name, globals()[name])


_install_overrides()
