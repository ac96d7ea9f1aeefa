"""Linear algebra (``chainrule.numpy.linalg``): decompositions, solvers and norms.

Every function is batched over leading dimensions where NumPy's is, and its rules are
written with chainrule's own matrix ops (``matmul``, ``swapaxes``, ``solve``, ``inv``,
elementwise masks), so they differentiate again: Hessians through ``eigh`` or ``svd``
work like any other.

Primitives: ``inv solve det slogdet cholesky eigh eigvalsh qr svd svdvals pinv
vector_norm matrix_rank``. Everything else (``norm``, ``matrix_norm``, ``cond``,
``matrix_power``, ``multi_dot``, ``lstsq``, ``tensorinv``, ``tensorsolve``) composes them,
and NumPy 2's array-API names (``matmul``, ``matrix_transpose``, ``outer``, ``trace``,
``diagonal``, ``tensordot``, ``vecdot``, ``cross``; matrix axes last) call the products
family.

Conventions (where a derivative needs one):

* ``eigh``, ``eigvalsh`` and ``cholesky`` symmetrise their input, ``(A + Aᵀ)/2``, before
  decomposing (as JAX does), and their gradients are symmetric. For a symmetric input the
  result is NumPy's; for a non-symmetric one NumPy reads a single triangle instead.
  ``UPLO`` is accepted for compatibility and does not change the result.
* Eigenvector derivatives divide by eigenvalue gaps ``wⱼ - wᵢ``: for repeated
  eigenvalues they are undefined (Inf/NaN). Eigenvalue derivatives stay fine. The same
  holds for singular vectors and repeated singular values (gaps ``sⱼ² - sᵢ²``), and
  ``svd``'s vector derivatives also divide by ``s``, so they need full rank.
* Eigenvectors and singular vectors are fixed only up to sign; a function of them is
  well-defined only if it does not depend on that choice (``V * V``, ``U @ Vh``, ...).
* ``svd`` is differentiable with ``full_matrices=False`` (or a square input): the extra
  columns of the full ``U``/``Vh`` are arbitrary. ``svd(..., hermitian=True)`` uses the
  general SVD, so singular vectors can differ in sign from NumPy's.
* ``qr`` is differentiable in the ``'reduced'`` and ``'r'`` modes (and ``'complete'``
  for square or wide inputs, where it is the same thing); R must be invertible (full
  rank). A wide input ``[X | Y]`` is handled as ``Q, U = qr(X)``, ``R = [U | QᵀY]``.
* ``det``'s gradient ``det(A)·A⁻ᵀ`` needs an invertible matrix; ``pinv``'s needs a rank
  that does not change near the input.
* Norms: at the zero vector (and zero matrix, 'fro') the gradient is the subgradient 0,
  never NaN; 1- and inf-norms inherit ``abs``'s subgradient 0 at 0 and ``max``'s even
  split of ties. Gradients of norms are for real inputs.
* ``slogdet``'s sign and ``matrix_rank`` have derivative zero.
* Derivatives are for real matrices: a traced complex input raises NotImplementedError
  (plain complex arrays still run forward). ``eig``/``eigvals`` are forward-only.
"""

from __future__ import annotations

import operator
from collections import namedtuple

import numpy as np

from chainrule.core.primitive import defprimitive
from chainrule.core.trace import is_boxed, unbox_all
from chainrule.primitives import elementwise as E
from chainrule.primitives._helpers import (
    broadcast_like,
    defzero,
    dtype_of,
    ndim_of,
    shape_of,
    split_results,
    unbroadcast,
)

__all__ = [
    "LinAlgError",
    "cholesky",
    "cond",
    "cross",
    "det",
    "diagonal",
    "eig",
    "eigh",
    "eigvals",
    "eigvalsh",
    "inv",
    "lstsq",
    "matmul",
    "matrix_norm",
    "matrix_power",
    "matrix_rank",
    "matrix_transpose",
    "multi_dot",
    "norm",
    "outer",
    "pinv",
    "qr",
    "slogdet",
    "solve",
    "svd",
    "svdvals",
    "tensordot",
    "tensorinv",
    "tensorsolve",
    "trace",
    "vecdot",
    "vector_norm",
]

LinAlgError = np.linalg.LinAlgError  # a ValueError subclass, as in NumPy

EighResult = namedtuple("EighResult", ["eigenvalues", "eigenvectors"])
QRResult = namedtuple("QRResult", ["Q", "R"])
SVDResult = namedtuple("SVDResult", ["U", "S", "Vh"])
SlogdetResult = namedtuple("SlogdetResult", ["sign", "logabsdet"])


# -- matrix helpers used by the rules (all differentiable) ------------------------------
def _mm(a, b):
    from chainrule.primitives import products

    return products.matmul(a, b)


