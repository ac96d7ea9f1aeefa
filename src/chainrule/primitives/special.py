"""Special functions with SciPy's names and signatures (``scipy.special``), SciPy-free.

``chainrule.scipy.special`` re-exports this module. The forwards are written with NumPy
only, in float64 (float32/float16 inputs get results of their own dtype):

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

import functools
import math
from fractions import Fraction

import numpy as np

from chainrule.core.primitive import defprimitive
from chainrule.core.trace import Box, unbox_all
from chainrule.primitives._helpers import (
    broadcast_like,
    defbinary,
    defunary,
    shape_of,
    unbroadcast,
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


# -- numerical kernels (plain arrays only) ----------------------------------------------

# B_2, B_4, ..., B_20
_BERNOULLI = [
    Fraction(1, 6),
    Fraction(-1, 30),
    Fraction(1, 42),
    Fraction(-1, 30),
    Fraction(5, 66),
    Fraction(-691, 2730),
    Fraction(7, 6),
    Fraction(-3617, 510),
    Fraction(43867, 798),
    Fraction(-174611, 330),
]
_HALF_LOG_2PI = 0.5 * math.log(2.0 * math.pi)
_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)
_SHIFT = 10.0  # the series below are used once the argument is at least this large
_ERF_SPLIT = 1.5  # |x| below: the power series for erf; above: the continued fraction


def _floating(xp, x, name):
    """``x`` as a float64 array and the dtype the result should have."""
    x = xp.asarray(x)
    if x.dtype.kind == "c":
        raise TypeError(f"{name}: complex inputs are not supported")
    out_dtype = x.dtype if x.dtype.kind == "f" else np.dtype(np.float64)
    return x.astype(np.float64), out_dtype


def _result(r, dtype):
    return r.astype(dtype, copy=False)[()]


def _reduced(xp, x):
    """x = n + r with n an integer and |r| <= 1/2 (both exact); and (-1)^n."""
    n = xp.round(x)
    parity = xp.where(xp.equal(xp.fmod(n, 2.0), 0.0), 1.0, -1.0)
    return x - n, parity


def _sinpi(xp, x):
    """sin(pi x), exact zeros at the integers and no loss of digits near them."""
    r, parity = _reduced(xp, x)
    return parity * xp.sin(math.pi * r)


def _cospi(xp, x):
    r, parity = _reduced(xp, x)
    return parity * xp.cos(math.pi * r)


def _erf_series(xp, x):
    x2 = x * x
    term = x.copy()
    acc = x.copy()
    for k in range(1, 80):
        term = term * (2.0 * x2) / (2 * k + 1)
        acc = acc + term
        if not (xp.abs(term) > 1e-17 * xp.abs(acc)).any():
            break
    return _TWO_OVER_SQRT_PI * xp.exp(-x2) * acc


def _exp_minus_square(xp, x):
    """e^(-x²) without the rounding error of x² (which is ~x² ulps in the result):
    x = h + l with h on a 1/16 grid, so h² is exact and -x² = -h² - l (x + h)."""
    h = xp.round(x * 16.0) / 16.0
    with np.errstate(invalid="ignore", over="ignore"):
        # beyond |x| = 40 the result underflows (and inf * 0 must not make a NaN)
        return xp.where(xp.abs(x) > 40.0, 0.0, xp.exp(-h * h) * xp.exp(-(x - h) * (x + h)))


def _erfc_cf(xp, x):
    """erfc for x >= 1.5: e^(-x²)/sqrt(pi) / (x + (1/2)/(x + 1/(x + (3/2)/(x + ...))))."""
    t = x.copy()
    for k in range(120, 0, -1):
        t = x + (0.5 * k) / t
    with np.errstate(invalid="ignore", over="ignore"):
        return _exp_minus_square(xp, x) / (math.sqrt(math.pi) * t)


def _erf_impl(xp, x):
    x, dt = _floating(xp, x, "erf")
    flat = x.reshape(-1)
    out = xp.empty_like(flat)
    small = xp.abs(flat) < _ERF_SPLIT
    out[small] = _erf_series(xp, flat[small])
    big = flat[~small]
    out[~small] = xp.sign(big) * (1.0 - _erfc_cf(xp, xp.abs(big)))
    return _result(out.reshape(x.shape), dt)


def _erfc_impl(xp, x):
    x, dt = _floating(xp, x, "erfc")
    flat = x.reshape(-1)
    out = xp.empty_like(flat)
    hi = flat >= _ERF_SPLIT
    lo = flat <= -_ERF_SPLIT
    mid = ~(hi | lo)  # NaN lands here and stays NaN
    out[hi] = _erfc_cf(xp, flat[hi])
    out[lo] = 2.0 - _erfc_cf(xp, -flat[lo])
    out[mid] = 1.0 - _erf_series(xp, flat[mid])
    return _result(out.reshape(x.shape), dt)


def _erfinv_impl(xp, x):
    x, dt = _floating(xp, x, "erfinv")
    a = xp.abs(x)
    inside = a < 1.0
    ai = xp.where(inside, a, 0.0)
    # Winitzki's closed form (relative error ~2e-3) as the starting point
    c = 0.147
    ln = xp.log1p(-ai * ai)
    u = 2.0 / (math.pi * c) + 0.5 * ln
    y = xp.sqrt(xp.sqrt(u * u - ln / c) - u)
    tail = ai > 0.5
    one_minus = 1.0 - ai  # exact for ai in [0.5, 1]
    for _ in range(4):
        # Newton on erf(y) = a, written with erfc in the tail to keep digits
        f = xp.where(tail, one_minus - _erfc_impl(xp, y), _erf_impl(xp, y) - ai)
        y = y - f / (_TWO_OVER_SQRT_PI * xp.exp(-y * y))
    y = xp.where(inside, y, xp.where(a == 1.0, xp.inf, xp.nan))
    return _result(xp.sign(x) * y, dt)


def _shifted(xp, x, step):
    """Shift each entry up by whole units until it reaches ``_SHIFT``, accumulating
    ``step(z)`` over the values z passed on the way."""
    z = x.copy()
    acc = xp.zeros_like(x)
    need = z < _SHIFT
    while need.any():
        acc = acc + xp.where(need, step(xp.where(need, z, 1.0)), 0.0)
        z = xp.where(need, z + 1.0, z)
        need = z < _SHIFT
    return z, acc


def _gammaln_positive(xp, x):
    # lnΓ(x) = lnΓ(x + m) - ln(x (x+1) ... (x+m-1)); the product is taken in blocks
    # before the log (fewer roundings), then Stirling's series at z = x + m >= 10.
    z = x.copy()
    prod = xp.ones_like(x)
    need = z < _SHIFT
    while need.any():
        prod = xp.where(need, prod * z, prod)
        z = xp.where(need, z + 1.0, z)
        need = z < _SHIFT
    iz = 1.0 / z
    iz2 = iz * iz
    series = xp.zeros_like(x)
    power = iz
    for k, b in enumerate(_BERNOULLI[:8], start=1):
        series = series + float(b / (2 * k * (2 * k - 1))) * power
        power = power * iz2
    with np.errstate(invalid="ignore"):
        out = (z - 0.5) * xp.log(z) - z + _HALF_LOG_2PI + series - xp.log(prod)
    return xp.where(xp.isinf(x), xp.inf, out)


def _gammaln_impl(xp, x):
    x, dt = _floating(xp, x, "gammaln")
    pos = x > 0
    out = _gammaln_positive(xp, xp.where(pos, x, 1.0))
    neg = ~pos
    if neg.any():
        # reflection: lnΓ(x) = ln(pi / |sin(pi x)|) - lnΓ(1 - x); poles at 0, -1, ...
        xn = xp.where(neg, x, -0.5)
        with np.errstate(divide="ignore"):
            refl = math.log(math.pi) - xp.log(xp.abs(_sinpi(xp, xn)))
        refl = refl - _gammaln_positive(xp, 1.0 - xn)
        pole = xp.floor(xn) == xn
        refl = xp.where(pole, xp.inf, refl)
        out = xp.where(neg, refl, out)
    out = xp.where(xp.isnan(x), xp.nan, out)
    return _result(out, dt)


def _digamma_positive(xp, x):
    # ψ(x) = ψ(x + m) - sum 1/(x + k); ψ(z) ~ ln z - 1/(2z) - sum B_2k / (2k z^2k)
    z, acc = _shifted(xp, x, lambda z: 1.0 / z)
    iz2 = 1.0 / (z * z)
    series = xp.zeros_like(x)
    power = iz2
    for k, b in enumerate(_BERNOULLI[:8], start=1):
        series = series + float(b / (2 * k)) * power
        power = power * iz2
    return xp.log(z) - 0.5 / z - series - acc


def _digamma_impl(xp, x):
    x, dt = _floating(xp, x, "digamma")
    pos = x > 0
    out = _digamma_positive(xp, xp.where(pos, x, 1.0))
    neg = ~pos
    if neg.any():
        # reflection: ψ(x) = ψ(1 - x) - pi cot(pi x); poles at 0, -1, -2, ...
        xn = xp.where(neg, x, -0.5)
        with np.errstate(divide="ignore", invalid="ignore"):
            refl = _digamma_positive(xp, 1.0 - xn) - math.pi * _cospi(xp, xn) / _sinpi(xp, xn)
        pole = xp.floor(xn) == xn
        refl = xp.where(pole, xp.where(xn == 0, -xp.inf, xp.nan), refl)
        out = xp.where(neg, refl, out)
    out = xp.where(xp.isnan(x), xp.nan, out)
    return _result(out, dt)


def _hurwitz_zeta(xp, s: int, x):
    """ζ(s, x) = sum_k (x + k)^-s for an integer s >= 2 and x not in {0, -1, ...}."""
    limit = _SHIFT + s  # larger orders need a larger argument for the series
    z = x.copy()
    acc = xp.zeros_like(x)
    need = z < limit
    with np.errstate(divide="ignore", over="ignore"):
        while need.any():
            acc = acc + xp.where(need, xp.where(need, z, 1.0) ** (-s), 0.0)
            z = xp.where(need, z + 1.0, z)
            need = z < limit
    # Euler-Maclaurin at z: z^(1-s)/(s-1) + z^-s/2 + sum B_2j/(2j)! s(s+1)...(s+2j-2) z^(-s-2j+1)
    zs = z ** (-s)
    tail = z * zs / (s - 1) + 0.5 * zs
    power = zs / z
    iz2 = 1.0 / (z * z)
    rising = float(s)
    for j, b in enumerate(_BERNOULLI, start=1):
        tail = tail + float(b / math.factorial(2 * j)) * rising * power
        rising *= (s + 2 * j - 1) * (s + 2 * j)
        power = power * iz2
    with np.errstate(invalid="ignore"):
        return xp.where(xp.isinf(z), 0.0, acc + tail)


@functools.cache
def _cot_derivative_coeffs(n: int) -> tuple:
    """Coefficients (lowest power first) of the polynomial P_n with
    d^n/dy^n cot y = P_n(cot y): P_0 = c, P_(k+1) = -(1 + c²) P_k'(c)."""
    p = [0, 1]
    for _ in range(n):
        dp = [k * p[k] for k in range(1, len(p))] or [0]
        nxt = [0] * (len(dp) + 2)
        for k, coeff in enumerate(dp):
            nxt[k] -= coeff
            nxt[k + 2] -= coeff
        p = nxt
    return tuple(p)


