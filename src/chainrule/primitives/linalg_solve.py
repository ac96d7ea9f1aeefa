"""Linear systems, inverses and determinants (part of ``chainrule.numpy.linalg``).

Rule records and public functions for ``inv``, ``solve``, ``det``, ``slogdet``,
``pinv`` and the zero-derivative ``matrix_rank``. The rules are written with chainrule's
own ops (mostly ``solve_p`` and ``inv_p`` themselves), so they differentiate again; the
conventions they follow are listed in :mod:`chainrule.primitives.linalg`.
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np

from chainrule.core.primitive import defprimitive
from chainrule.core.trace import unbox_all
from chainrule.primitives._helpers import (
    broadcast_like,
    defzero,
    ndim_of,
    shape_of,
    split_results,
    unbroadcast,
)
from chainrule.primitives.linalg_common import (
    _check_matrix,
    _expand,
    _eye,
    _fdtype,
    _mm,
    _mT,
    _prep,
    _reshape,
    _static_float,
    _sum,
    _zeros,
)

SlogdetResult = namedtuple("SlogdetResult", ["sign", "logabsdet"])


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


def _cofactor(ans, a):
    """The cofactor matrix ``det(A) A⁻ᵀ``: the gradient of ``det``. A singular A has no
    inverse but still has cofactors; from ``A = U S Vᵀ`` they are
    ``det(U) det(V) U diag(ŝ) Vᵀ`` with ``ŝᵢ = prod_{j≠i} sⱼ`` (exact with zeros in s;
    its own derivatives at a singular A are those of ``svd``, so undefined there)."""
    if np.all(np.asarray(unbox_all(ans)) != 0):
        return _scalar_to_matrix(ans) * _mT(inv_p(a))
    from chainrule.primitives.linalg_decomp import svd_p
    from chainrule.primitives.reductions import _others_along_last

    u, s, vh = split_results(svd_p(a), 3)
    # det(U) det(V) = ±1: piecewise constant, so a plain value
    sign = np.linalg.det(np.asarray(unbox_all(u))) * np.linalg.det(np.asarray(unbox_all(vh)))
    others = _others_along_last(s) * np.expand_dims(sign, -1).astype(_fdtype(a))
    return _mm(u * _expand(others, -2), vh)


# d det A = det A · tr(A⁻¹ dA) = tr(cofactor(A)ᵀ dA)
det_p = defprimitive(
    "det",
    lambda xp, a: xp.linalg.det(a),
    vjp={0: lambda ans, a: (lambda c: lambda g: _scalar_to_matrix(g) * c)(_cofactor(ans, a))},
    jvp={0: lambda t, ans, a: _sum(_cofactor(ans, a) * t, (-2, -1))},
)


def _slogdet_vjp(argnums, ans, a):
    # d log|det A| = tr(A⁻¹ dA); the sign is piecewise constant.
    def pull(g):
        if g[1] is None:
            return [_zeros(shape_of(a), a)]
        return [_scalar_to_matrix(g[1]) * _mT(inv_p(a))]

    return pull


def _slogdet_jvp(tangents, ans, a):
    dlog = _sum(_mT(inv_p(a)) * tangents[0], (-2, -1))
    return (_zeros(shape_of(a)[:-2], a), dlog)


slogdet_p = defprimitive(
    "slogdet",
    lambda xp, a: tuple(xp.linalg.slogdet(a)),
    vjp_joint=_slogdet_vjp,
    jvp_joint=_slogdet_jvp,
    multiple_results=True,
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
    left = _eye(m, a) - _mm(a, p)
    right = _eye(n, a) - _mm(p, a)

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
    left = _eye(m, a) - _mm(a, p)
    right = _eye(n, a) - _mm(p, a)
    out = -_mm(_mm(p, t), p) + _mm(_mm(p, pt), _mm(tt, left))
    return out + _mm(_mm(right, tt), _mm(pt, p))


pinv_p = defprimitive("pinv", _pinv_impl, vjp={0: _pinv_vjp}, jvp={0: _pinv_jvp})


def _matrix_rank_impl(xp, a, *, tol=None, hermitian=False, rtol=None):
    kw = {} if rtol is None else {"rtol": rtol}
    return xp.linalg.matrix_rank(a, tol=tol, hermitian=hermitian, **kw)


matrix_rank_p = defzero("matrix_rank", _matrix_rank_impl)


# -- public functions: NumPy's names and signatures ----------------------------------------
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