def _mT(x):
    """Swap the last two axes (a batched transpose)."""
    from chainrule.primitives import shape

    return shape.swapaxes(x, -1, -2)


def _sum(x, axis):
    from chainrule.primitives import reductions

    return reductions.sum(x, axis=axis)


def _expand(x, axis):
    from chainrule.primitives import shape

    return shape.expand_dims(x, axis)


def _reshape(x, newshape):
    from chainrule.primitives import shape

    return shape.reshape(x, newshape)


def _sym(x):
    return (x + _mT(x)) * 0.5


def _diag_embed(v):
    """(..., n) -> (..., n, n) with ``v`` on the diagonal."""
    return E.multiply(_expand(v, -1), np.eye(shape_of(v)[-1]))


def _diag_part(x):
    """(..., n, n) -> (..., n): the diagonal."""
    return _sum(E.multiply(x, np.eye(shape_of(x)[-1])), -1)


def _tril(x, k=0):
    n, m = shape_of(x)[-2:]
    return E.multiply(x, np.tril(np.ones((n, m)), k))


def _triu(x, k=0):
    n, m = shape_of(x)[-2:]
    return E.multiply(x, np.triu(np.ones((n, m)), k))


def _right_solve(x, r):
    """``x @ r⁻¹``, written as a solve."""
    return _mT(solve_p(_mT(r), _mT(x)))


def _gap_inverse(w):
    """``F[i, j] = 1 / (w[j] - w[i])`` off the diagonal, 0 on it."""
    n = shape_of(w)[-1]
    eye = np.eye(n)
    gaps = _expand(w, -2) - _expand(w, -1)
    return E.divide(1.0 - eye, gaps + eye)


def _zeros(shape):
    return np.zeros(shape)


# -- inverse, solve, determinants ---------------------------------------------------------
# d A⁻¹ = -A⁻¹ dA A⁻¹
inv_p = defprimitive(
    "inv",
    lambda xp, a: xp.linalg.inv(a),
    vjp={0: lambda ans, a: lambda g: -_mm(_mm(_mT(ans), g), _mT(ans))},
    jvp={0: lambda t, ans, a: -_mm(_mm(ans, t), ans)},
)


def _solve_impl(xp, a, b):
    # Broadcast the batch dimensions explicitly: unambiguous on NumPy 1.x and 2.x.
    batch = np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
    a = xp.broadcast_to(a, batch + a.shape[-2:])
    b = xp.broadcast_to(b, batch + b.shape[-2:])
    return xp.linalg.solve(a, b)


def _solve_vjp(argnums, ans, a, b):
    # x = A⁻¹ b:  b̄ = A⁻ᵀ ḡ,  Ā = -b̄ xᵀ
    def pull(g):
        gb = solve_p(_mT(a), g)
        out = {1: lambda: unbroadcast(gb, b), 0: lambda: unbroadcast(-_mm(gb, _mT(ans)), a)}
        return [out[i]() for i in argnums]

    return pull


def _solve_jvp(tangents, ans, a, b):
    # dx = A⁻¹ (db - dA x)
    ta, tb = tangents
    rhs = None if tb is None else tb
    if ta is not None:
        rhs = -_mm(ta, ans) if rhs is None else rhs - _mm(ta, ans)
    return broadcast_like(solve_p(a, rhs), ans)


# b is always a stack of matrices here; the public ``solve`` handles a vector b.
solve_p = defprimitive("solve", _solve_impl, vjp_joint=_solve_vjp, jvp_joint=_solve_jvp)


def _scalar_to_matrix(s):
    return _expand(_expand(s, -1), -1)


# d det A = det A · tr(A⁻¹ dA)
det_p = defprimitive(
    "det",
    lambda xp, a: xp.linalg.det(a),
    vjp={0: lambda ans, a: lambda g: _scalar_to_matrix(g * ans) * _mT(inv_p(a))},
    jvp={0: lambda t, ans, a: ans * _sum(_mT(inv_p(a)) * t, (-2, -1))},
)


def _slogdet_vjp(argnums, ans, a):
    # d log|det A| = tr(A⁻¹ dA); the sign is piecewise constant.
    def pull(g):
        if g[1] is None:
            return [_zeros(shape_of(a))]
        return [_scalar_to_matrix(g[1]) * _mT(inv_p(a))]

    return pull


def _slogdet_jvp(tangents, ans, a):
    dlog = _sum(_mT(inv_p(a)) * tangents[0], (-2, -1))
    return (_zeros(shape_of(a)[:-2]), dlog)


slogdet_p = defprimitive(
    "slogdet",
    lambda xp, a: tuple(xp.linalg.slogdet(a)),
    vjp_joint=_slogdet_vjp,
    jvp_joint=_slogdet_jvp,
    multiple_results=True,
)


# -- symmetric decompositions: cholesky, eigh, eigvalsh ------------------------------------
def _sym_impl(xp, a):
    return (a + xp.swapaxes(a, -1, -2)) * 0.5