def _polygamma_impl(xp, x, n):
    if n == 0:
        return _digamma_impl(xp, x)
    x, dt = _floating(xp, x, "polygamma")
    # ψ⁽ⁿ⁾(x) = (-1)^(n+1) n! ζ(n + 1, x) for x > 0
    sign = 1.0 if n % 2 else -1.0
    pos = x > 0
    finite = xp.isfinite(x)
    out = sign * math.factorial(n) * _hurwitz_zeta(xp, n + 1, xp.where(pos & finite, x, 1.0))
    out = xp.where(x == xp.inf, 0.0, out)
    neg = ~pos & finite
    if neg.any():
        # reflection, differentiated n times: ψ⁽ⁿ⁾(x) = (-1)^n ψ⁽ⁿ⁾(1 - x) - pi^(n+1) P_n(cot pi x)
        xn = xp.where(neg, x, -0.5)
        positive = sign * math.factorial(n) * _hurwitz_zeta(xp, n + 1, 1.0 - xn)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            cot = _cospi(xp, xn) / _sinpi(xp, xn)
            poly = xp.zeros_like(xn)
            for coeff in reversed(_cot_derivative_coeffs(n)):
                poly = poly * cot + float(coeff)
            refl = (-1.0) ** n * positive - math.pi ** (n + 1) * poly
        pole = xp.floor(xn) == xn
        refl = xp.where(pole, xp.inf if n % 2 else xp.nan, refl)
        out = xp.where(neg, refl, out)
    out = xp.where(xp.isnan(x) | (x == -xp.inf), xp.nan, out)
    return _result(out, dt)


