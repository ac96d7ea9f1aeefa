"""Forward kernels of :mod:`chainrule.primitives.special`: NumPy only, float64 inside.

Each ``*_impl(xp, x, ...)`` takes and returns plain arrays (``xp`` is the array
namespace); float32/float16 inputs get results of their own dtype, integers float64.
The methods and their accuracy are described in :mod:`chainrule.primitives.special`.
"""

from __future__ import annotations

import functools
import math
from fractions import Fraction

import numpy as np

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


def erf_impl(xp, x):
    x, dt = _floating(xp, x, "erf")
    flat = x.reshape(-1)
    out = xp.empty_like(flat)
    small = xp.abs(flat) < _ERF_SPLIT
    out[small] = _erf_series(xp, flat[small])
    big = flat[~small]
    out[~small] = xp.sign(big) * (1.0 - _erfc_cf(xp, xp.abs(big)))
    return _result(out.reshape(x.shape), dt)


def erfc_impl(xp, x):
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


def erfinv_impl(xp, x):
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
        f = xp.where(tail, one_minus - erfc_impl(xp, y), erf_impl(xp, y) - ai)
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


def _reflected(xp, x, positive, reflection, at_poles):
    """``positive(x)`` for x > 0; for the others ``reflection(x)``, in terms of values at
    ``1 - x > 0``, and ``at_poles(x)`` at 0, -1, -2, ...; NaN stays NaN."""
    pos = x > 0
    out = positive(xp, xp.where(pos, x, 1.0))
    neg = ~pos
    if neg.any():
        xn = xp.where(neg, x, -0.5)
        with np.errstate(divide="ignore", invalid="ignore"):
            refl = reflection(xn)
        refl = xp.where(xp.floor(xn) == xn, at_poles(xn), refl)
        out = xp.where(neg, refl, out)
    return xp.where(xp.isnan(x), xp.nan, out)


def gammaln_impl(xp, x):
    x, dt = _floating(xp, x, "gammaln")
    # reflection: lnΓ(x) = ln(pi / |sin(pi x)|) - lnΓ(1 - x); poles at 0, -1, ...
    out = _reflected(
        xp,
        x,
        _gammaln_positive,
        lambda xn: (
            math.log(math.pi) - xp.log(xp.abs(_sinpi(xp, xn))) - _gammaln_positive(xp, 1.0 - xn)
        ),
        lambda xn: xp.inf,
    )
    return _result(out, dt)


def _digamma_positive(xp, x):
    # ψ(x) = ψ(x + m) - sum 1/(x + k); ψ(z) ~ ln z - 1/(2z) - sum B_2k / (2k z^2k)
    z, acc = _shifted(xp, x, lambda z: 1.0 / z)
    iz = 1.0 / z
    iz2 = iz * iz  # not 1 / z², which overflows (and warns) for z beyond 1e154
    series = xp.zeros_like(x)
    power = iz2
    for k, b in enumerate(_BERNOULLI[:8], start=1):
        series = series + float(b / (2 * k)) * power
        power = power * iz2
    return xp.log(z) - 0.5 / z - series - acc


def digamma_impl(xp, x):
    x, dt = _floating(xp, x, "digamma")
    # reflection: ψ(x) = ψ(1 - x) - pi cot(pi x); poles at 0, -1, -2, ...
    out = _reflected(
        xp,
        x,
        _digamma_positive,
        lambda xn: _digamma_positive(xp, 1.0 - xn) - math.pi * _cospi(xp, xn) / _sinpi(xp, xn),
        lambda xn: xp.where(xn == 0, -xp.inf, xp.nan),
    )
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


def polygamma_impl(xp, x, n):
    if n == 0:
        return digamma_impl(xp, x)
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


def as_floating(xp, x):
    """Integers and booleans as float64 (SciPy's loops for them), floats unchanged."""
    x = xp.asarray(x) if not isinstance(x, np.ndarray | np.generic | float) else x
    return x.astype(np.float64) if np.result_type(x).kind in "biu" else x


def expit_impl(xp, x):
    # 1/(1 + e^-x), written so that neither branch overflows
    x = as_floating(xp, x)
    e = xp.exp(-xp.abs(x))
    return xp.where(xp.greater_equal(x, 0), 1.0 / (1.0 + e), e / (1.0 + e))[()]


def logit_impl(xp, p):
    # near p = 1/2 (where logit is near 0) use log1p of the exact 2p - 1 over 1 - p
    if not isinstance(p, np.ndarray | np.generic):
        p = xp.float64(p) if isinstance(p, float | int) else xp.asarray(p)  # not Python's /
    with np.errstate(divide="ignore", invalid="ignore"):
        mid = xp.logical_and(xp.greater_equal(p, 0.25), xp.less_equal(p, 0.75))
        return xp.where(mid, xp.log1p((2.0 * p - 1.0) / (1.0 - p)), xp.log(p / (1.0 - p)))[()]