def _phi(x):
    """Lower triangle with half the diagonal: the part of X that dL Lᵀ + L dLᵀ fixes."""
    n = shape_of(x)[-1]
    return E.multiply(x, np.tril(np.ones((n, n)), -1) + 0.5 * np.eye(n))


def _cholesky_jvp(t, ans, a):
    # dL = L Φ(L⁻¹ dA L⁻ᵀ)
    half = solve_p(ans, _sym(t))  # L⁻¹ dA
    return _mm(ans, _phi(solve_p(ans, _mT(half))))


def _cholesky_vjp(ans, a):
    # Ā = sym(L⁻ᵀ Φ(Lᵀ L̄) L⁻¹)
    def pull(g):
        inner = _phi(_mm(_mT(ans), g))
        half = solve_p(_mT(ans), _mT(inner))  # L⁻ᵀ Φᵀ
        return _sym(solve_p(_mT(ans), _mT(half)))

    return pull


cholesky_p = defprimitive(
    "cholesky",
    lambda xp, a: xp.linalg.cholesky(_sym_impl(xp, a)),
    vjp={0: _cholesky_vjp},
    jvp={0: _cholesky_jvp},
)


def _eigh_vjp(argnums, ans, a):
    # Ā = V (diag(w̄) + F ∘ (Vᵀ V̄)) Vᵀ, symmetrised; F = 1/(wⱼ - wᵢ)
    w, v = split_results(ans, 2)

    def pull(g):
        gw, gv = g
        inner = None if gw is None else _diag_embed(gw)
        if gv is not None:
            rot = _gap_inverse(w) * _mm(_mT(v), gv)
            inner = rot if inner is None else inner + rot
        if inner is None:
            return [_zeros(shape_of(a))]
        return [_sym(_mm(_mm(v, inner), _mT(v)))]

    return pull


def _eigh_jvp(tangents, ans, a):
    # C = Vᵀ dA V:  dw = diag C,  dV = V (F ∘ C)
    w, v = split_results(ans, 2)
    c = _mm(_mm(_mT(v), _sym(tangents[0])), v)
    return (_diag_part(c), _mm(v, _gap_inverse(w) * c))


eigh_p = defprimitive(
    "eigh",
    lambda xp, a: tuple(xp.linalg.eigh(_sym_impl(xp, a))),
    vjp_joint=_eigh_vjp,
    jvp_joint=_eigh_jvp,
    multiple_results=True,
)


def _eigvalsh_vjp(ans, a):
    # Ā = V diag(w̄) Vᵀ
    v = split_results(eigh_p(a), 2)[1]
    return lambda g: _mm(v * _expand(g, -2), _mT(v))


def _eigvalsh_jvp(t, ans, a):
    # dwᵢ = vᵢᵀ dA vᵢ
    v = split_results(eigh_p(a), 2)[1]
    return _sum(v * _mm(_sym(t), v), -2)


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
        m = None if gr is None else _mm(gr, _mT(r))
        if gq is not None:
            m = -_mm(_mT(q), gq) if m is None else m - _mm(_mT(q), gq)
        if m is None:
            return [_zeros(shape_of(a))]
        x = _mm(q, _triu(m) + _mT(_triu(m, 1)))
        if gq is not None:
            x = x + gq
        return [_right_solve(x, _mT(r))]

    return pull


def _qr_jvp(tangents, ans, a):
    # C = Qᵀ dA R⁻¹, Ω = low(C) - low(C)ᵀ:  dR = (C - Ω) R,  dQ = dA R⁻¹ - Q (C - Ω)
    q, r = split_results(ans, 2)
    t_rinv = _right_solve(tangents[0], r)
    c = _mm(_mT(q), t_rinv)
    low = _tril(c, -1)
    upper = c - low + _mT(low)  # C - Ω
    return (t_rinv - _mm(q, upper), _mm(upper, r))


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
    u, s, vh = split_results(ans, 3)
    v = _mT(vh)

    def pull(g):
        gu, gs, gvh = g
        if gu is None and gs is None and gvh is None:
            return [_zeros(shape_of(a))]
        row, col = _expand(s, -2), _expand(s, -1)  # s as a row, s as a column
        core = 0.0 if gs is None else _diag_embed(gs)
        extra = 0.0
        f = _gap_inverse(s * s) if gu is not None or gvh is not None else None
        if gu is not None:
            utg = _mm(_mT(u), gu)
            core = core + (f * (utg - _mT(utg))) * row
            proj = gu - _mm(u, utg)  # (I - UUᵀ) Ū
            extra = extra + _mm(proj / row, vh)
        if gvh is not None:
            gv = _mT(gvh)
            vtg = _mm(vh, gv)
            core = core + col * (f * (vtg - _mT(vtg)))
            proj = gvh - _mm(_mm(gvh, v), vh)  # V̄ᵀ (I - VVᵀ)
            extra = extra + _mm(u / row, proj)
        return [_mm(_mm(u, core), vh) + extra]

    return pull