def _expit_impl(xp, x):
    # 1/(1 + e^-x), written so that neither branch overflows
    e = xp.exp(-xp.abs(x))
    return xp.where(xp.greater_equal(x, 0), 1.0 / (1.0 + e), e / (1.0 + e))


def _logit_impl(xp, p):
    # near p = 1/2 (where logit is near 0) use log1p of the exact 2p - 1 over 1 - p
    with np.errstate(divide="ignore", invalid="ignore"):
        mid = xp.logical_and(xp.greater_equal(p, 0.25), xp.less_equal(p, 0.75))
        return xp.where(mid, xp.log1p((2.0 * p - 1.0) / (1.0 - p)), xp.log(p / (1.0 - p)))


# -- elementwise primitives -----------------------------------------------------------------
# d erf = 2/sqrt(pi) e^(-x²)
erf = defunary("erf", _erf_impl, lambda a, x: _TWO_OVER_SQRT_PI * _E().exp(-(x * x)))
erfc = defunary("erfc", _erfc_impl, lambda a, x: -_TWO_OVER_SQRT_PI * _E().exp(-(x * x)))
# d erfinv = sqrt(pi)/2 e^(erfinv(x)²)  (infinite at ±1)
erfinv = defunary(
    "erfinv",
    _erfinv_impl,
    lambda a, x: (0.5 * math.sqrt(math.pi)) * _E().exp(a * a),
    singular=True,
)
# d lnΓ = ψ
gammaln = defunary("gammaln", _gammaln_impl, lambda a, x: digamma(x))
# d ψ = ψ⁽¹⁾
digamma = defunary("digamma", _digamma_impl, lambda a, x: _polygamma(x, n=1))
psi = digamma
# d ψ⁽ⁿ⁾ = ψ⁽ⁿ⁺¹⁾
_polygamma = defunary("polygamma", _polygamma_impl, lambda a, x, n: _polygamma(x, n=n + 1))


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
expit = defunary("expit", _expit_impl, lambda a, x: a * (1.0 - a))
# d logit = 1/(p (1 - p))
logit = defunary("logit", _logit_impl, lambda a, p: 1.0 / (p * (1.0 - p)), singular=True)


def _x_over(x, y):
    """x / y, taken as 0 wherever x == 0 (even where y == 0)."""
    E = _E()
    zero = E.equal(x, 0.0)
    return E.where(zero, 0.0, x / E.where(zero, 1.0, y))


def _xlogy_impl(xp, x, y):
    with np.errstate(divide="ignore", invalid="ignore"):
        r = x * xp.log(y)
    return xp.where(xp.logical_and(xp.equal(x, 0), ~xp.isnan(y)), 0.0, r)


def _xlog1py_impl(xp, x, y):
    with np.errstate(divide="ignore", invalid="ignore"):
        r = x * xp.log1p(y)
    return xp.where(xp.logical_and(xp.equal(x, 0), ~xp.isnan(y)), 0.0, r)


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
    return -_E().logaddexp(0.0, -x)


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
    w = E.exp(a - _kept(ans, full, axis, keepdims))
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
