"""Matrix decompositions (part of ``chainrule.numpy.linalg``): ``cholesky``, ``eigh``,
``eigvalsh``, ``qr``, ``svd`` and ``svdvals``, with their records and public functions
(the general ``eig`` is in :mod:`.linalg_eig`). ``eigh``/``eigvalsh``, ``svd`` and
``svdvals`` take complex matrices too: their JVPs are written with conjugate transposes
and their VJPs, for complex input, are the transposes of the JVPs.

The derivatives of eigen- and singular vectors divide by eigenvalue (singular value)
gaps; the conventions for symmetrising, signs and modes are listed in
:mod:`chainrule.primitives.linalg`.
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np

from chainrule.core.primitive import defprimitive
from chainrule.core.trace import is_boxed
from chainrule.primitives import elementwise as E
from chainrule.primitives import reductions as R
from chainrule.primitives import shape as S
from chainrule.primitives._helpers import (
    conj_p,
    dtype_of,
    namespace_of,
    real_p,
    shape_of,
    split_results,
)
from chainrule.primitives.joining import concatenate
from chainrule.primitives.linalg_common import (
    check_matrix,
    eye_for,
    floating_dtype,
    matrix_operand,
    mH,
    transposed_jvp,
    zeros_for,
)
from chainrule.primitives.linalg_solve import solve_p
from chainrule.primitives.products import matmul
from chainrule.primitives.shape import mT

__all__ = ["cholesky", "eigh", "eigvalsh", "qr", "svd", "svdvals"]

EighResult = namedtuple("EighResult", ["eigenvalues", "eigenvectors"])
QRResult = namedtuple("QRResult", ["Q", "R"])
SVDResult = namedtuple("SVDResult", ["U", "S", "Vh"])


# -- matrix helpers used by the rules (all differentiable) ------------------------------
def _sym(x):
    """The (Hermitian) symmetric part: (X + Xᴴ) / 2."""
    return (x + mH(x)) * 0.5


def _is_complex(x):
    return dtype_of(x).kind == "c"


def _diag_embed(v):
    """(..., n) -> (..., n, n) with ``v`` on the diagonal."""
    return E.multiply(S.expand_dims(v, -1), eye_for(shape_of(v)[-1], v))


def _diag_part(x):
    """(..., n, n) -> (..., n): the diagonal."""
    return R.sum(E.multiply(x, eye_for(shape_of(x)[-1], x)), axis=-1)


def _tril(x, k=0):
    n, m = shape_of(x)[-2:]
    xp = namespace_of(x)
    return E.multiply(x, xp.tril(xp.ones((n, m), floating_dtype(x)), k))


def _triu(x, k=0):
    n, m = shape_of(x)[-2:]
    xp = namespace_of(x)
    return E.multiply(x, xp.triu(xp.ones((n, m), floating_dtype(x)), k))


def _right_solve(x, r):
    """``x @ r⁻¹``, written as a solve."""
    return mT(solve_p(mT(r), mT(x)))


def _gap_inverse(w):
    """``F[i, j] = 1 / (w[j] - w[i])`` off the diagonal, 0 on it."""
    n = shape_of(w)[-1]
    eye = eye_for(n, w)
    gaps = S.expand_dims(w, -2) - S.expand_dims(w, -1)
    return E.divide(1.0 - eye, gaps + eye)


# -- symmetric decompositions: cholesky, eigh, eigvalsh ------------------------------------
def _sym_impl(xp, a):
    at = xp.swapaxes(a, -1, -2)
    return (a + (xp.conj(at) if xp.iscomplexobj(a) else at)) * 0.5


def _phi(x):
    """Lower triangle with half the diagonal: the part of X that dL Lᵀ + L dLᵀ fixes."""
    n = shape_of(x)[-1]
    xp = namespace_of(x)
    return E.multiply(x, xp.tril(xp.ones((n, n), floating_dtype(x)), -1) + 0.5 * eye_for(n, x))


def _cholesky_jvp(g, ans, a):
    # dL = L Φ(L⁻¹ dA L⁻ᵀ)
    half = solve_p(ans, _sym(g))  # L⁻¹ dA
    return matmul(ans, _phi(solve_p(ans, mT(half))))


def _cholesky_vjp(ans, a):
    # Ā = sym(L⁻ᵀ Φ(Lᵀ L̄) L⁻¹)
    def pull(g):
        inner = _phi(matmul(mT(ans), g))
        half = solve_p(mT(ans), mT(inner))  # L⁻ᵀ Φᵀ
        return _sym(solve_p(mT(ans), mT(half)))

    return pull


cholesky_p = defprimitive(
    "cholesky",
    lambda xp, a: xp.linalg.cholesky(_sym_impl(xp, a)),
    vjp={0: _cholesky_vjp},
    jvp={0: _cholesky_jvp},
)


def _eigh_vjp(argnums, ans, a):
    # Ā = V (diag(w̄) + F ∘ (Vᵀ V̄)) Vᵀ, symmetrised; F = 1/(wⱼ - wᵢ)
    if _is_complex(a):
        pull = transposed_jvp(lambda t: _eigh_jvp((t,), ans, a), a, zeros_for(shape_of(a), a))
        return lambda g: [pull(g)]
    w, v = split_results(ans, 2)

    def pull(g):
        gw, gv = g
        inner = None if gw is None else _diag_embed(gw)
        if gv is not None:
            rot = _gap_inverse(w) * matmul(mT(v), gv)
            inner = rot if inner is None else inner + rot
        if inner is None:
            return [zeros_for(shape_of(a), a)]
        return [_sym(matmul(matmul(v, inner), mT(v)))]

    return pull


def _eigh_jvp(gs, ans, a):
    # C = Vᴴ dA V:  dw = Re diag C,  dV = V (F ∘ C) (no change of each vector's phase)
    w, v = split_results(ans, 2)
    c = matmul(matmul(mH(v), _sym(gs[0])), v)
    dw = _diag_part(c)
    return (real_p(dw) if _is_complex(dw) else dw, matmul(v, _gap_inverse(w) * c))


eigh_p = defprimitive(
    "eigh",
    lambda xp, a: tuple(xp.linalg.eigh(_sym_impl(xp, a))),
    vjp_joint=_eigh_vjp,
    jvp_joint=_eigh_jvp,
    multiple_results=True,
)


def _eigvalsh_vjp(ans, a):
    # Ā = V diag(w̄) Vᵀ
    if _is_complex(a):
        return transposed_jvp(lambda t: _eigvalsh_jvp(t, ans, a), a, zeros_for(shape_of(a), a))
    v = split_results(eigh_p(a), 2)[1]
    return lambda g: matmul(v * S.expand_dims(g, -2), mT(v))


def _eigvalsh_jvp(g, ans, a):
    # dwᵢ = Re(vᵢᴴ dA vᵢ)
    v = split_results(eigh_p(a), 2)[1]
    dw = R.sum(conj_p(v) * matmul(_sym(g), v), axis=-2) if _is_complex(v) else (
        R.sum(v * matmul(_sym(g), v), axis=-2))  # fmt: skip
    return real_p(dw) if _is_complex(dw) else dw


eigvalsh_p = defprimitive(
    "eigvalsh",
    lambda xp, a: xp.linalg.eigvalsh(_sym_impl(xp, a)),
    vjp={0: _eigvalsh_vjp},
    jvp={0: _eigvalsh_jvp},
)


# -- qr and svd -------------------------------------------------------------------------------
def _qr_vjp(argnums, ans, a):
    # M = R̄ Rᵀ - Qᵀ Q̄,  Ā = (Q̄ + Q copyltu(M)) R⁻ᵀ  (copy M's upper triangle to the lower)
    q, r = split_results(ans, 2)

    def pull(g):
        gq, gr = g
        m = None if gr is None else matmul(gr, mT(r))
        if gq is not None:
            m = -matmul(mT(q), gq) if m is None else m - matmul(mT(q), gq)
        if m is None:
            return [zeros_for(shape_of(a), a)]
        x = matmul(q, _triu(m) + mT(_triu(m, 1)))
        if gq is not None:
            x = x + gq
        return [_right_solve(x, mT(r))]

    return pull


def _qr_jvp(gs, ans, a):
    # C = Qᵀ dA R⁻¹, Ω = low(C) - low(C)ᵀ:  dR = (C - Ω) R,  dQ = dA R⁻¹ - Q (C - Ω)
    q, r = split_results(ans, 2)
    g_rinv = _right_solve(gs[0], r)
    c = matmul(mT(q), g_rinv)
    low = _tril(c, -1)
    upper = c - low + mT(low)  # C - Ω
    return (g_rinv - matmul(q, upper), matmul(upper, r))


# Reduced QR of a tall (or square) matrix; the public ``qr`` handles wide ones.
qr_p = defprimitive(
    "qr",
    lambda xp, a: tuple(xp.linalg.qr(a, mode="reduced")),
    vjp_joint=_qr_vjp,
    jvp_joint=_qr_jvp,
    multiple_results=True,
)


def _svd_vjp(argnums, ans, a):
    # Ā = U [diag(s̄) + (F∘(UᵀŪ - ŪᵀU)) S + S (F∘(VᵀV̄ - V̄ᵀV))] Vᵀ
    #     + (I - UUᵀ) Ū S⁻¹ Vᵀ + U S⁻¹ V̄ᵀ (I - VVᵀ),   F = 1/(sⱼ² - sᵢ²)
    if _is_complex(a):
        pull = transposed_jvp(lambda t: _svd_jvp((t,), ans, a), a, zeros_for(shape_of(a), a))
        return lambda g: [pull(g)]
    u, s, vh = split_results(ans, 3)
    v = mT(vh)

    def pull(g):
        gu, gs, gvh = g
        if gu is None and gs is None and gvh is None:
            return [zeros_for(shape_of(a), a)]
        row, col = S.expand_dims(s, -2), S.expand_dims(s, -1)  # s as a row, s as a column
        core = 0.0 if gs is None else _diag_embed(gs)
        extra = 0.0
        f = _gap_inverse(s * s) if gu is not None or gvh is not None else None
        if gu is not None:
            utg = matmul(mT(u), gu)
            core = core + (f * (utg - mT(utg))) * row
            proj = gu - matmul(u, utg)  # (I - UUᵀ) Ū
            extra = extra + matmul(proj / row, vh)
        if gvh is not None:
            gv = mT(gvh)
            vtg = matmul(vh, gv)
            core = core + col * (f * (vtg - mT(vtg)))
            proj = gvh - matmul(matmul(gvh, v), vh)  # V̄ᵀ (I - VVᵀ)
            extra = extra + matmul(u / row, proj)
        return [matmul(matmul(u, core), vh) + extra]

    return pull


def _svd_jvp(gs, ans, a):
    # dP = Uᴴ dA V:  ds = Re diag dP,  dU = U (F∘(dP S + S dPᴴ)) + (I - UUᴴ) dA V S⁻¹,
    #                dV = V (F∘(S dP + dPᴴ S)) + (I - VVᴴ) dAᴴ U S⁻¹
    # For complex A the phases of uᵢ, vᵢ are free together; dU also turns uᵢ by
    # i Im(dPᵢᵢ)/sᵢ, the one phase change that keeps A = U S Vᴴ (vᵢ's phase is kept).
    u, s, vh = split_results(ans, 3)
    v = mH(vh)
    g = gs[0]
    row, col = S.expand_dims(s, -2), S.expand_dims(s, -1)
    f = _gap_inverse(s * s)
    gv = matmul(g, v)
    gtu = matmul(mH(g), u)
    dp = matmul(mH(u), gv)
    dps = dp * row
    sdp = col * dp
    du = matmul(u, f * (dps + mH(dps))) + (gv - matmul(u, matmul(mH(u), gv))) / row
    dv = matmul(v, f * (sdp + mH(sdp))) + (gtu - matmul(v, matmul(vh, gtu))) / row
    ds = _diag_part(dp)
    if _is_complex(ds):
        du = du + u * (1j * S.expand_dims(E.imag_p(ds), -2) / row)
        ds = real_p(ds)
    return (du, ds, mH(dv))


# Reduced SVD (full_matrices=False); s descending.
svd_p = defprimitive(
    "svd",
    lambda xp, a: tuple(xp.linalg.svd(a, full_matrices=False)),
    vjp_joint=_svd_vjp,
    jvp_joint=_svd_jvp,
    multiple_results=True,
)


def _svdvals_vjp(ans, a):
    # Ā = U diag(s̄) Vᵀ
    if _is_complex(a):
        return transposed_jvp(lambda t: _svdvals_jvp(t, ans, a), a, zeros_for(shape_of(a), a))
    u, _, vh = split_results(svd_p(a), 3)
    return lambda g: matmul(u * S.expand_dims(g, -2), vh)


def _svdvals_jvp(g, ans, a):
    # dsᵢ = Re(uᵢᴴ dA vᵢ)
    u, _, vh = split_results(svd_p(a), 3)
    ds = R.sum(conj_p(u) * matmul(g, mH(vh)), axis=-2) if _is_complex(u) else (
        R.sum(u * matmul(g, mT(vh)), axis=-2))  # fmt: skip
    return real_p(ds) if _is_complex(ds) else ds


svdvals_p = defprimitive(
    "svdvals",
    lambda xp, a: xp.linalg.svd(a, compute_uv=False),
    vjp={0: _svdvals_vjp},
    jvp={0: _svdvals_jvp},
)


# -- public functions: NumPy's names and signatures ----------------------------------------
def cholesky(a, /, *, upper=False):
    a = matrix_operand(a)
    check_matrix(a, "cholesky")
    low = cholesky_p(a)
    return mT(low) if upper else low


def _check_uplo(uplo):
    if uplo not in ("L", "U"):
        raise ValueError(f"UPLO argument must be 'L' or 'U', got {uplo!r}")


def eigh(a, UPLO="L"):  # noqa: N803 (NumPy's name)
    a = matrix_operand(a, complex_ok=True)
    check_matrix(a, "eigh")
    _check_uplo(UPLO)
    return EighResult(*split_results(eigh_p(a), 2))


def eigvalsh(a, UPLO="L"):  # noqa: N803
    a = matrix_operand(a, complex_ok=True)
    check_matrix(a, "eigvalsh")
    _check_uplo(UPLO)
    return eigvalsh_p(a)


def qr(a, mode="reduced"):
    if mode not in ("reduced", "complete", "r", "raw"):
        raise ValueError(f"qr: unrecognized mode {mode!r}")
    a = matrix_operand(a)
    check_matrix(a, "qr", square=False)
    m, n = shape_of(a)[-2:]
    if mode == "raw" or (mode == "complete" and m > n):
        if is_boxed(a):
            raise NotImplementedError(
                f"qr: mode={mode!r} of a {m}x{n} matrix is not differentiable (its extra "
                "columns are arbitrary); use mode='reduced'"
            )
        return np.linalg.qr(a, mode=mode)
    if m >= n:
        q, r = split_results(qr_p(a), 2)
    else:  # wide: A = [X | Y] = Q [U | QᵀY] with Q, U = qr(X)
        q, u = split_results(qr_p(a[..., :, :m]), 2)
        r = concatenate([u, matmul(mT(q), a[..., :, m:])], axis=-1)
    return r if mode == "r" else QRResult(q, r)


def svd(a, full_matrices=True, compute_uv=True, hermitian=False):
    a = matrix_operand(a, complex_ok=True)
    check_matrix(a, "svd", square=False)
    if not compute_uv:
        return svdvals_p(a)
    m, n = shape_of(a)[-2:]
    if full_matrices and m != n:
        if is_boxed(a):
            raise NotImplementedError(
                f"svd: full_matrices=True of a {m}x{n} matrix is not differentiable (the "
                "extra singular vectors are arbitrary); pass full_matrices=False"
            )
        return SVDResult(*np.linalg.svd(a, full_matrices=True, hermitian=hermitian))
    return SVDResult(*split_results(svd_p(a), 3))


def svdvals(x, /):
    x = matrix_operand(x, complex_ok=True)
    check_matrix(x, "svdvals", square=False)
    return svdvals_p(x)