def _svd_jvp(tangents, ans, a):
    # dP = Uᵀ dA V:  ds = diag dP,  dU = U (F∘(dP S + S dPᵀ)) + (I - UUᵀ) dA V S⁻¹,
    #                dV = V (F∘(S dP + dPᵀ S)) + (I - VVᵀ) dAᵀ U S⁻¹
    u, s, vh = split_results(ans, 3)
    v = _mT(vh)
    t = tangents[0]
    row, col = _expand(s, -2), _expand(s, -1)
    f = _gap_inverse(s * s)
    tv = _mm(t, v)
    ttu = _mm(_mT(t), u)
    dp = _mm(_mT(u), tv)
    dps = dp * row
    sdp = col * dp
    du = _mm(u, f * (dps + _mT(dps))) + (tv - _mm(u, _mm(_mT(u), tv))) / row
    dv = _mm(v, f * (sdp + _mT(sdp))) + (ttu - _mm(v, _mm(vh, ttu))) / row
    return (du, _diag_part(dp), _mT(dv))


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
    u, _, vh = split_results(svd_p(a), 3)
    return lambda g: _mm(u * _expand(g, -2), vh)


def _svdvals_jvp(t, ans, a):
    # dsᵢ = uᵢᵀ dA vᵢ
    u, _, vh = split_results(svd_p(a), 3)
    return _sum(u * _mm(t, _mT(vh)), -2)


svdvals_p = defprimitive(
    "svdvals",
    lambda xp, a: xp.linalg.svd(a, compute_uv=False),
    vjp={0: _svdvals_vjp},
    jvp={0: _svdvals_jvp},
)


# -- pseudo-inverse and rank ------------------------------------------------------------------
def _pinv_impl(xp, a, *, rcond=None, hermitian=False):
    if rcond is None:
        return xp.linalg.pinv(a, hermitian=hermitian)
    return xp.linalg.pinv(a, rcond=rcond, hermitian=hermitian)


def _pinv_vjp(ans, a, **kw):
    # P = A⁺ (constant rank):  Ā = -Pᵀ Ḡ Pᵀ + (I - AP) Ḡᵀ P Pᵀ + Pᵀ P Ḡᵀ (I - PA)
    m, n = shape_of(a)[-2:]
    p, pt = ans, _mT(ans)
    left = np.eye(m) - _mm(a, p)
    right = np.eye(n) - _mm(p, a)

    def pull(g):
        gt = _mT(g)
        out = -_mm(_mm(pt, g), pt)
        out = out + _mm(_mm(left, gt), _mm(p, pt)) + _mm(_mm(pt, p), _mm(gt, right))
        return out

    return pull


def _pinv_jvp(t, ans, a, **kw):
    # dP = -P dA P + P Pᵀ dAᵀ (I - AP) + (I - PA) dAᵀ Pᵀ P
    m, n = shape_of(a)[-2:]
    p, pt, tt = ans, _mT(ans), _mT(t)
    left = np.eye(m) - _mm(a, p)
    right = np.eye(n) - _mm(p, a)
    out = -_mm(_mm(p, t), p) + _mm(_mm(p, pt), _mm(tt, left))
    return out + _mm(_mm(right, tt), _mm(pt, p))


pinv_p = defprimitive("pinv", _pinv_impl, vjp={0: _pinv_vjp}, jvp={0: _pinv_jvp})


def _matrix_rank_impl(xp, a, *, tol=None, hermitian=False, rtol=None):
    kw = {} if rtol is None else {"rtol": rtol}
    return xp.linalg.matrix_rank(a, tol=tol, hermitian=hermitian, **kw)


matrix_rank_p = defzero("matrix_rank", _matrix_rank_impl)


# -- vector norms -----------------------------------------------------------------------------
def _vector_norm_impl(xp, x, *, ord, axis, keepdims):
    if ord == 2:
        sq = xp.real(x * xp.conj(x)) if xp.iscomplexobj(x) else x * x
        return xp.sqrt(xp.sum(sq, axis=axis, keepdims=keepdims))
    return xp.sum(xp.abs(x) ** ord, axis=axis, keepdims=keepdims) ** (1.0 / ord)


def _keepdims_shape(shape, axis):
    if axis is None:
        return (1,) * len(shape)
    return tuple(1 if i in axis else n for i, n in enumerate(shape))


