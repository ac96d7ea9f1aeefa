"""Linear systems, inverses, the pseudo-inverse and the rank (part of
``chainrule.numpy.linalg``).

Records and public functions for ``inv``, ``solve``, ``pinv`` and the zero-derivative
``matrix_rank``. The rules are written with chainrule's own ops (mostly ``solve_p`` and
``inv_p`` themselves), so they differentiate again; the conventions they follow are
listed in :mod:`chainrule.primitives.linalg`.
"""

from __future__ import annotations

import numpy as np

from chainrule.core.primitive import defprimitive
from chainrule.core.trace import concrete_read
from chainrule.primitives import shape as S
from chainrule.primitives._args import MISSING
from chainrule.primitives._helpers import broadcast_like, defzero, ndim_of, shape_of, unbroadcast
from chainrule.primitives.linalg_common import (
    check_matrix,
    eye_for,
    matrix_operand,
    static_float,
)
from chainrule.primitives.products import matmul
from chainrule.primitives.shape import mT

__all__ = ["inv", "matrix_rank", "pinv", "solve"]


# -- inverse and solve ------------------------------------------------------------------------
# d A⁻¹ = -A⁻¹ dA A⁻¹
inv_p = defprimitive(
    "inv",
    lambda xp, a: xp.linalg.inv(a),
    vjp={0: lambda ans, a: lambda g: -matmul(matmul(mT(ans), g), mT(ans))},
    jvp={0: lambda g, ans, a: -matmul(matmul(ans, g), ans)},
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
        gb = solve_p(mT(a), g)
        out = {1: lambda: unbroadcast(gb, b), 0: lambda: unbroadcast(-matmul(gb, mT(ans)), a)}
        return [out[i]() for i in argnums]

    return pull


def _solve_jvp(gs, ans, a, b):
    # dx = A⁻¹ (db - dA x)
    ga, rhs = gs
    if ga is not None:
        rhs = -matmul(ga, ans) if rhs is None else rhs - matmul(ga, ans)
    return broadcast_like(solve_p(a, rhs), ans)


# b is always a stack of matrices here; the public ``solve`` handles a vector b.
solve_p = defprimitive("solve", _solve_impl, vjp_joint=_solve_vjp, jvp_joint=_solve_jvp)


# -- pseudo-inverse and rank ------------------------------------------------------------------
def _pinv_impl(xp, a, *, rcond=None, hermitian=False):
    if rcond is None:
        return xp.linalg.pinv(a, hermitian=hermitian)
    return xp.linalg.pinv(a, rcond=rcond, hermitian=hermitian)


def _pinv_vjp(ans, a, **kw):
    # P = A⁺ (constant rank):  Ā = -Pᵀ Ḡ Pᵀ + (I - AP) Ḡᵀ P Pᵀ + Pᵀ P Ḡᵀ (I - PA)
    m, n = shape_of(a)[-2:]
    p, pt = ans, mT(ans)
    left = eye_for(m, a) - matmul(a, p)
    right = eye_for(n, a) - matmul(p, a)

    def pull(g):
        gt = mT(g)
        out = -matmul(matmul(pt, g), pt) + matmul(matmul(left, gt), matmul(p, pt))
        return out + matmul(matmul(pt, p), matmul(gt, right))

    return pull


def _pinv_jvp(g, ans, a, **kw):
    # dP = -P dA P + P Pᵀ dAᵀ (I - AP) + (I - PA) dAᵀ Pᵀ P
    m, n = shape_of(a)[-2:]
    p, pt, gt = ans, mT(ans), mT(g)
    left = eye_for(m, a) - matmul(a, p)
    right = eye_for(n, a) - matmul(p, a)
    out = -matmul(matmul(p, g), p) + matmul(matmul(p, pt), matmul(gt, left))
    return out + matmul(matmul(right, gt), matmul(pt, p))


pinv_p = defprimitive("pinv", _pinv_impl, vjp={0: _pinv_vjp}, jvp={0: _pinv_jvp})


def _matrix_rank_impl(xp, a, *, tol=None, hermitian=False, rtol=None):
    kw = {} if rtol is None else {"rtol": rtol}
    return xp.linalg.matrix_rank(a, tol=tol, hermitian=hermitian, **kw)


matrix_rank_p = defzero("matrix_rank", _matrix_rank_impl)


# -- public functions: NumPy's names and signatures ----------------------------------------
def inv(a):
    a = matrix_operand(a)
    check_matrix(a, "inv")
    return inv_p(a)


def solve(a, b):
    """Solve ``a @ x = b``; b is a vector only when 1-D (NumPy 2's rule), else a stack of
    matrices whose batch dimensions broadcast against a's."""
    a, b = matrix_operand(a), matrix_operand(b)
    check_matrix(a, "solve")
    ashape, bshape = shape_of(a), shape_of(b)
    n = ashape[-1]
    vector = len(bshape) == 1
    if vector and bshape[0] != n or not vector and (len(bshape) < 2 or bshape[-2] != n):
        raise ValueError(
            f"solve: b of shape {bshape} does not match a of shape {ashape}; b must be "
            f"({n},) or (..., {n}, K)"
        )
    if vector:
        x = solve_p(a, S.expand_dims(b, -1))
        return S.reshape(x, shape_of(x)[:-1])
    try:
        np.broadcast_shapes(ashape[:-2], bshape[:-2])
    except ValueError:
        raise ValueError(
            f"solve: the batch dimensions of a {ashape} and b {bshape} do not broadcast"
        ) from None
    return solve_p(a, b)


def pinv(a, rcond=None, hermitian=False, *, rtol=MISSING):
    a = matrix_operand(a)
    check_matrix(a, "pinv", square=False)
    # NumPy 2's rules: rcond and rtol are the same cutoff (relative to the largest
    # singular value); rtol=None means max(M, N) * eps; neither given means 1e-15.
    if rcond is not None and rtol is not MISSING:
        raise ValueError("pinv: `rtol` and `rcond` can't be both set")
    if rcond is None:
        if rtol is MISSING:
            rcond = 1e-15
        elif rtol is None:
            rcond = max(shape_of(a)[-2:]) * np.finfo(np.float64).eps
        else:
            rcond = rtol
    return pinv_p(a, rcond=static_float(rcond, "rcond"), hermitian=bool(hermitian))


def _any_nonzero(v) -> int:
    return int(np.any(v != 0))


def matrix_rank(A, tol=None, hermitian=False, *, rtol=None):  # noqa: N803
    A = matrix_operand(A)  # noqa: N806
    if ndim_of(A) < 2:  # NumPy: a vector has rank 1 unless it is all zeros
        return concrete_read(_any_nonzero, A)
    return matrix_rank_p(
        A,
        tol=static_float(tol, "tol"),
        hermitian=bool(hermitian),
        rtol=static_float(rtol, "rtol"),
    )