def _norm_weights(ans, x, ord, axis, keepdims):
    """d‖x‖ₚ/dx = sign(x) |x|ᵖ⁻¹ / ‖x‖ₚᵖ⁻¹, taken as 0 where x = 0 or ‖x‖ = 0 (the
    subgradient at the zero vector), with no 0/0 anywhere."""
    ans_k = _reshape(ans, _keepdims_shape(shape_of(x), axis))
    safe = E.where(E.equal(ans_k, 0.0), 1.0, ans_k)
    if ord == 2:
        return E.divide(x, safe)
    ax = E.absolute(x)
    safe_ax = E.where(E.equal(ax, 0.0), 1.0, ax)
    return E.sign(x) * E.power(safe_ax, ord - 1.0) / E.power(safe, ord - 1.0)


def _vector_norm_vjp(ans, x, *, ord, axis, keepdims):
    w = _norm_weights(ans, x, ord, axis, keepdims)
    return lambda g: w * _reshape(g, _keepdims_shape(shape_of(x), axis))


def _vector_norm_jvp(t, ans, x, *, ord, axis, keepdims):
    from chainrule.primitives import reductions

    w = _norm_weights(ans, x, ord, axis, keepdims)
    return reductions.sum(w * t, axis=axis, keepdims=keepdims)


# ‖x‖ₚ for a finite p ≠ 0 (1, inf, -inf and 0 are compositions in ``vector_norm``).
vector_norm_p = defprimitive(
    "vector_norm", _vector_norm_impl, vjp={0: _vector_norm_vjp}, jvp={0: _vector_norm_jvp}
)


# -- public functions: NumPy's names and signatures ----------------------------------------
def _prep(a):
    """Array-likes become arrays (integers become float64, as in NumPy); traced values
    and Tensors pass through."""
    if is_boxed(a):
        if dtype_of(a).kind == "c":
            raise NotImplementedError(
                "chainrule.numpy.linalg: derivatives of complex matrices are not supported "
                "(the rules are written for real inputs)"
            )
        return a
    a = np.asarray(a)
    if a.dtype.kind in "biu":
        a = a.astype(np.float64)
    return a


def _check_matrix(a, name, square=True):
    shape = shape_of(a)
    if len(shape) < 2:
        raise LinAlgError(f"{name}: expected an array of at least 2 dimensions, got shape {shape}")
    if square and shape[-1] != shape[-2]:
        raise LinAlgError(f"{name}: the last 2 dimensions must be square, got shape {shape}")


def _static_float(v, name):
    if v is None:
        return None
    if np.ndim(v) != 0:
        raise NotImplementedError(f"{name} must be a scalar in chainrule, got an array")
    return float(v)


def inv(a):
    a = _prep(a)
    _check_matrix(a, "inv")
    return inv_p(a)


def solve(a, b):
    """Solve ``a @ x = b``; b is a vector only when 1-D (NumPy 2's rule), else a stack of
    matrices whose batch dimensions broadcast against a's."""
    a, b = _prep(a), _prep(b)
    _check_matrix(a, "solve")
    ashape, bshape = shape_of(a), shape_of(b)
    n = ashape[-1]
    vector = len(bshape) == 1
    if vector and bshape[0] != n or not vector and (len(bshape) < 2 or bshape[-2] != n):
        raise ValueError(
            f"solve: b of shape {bshape} does not match a of shape {ashape}; b must be "
            f"({n},) or (..., {n}, K)"
        )
    if vector:
        x = solve_p(a, _expand(b, -1))
        return _reshape(x, shape_of(x)[:-1])
    try:
        np.broadcast_shapes(ashape[:-2], bshape[:-2])
    except ValueError:
        raise ValueError(
            f"solve: the batch dimensions of a {ashape} and b {bshape} do not broadcast"
        ) from None
    return solve_p(a, b)


def det(a):
    a = _prep(a)
    _check_matrix(a, "det")
    return det_p(a)


def slogdet(a):
    a = _prep(a)
    _check_matrix(a, "slogdet")
    return SlogdetResult(*split_results(slogdet_p(a), 2))


def cholesky(a, /, *, upper=False):
    a = _prep(a)
    _check_matrix(a, "cholesky")
    low = cholesky_p(a)
    return _mT(low) if upper else low


def _check_uplo(uplo):
    if uplo not in ("L", "U"):
        raise ValueError(f"UPLO argument must be 'L' or 'U', got {uplo!r}")


def eigh(a, UPLO="L"):  # noqa: N803 (NumPy's name)
    a = _prep(a)
    _check_matrix(a, "eigh")
    _check_uplo(UPLO)
    return EighResult(*split_results(eigh_p(a), 2))


def eigvalsh(a, UPLO="L"):  # noqa: N803
    a = _prep(a)
    _check_matrix(a, "eigvalsh")
    _check_uplo(UPLO)
    return eigvalsh_p(a)


def qr(a, mode="reduced"):
    if mode not in ("reduced", "complete", "r", "raw"):
        raise ValueError(f"qr: unrecognized mode {mode!r}")
    a = _prep(a)
    _check_matrix(a, "qr", square=False)
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
        from chainrule.primitives import shape

        q, u = split_results(qr_p(a[..., :, :m]), 2)
        r = shape.concatenate([u, _mm(_mT(q), a[..., :, m:])], axis=-1)
    return r if mode == "r" else QRResult(q, r)


def svd(a, full_matrices=True, compute_uv=True, hermitian=False):
    a = _prep(a)
    _check_matrix(a, "svd", square=False)
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
    x = _prep(x)
    _check_matrix(x, "svdvals", square=False)
    return svdvals_p(x)


_NO_VALUE = object()


def pinv(a, rcond=None, hermitian=False, *, rtol=_NO_VALUE):
    a = _prep(a)
    _check_matrix(a, "pinv", square=False)
    # NumPy 2's rules: rcond and rtol are the same cutoff (relative to the largest
    # singular value); rtol=None means max(M, N) * eps; neither given means 1e-15.
    if rcond is not None and rtol is not _NO_VALUE:
        raise ValueError("pinv: `rtol` and `rcond` can't be both set")
    if rcond is None:
        if rtol is _NO_VALUE:
            rcond = 1e-15
        elif rtol is None:
            rcond = max(shape_of(a)[-2:]) * np.finfo(np.float64).eps
        else:
            rcond = rtol
    return pinv_p(a, rcond=_static_float(rcond, "rcond"), hermitian=bool(hermitian))


def matrix_rank(A, tol=None, hermitian=False, *, rtol=None):  # noqa: N803
    A = _prep(A)  # noqa: N806
    if ndim_of(A) < 2:  # NumPy: a vector has rank 1 unless it is all zeros
        return int(np.any(unbox_all(A) != 0))
    return matrix_rank_p(
        A,
        tol=_static_float(tol, "tol"),
        hermitian=bool(hermitian),
        rtol=_static_float(rtol, "rtol"),
    )


def matrix_power(a, n):
    a = _prep(a)
    _check_matrix(a, "matrix_power")
    try:
        n = operator.index(n)
    except TypeError:
        raise TypeError(f"matrix_power: exponent must be an integer, got {n!r}") from None
    if n == 0:  # the identity: a constant
        shape = shape_of(a)
        return np.broadcast_to(np.eye(shape[-1]), shape).copy()
    if n < 0:
        a, n = inv(a), -n
    result = None
    while n:  # binary powering: about log2(n) products
        if n & 1:
            result = a if result is None else _mm(result, a)
        n >>= 1
        if n:
            a = _mm(a, a)
    return result


def _chain_order(dims):
    """Cheapest parenthesisation of a matrix chain (dims[i] x dims[i+1] factors):
    ``split[i][j]`` is where to cut the product of factors i..j."""
    k = len(dims) - 1
    cost = [[0] * k for _ in range(k)]
    split = [[0] * k for _ in range(k)]
    for length in range(1, k):
        for i in range(k - length):
            j = i + length
            cost[i][j] = None
            for c in range(i, j):
                here = cost[i][c] + cost[c + 1][j] + dims[i] * dims[c + 1] * dims[j + 1]
                if cost[i][j] is None or here < cost[i][j]:
                    cost[i][j], split[i][j] = here, c
    return split


def multi_dot(arrays, *, out=None):
    if out is not None:
        raise TypeError("multi_dot: out= is not supported (chainrule arrays are immutable)")
    arrays = [_prep(x) for x in arrays]
    if len(arrays) < 2:
        raise ValueError("multi_dot: expecting at least two arrays")
    shapes = [shape_of(x) for x in arrays]
    for i, s in enumerate(shapes):
        if len(s) != 2 and not (len(s) == 1 and i in (0, len(arrays) - 1)):
            raise ValueError(
                f"multi_dot: array {i} has shape {s}; only the first and last may be 1-D, "
                "the others must be 2-D"
            )
    # A 1-D first (last) array is a row (column) vector; matmul treats it so already.
    # factor i is dims[i] x dims[i + 1]
    dims = [shapes[0][0] if len(shapes[0]) == 2 else 1]
    for i, s in enumerate(shapes):
        dims.append(s[1] if len(s) == 2 else (s[0] if i == 0 else 1))
    split = _chain_order(dims)

    def product(i, j):
        if i == j:
            return arrays[i]
        c = split[i][j]
        return _mm(product(i, c), product(c + 1, j))

    return product(0, len(arrays) - 1)


# -- norms and condition numbers --------------------------------------------------------------
def _normalize_axes(axis, nd):
    out = []
    for ax in axis:
        ax = operator.index(ax)
        if not -nd <= ax < nd:
            raise np.exceptions.AxisError(ax, nd)
        out.append(ax % nd)
    return tuple(out)


def _restore_dims(ret, shape, axis, keepdims):
    return _reshape(ret, _keepdims_shape(shape, axis)) if keepdims else ret


def _vector_norm(x, ord, axis, keepdims):
    from chainrule.primitives import reductions

    if isinstance(ord, str):
        raise ValueError(f"Invalid norm order {ord!r} for vectors")
    if ord == np.inf:
        return reductions.amax(E.absolute(x), axis=axis, keepdims=keepdims)
    if ord == -np.inf:
        return reductions.amin(E.absolute(x), axis=axis, keepdims=keepdims)
    if ord == 0:  # the number of nonzero entries: piecewise constant
        nonzero = E.astype(E.not_equal(x, 0.0), np.float64)
        return reductions.sum(nonzero, axis=axis, keepdims=keepdims)
    if ord == 1:
        return reductions.sum(E.absolute(x), axis=axis, keepdims=keepdims)
    return vector_norm_p(x, ord=float(ord), axis=axis, keepdims=keepdims)


def _matrix_norm(x, ord, axes, keepdims):
    from chainrule.primitives import reductions, shape

    row, col = axes
    if row == col:
        raise ValueError("Duplicate axes given.")
    if ord is None or ord in ("fro", "f"):
        return vector_norm_p(x, ord=2.0, axis=tuple(sorted(axes)), keepdims=keepdims)
    if ord == "nuc" or (not isinstance(ord, str) and ord in (2, -2)):
        s = svdvals_p(shape.moveaxis(x, (row, col), (-2, -1)))
        reduce = {"nuc": reductions.sum, 2: reductions.amax, -2: reductions.amin}[ord]
        ret = reduce(s, axis=-1)
    elif not isinstance(ord, str) and ord in (1, -1, np.inf, -np.inf):
        reduce = reductions.amax if ord > 0 else reductions.amin
        if ord in (1, -1):  # max (min) over columns of the column sums
            summed, other = row, (col - 1 if col > row else col)
        else:  # max (min) over rows of the row sums
            summed, other = col, (row - 1 if row > col else row)
        ret = reduce(reductions.sum(E.absolute(x), axis=summed), axis=other)
    else:
        raise ValueError(f"Invalid norm order {ord!r} for matrices")
    return _restore_dims(ret, shape_of(x), axes, keepdims)


def norm(x, ord=None, axis=None, keepdims=False):  # noqa: A002 (NumPy's name)
    """NumPy's ``linalg.norm``; at the zero vector the gradient is 0 (a subgradient)."""
    x = _prep(x)
    nd = ndim_of(x)
    if axis is None:
        two = ord is None or (nd == 2 and ord in ("f", "fro")) or (nd == 1 and ord == 2)
        if two:
            return vector_norm_p(x, ord=2.0, axis=None, keepdims=keepdims)
        axis = tuple(range(nd))
    elif not isinstance(axis, tuple):
        try:
            axis = (operator.index(axis),)
        except TypeError:
            raise TypeError("'axis' must be None, an integer or a tuple of integers") from None
    axis = _normalize_axes(axis, nd)
    if len(axis) == 1:
        return _vector_norm(x, 2 if ord is None else ord, axis, keepdims)
    if len(axis) == 2:
        return _matrix_norm(x, ord, axis, keepdims)
    raise ValueError(f"Improper number of dimensions to norm: axis={axis} for shape {shape_of(x)}")


def vector_norm(x, /, *, axis=None, keepdims=False, ord=2):  # noqa: A002
    x = _prep(x)
    if axis is not None:
        axis = _normalize_axes(axis if isinstance(axis, tuple) else (axis,), ndim_of(x))
    return _vector_norm(x, ord, axis, keepdims)


def matrix_norm(x, /, *, keepdims=False, ord="fro"):  # noqa: A002
    x = _prep(x)
    _check_matrix(x, "matrix_norm", square=False)
    return _matrix_norm(x, ord, _normalize_axes((-2, -1), ndim_of(x)), keepdims)


def cond(x, p=None):
    """Condition number: s_max / s_min for p None, 2 (-2: the inverse); otherwise
    ``norm(x, p) * norm(inv(x), p)``."""
    from chainrule.primitives import reductions

    x = _prep(x)
    _check_matrix(x, "cond", square=p not in (None, 2, -2))
    if p in (None, 2, -2):
        s = svdvals_p(x)
        big, small = reductions.amax(s, axis=-1), reductions.amin(s, axis=-1)
        return big / small if p != -2 else small / big
    axes = (-2, -1)
    return norm(x, p, axis=axes) * norm(inv(x), p, axis=axes)


def lstsq(a, b, rcond=None):
    """Least squares via the pseudo-inverse: ``(x, residuals, rank, s)`` as in NumPy.
    Gradients are those of ``pinv(a) @ b`` (constant rank)."""
    from chainrule.primitives import reductions

    a, b = _prep(a), _prep(b)
    ashape, bshape = shape_of(a), shape_of(b)
    if len(ashape) != 2 or len(bshape) not in (1, 2) or bshape[0] != ashape[0]:
        raise LinAlgError(
            f"lstsq: a must be 2-D (M, N) and b (M,) or (M, K); got {ashape} and {bshape}"
        )
    m, n = ashape
    if rcond is None or rcond < 0:
        rcond = np.finfo(np.float64).eps * (max(m, n) if rcond is None else 1)
    s = svdvals_p(a)
    s_val = np.asarray(unbox_all(s))
    rank = int(np.sum(s_val > rcond * s_val[0])) if s_val.size else 0
    x = _mm(pinv_p(a, rcond=float(rcond), hermitian=False), b)
    if rank == n and m > n:
        r = b - _mm(a, x)
        residuals = reductions.sum(r * r, axis=0)
        if len(bshape) == 1:
            residuals = _reshape(residuals, (1,))
    else:
        residuals = np.empty((0,))
    return x, residuals, rank, s


def tensorinv(a, ind=2):
    a = _prep(a)
    shape = shape_of(a)
    if ind <= 0:
        raise ValueError("Invalid ind argument.")
    rows = int(np.prod(shape[ind:]))
    return _reshape(inv(_reshape(a, (rows, -1))), shape[ind:] + shape[:ind])


def tensorsolve(a, b, axes=None):
    from chainrule.primitives import shape as shape_ops

    a, b = _prep(a), _prep(b)
    nd = ndim_of(a)
    if axes is not None:
        order = [k for k in range(nd) if k not in _normalize_axes(axes, nd)]
        a = shape_ops.transpose(a, tuple(order) + _normalize_axes(axes, nd))
    ashape = shape_of(a)
    xshape = ashape[-(nd - ndim_of(b)) :]
    size = int(np.prod(xshape))
    if int(np.prod(ashape)) != size * size:
        raise LinAlgError(f"tensorsolve: a of shape {ashape} is not square for x of shape {xshape}")
    x = solve(_reshape(a, (size, size)), _reshape(b, (-1,)))
    return _reshape(x, xshape)


# -- NumPy 2's array-API names in numpy.linalg (matrix axes are always the last two) --------
def matmul(x1, x2, /):
    from chainrule.primitives import products

    return products.matmul(x1, x2)


def matrix_transpose(x, /):
    x = _prep(x)
    _check_matrix(x, "matrix_transpose", square=False)
    return _mT(x)


def outer(x1, x2, /):
    from chainrule.primitives import products

    x1, x2 = _prep(x1), _prep(x2)
    if ndim_of(x1) != 1 or ndim_of(x2) != 1:
        raise ValueError(
            f"outer: 1-dimensional inputs expected, got shapes {shape_of(x1)} and {shape_of(x2)}"
        )
    return products.outer(x1, x2)


def trace(x, /, *, offset=0, dtype=None):
    from chainrule.primitives import products

    return products.trace(_prep(x), offset=offset, axis1=-2, axis2=-1, dtype=dtype)


def diagonal(x, /, *, offset=0):
    from chainrule.primitives import products

    return products.diagonal(_prep(x), offset=offset, axis1=-2, axis2=-1)


def tensordot(x1, x2, /, *, axes=2):
    from chainrule.primitives import products

    return products.tensordot(x1, x2, axes=axes)


def vecdot(x1, x2, /, *, axis=-1):
    x1, x2 = _prep(x1), _prep(x2)
    if shape_of(x1)[axis] != shape_of(x2)[axis]:
        raise ValueError(
            f"vecdot: shapes {shape_of(x1)} and {shape_of(x2)} differ along axis {axis}"
        )
    if np.iscomplexobj(unbox_all(x1)):
        x1 = E.conj(x1)
    return _sum(x1 * x2, axis)


def cross(x1, x2, /, *, axis=-1):
    from chainrule.primitives import products

    x1, x2 = _prep(x1), _prep(x2)
    if shape_of(x1)[axis] != 3 or shape_of(x2)[axis] != 3:
        raise ValueError(
            f"cross: both inputs must have 3 entries along axis {axis}, got shapes "
            f"{shape_of(x1)} and {shape_of(x2)}"
        )
    return products.cross(x1, x2, axis=axis)


def _not_differentiable(name):
    def fn(a):
        if is_boxed(a):
            raise NotImplementedError(
                f"linalg.{name} has no derivative in chainrule (complex eigen-decomposition "
                "of a general matrix); for a symmetric matrix use eigh / eigvalsh"
            )
        return getattr(np.linalg, name)(a)

    fn.__name__ = name
    fn.__doc__ = f"NumPy's ``linalg.{name}`` on plain arrays (no derivative)."
    return fn


eig = _not_differentiable("eig")
eigvals = _not_differentiable("eigvals")
