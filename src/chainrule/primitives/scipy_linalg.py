"""``scipy.linalg``'s triangular, Sylvester and square-root solvers, with SciPy's names
and signatures; their forwards are SciPy's (imported when first called). ``cholesky``,
``cho_factor``/``cho_solve`` and ``solve_banded`` are compositions.

Rules (``op(A)`` is ``A`` or ``Aᵀ`` as ``trans`` says; ``tri`` keeps the triangle that
the solver reads):

* ``x = op(A)⁻¹ b``:  ``b̄ = op(A)⁻ᵀ ḡ``, ``Ā = -tri(b̄ xᵀ)`` (``-tri(x b̄ᵀ)`` for ``Aᵀ``);
  ``ẋ = op(A)⁻¹ (ḃ - op(tri(Ȧ)) x)``.
* Sylvester ``A X + X B = Q``:  ``Ẋ`` solves the same equation with right-hand side
  ``Q̇ - Ȧ X - X Ḃ``; the cotangent ``G`` solves ``Aᵀ G + G Bᵀ = ḡ``, and then
  ``Q̄ = G``, ``Ā = -G Xᵀ``, ``B̄ = -Xᵀ G``.
* ``S = √A`` solves ``S S = A``: ``S Ṡ + Ṡ S = Ȧ`` is a Sylvester equation, and
  ``Ā`` solves ``Sᵀ Ā + Ā Sᵀ = ḡ``.

Every rule calls these records again, so derivatives of any order exist.
"""

from __future__ import annotations

import numpy as np

from chainrule.core.primitive import defprimitive
from chainrule.primitives import shape as S
from chainrule.primitives._helpers import broadcast_like, ndim_of, shape_of, unbroadcast
from chainrule.primitives._scipy import scipy_module
from chainrule.primitives.linalg_decomp import cholesky as _np_cholesky
from chainrule.primitives.linalg_solve import solve
from chainrule.primitives.products import matmul
from chainrule.primitives.products_diagonal import tril, triu
from chainrule.primitives.selection import where
from chainrule.primitives.shape import mT

__all__ = [
    "cho_factor", "cho_solve", "cholesky", "solve_banded", "solve_sylvester",
    "solve_triangular", "sqrtm",
]  # fmt: skip


def _linalg(name):
    return getattr(scipy_module("linalg", f"chainrule.scipy.linalg.{name}"), name)


# -- triangular solves ----------------------------------------------------------------------
def _tri(m, lower: bool, unit_diagonal: bool):
    """The part of ``m`` that a triangular solve reads."""
    k = int(unit_diagonal)
    return tril(m, -k) if lower else triu(m, k)


def _op(m, trans: int):
    return mT(m) if trans else m


def _solve_triangular_impl(xp, a, b, *, trans, lower, unit_diagonal):
    return _linalg("solve_triangular")(a, b, trans=trans, lower=lower, unit_diagonal=unit_diagonal)


def _solve_triangular_vjp(argnums, ans, a, b, *, trans, lower, unit_diagonal):
    def pull(g):
        gb = solve_triangular_p(a, g, trans=1 - trans, lower=lower, unit_diagonal=unit_diagonal)
        outer = matmul(ans, mT(gb)) if trans else matmul(gb, mT(ans))
        out = {0: lambda: -_tri(outer, lower, unit_diagonal), 1: lambda: gb}
        return [out[i]() for i in argnums]

    return pull


def _solve_triangular_jvp(gs, ans, a, b, *, trans, lower, unit_diagonal):
    ga, rhs = gs
    if ga is not None:
        step = matmul(_op(_tri(ga, lower, unit_diagonal), trans), ans)
        rhs = -step if rhs is None else rhs - step
    return solve_triangular_p(a, rhs, trans=trans, lower=lower, unit_diagonal=unit_diagonal)


# b is a matrix here; the public function handles a vector b
solve_triangular_p = defprimitive(
    "solve_triangular",
    _solve_triangular_impl,
    vjp_joint=_solve_triangular_vjp,
    jvp_joint=_solve_triangular_jvp,
)

_TRANS = {0: 0, 1: 1, "N": 0, "T": 1}


def solve_triangular(a, b, trans=0, lower=False, unit_diagonal=False, overwrite_b=False,
                     check_finite=True):  # fmt: skip
    """Solve ``op(a) x = b`` for triangular ``a`` (``trans``: 0/'N' for ``a``, 1/'T' for
    ``aᵀ``; ``lower`` says which triangle is read)."""
    if trans not in _TRANS:
        raise ValueError(f"solve_triangular: trans must be 0, 1, 'N' or 'T', got {trans!r}")
    if ndim_of(a) != 2 or shape_of(a)[0] != shape_of(a)[1]:
        raise ValueError(f"solve_triangular: a must be a square matrix, got shape {shape_of(a)}")
    if ndim_of(b) not in (1, 2) or shape_of(b)[0] != shape_of(a)[0]:
        raise ValueError(
            f"solve_triangular: b must have {shape_of(a)[0]} rows, got shape {shape_of(b)}"
        )
    kw = {"trans": _TRANS[trans], "lower": bool(lower), "unit_diagonal": bool(unit_diagonal)}
    if ndim_of(b) == 1:
        return S.reshape(solve_triangular_p(a, S.expand_dims(b, -1), **kw), shape_of(b))
    return solve_triangular_p(a, b, **kw)


# -- Sylvester equations and the matrix square root ------------------------------------------
def _sylvester_vjp(argnums, ans, a, b, q):
    def pull(g):
        gq = solve_sylvester_p(mT(a), mT(b), g)
        out = {0: lambda: -matmul(gq, mT(ans)), 1: lambda: -matmul(mT(ans), gq), 2: lambda: gq}
        return [out[i]() for i in argnums]

    return pull


def _sylvester_jvp(gs, ans, a, b, q):
    ga, gb, gq = gs
    rhs = [t for t in (gq, None if ga is None else -matmul(ga, ans),
                       None if gb is None else -matmul(ans, gb)) if t is not None]  # fmt: skip
    total = rhs[0]
    for t in rhs[1:]:
        total = total + t
    return solve_sylvester_p(a, b, total)


solve_sylvester_p = defprimitive(
    "solve_sylvester",
    lambda xp, a, b, q: _linalg("solve_sylvester")(a, b, q),
    vjp_joint=_sylvester_vjp,
    jvp_joint=_sylvester_jvp,
)


def solve_sylvester(a, b, q):
    """Solve ``a x + x b = q`` for ``x``."""
    for name, m in (("a", a), ("b", b)):
        if ndim_of(m) != 2 or shape_of(m)[0] != shape_of(m)[1]:
            raise ValueError(f"solve_sylvester: {name} must be square, got shape {shape_of(m)}")
    if shape_of(q) != (shape_of(a)[0], shape_of(b)[0]):
        raise ValueError(
            f"solve_sylvester: q must have shape {(shape_of(a)[0], shape_of(b)[0])}, "
            f"got {shape_of(q)}"
        )
    return solve_sylvester_p(a, b, q)


def _sqrtm_impl(xp, a):
    root = _linalg("sqrtm")(a)
    return root[0] if isinstance(root, tuple) else root


sqrtm_p = defprimitive(
    "sqrtm",
    _sqrtm_impl,
    vjp={0: lambda ans, a: lambda g: unbroadcast(solve_sylvester_p(mT(ans), mT(ans), g), a)},
    jvp={0: lambda g, ans, a: broadcast_like(solve_sylvester_p(ans, ans, g), ans)},
)


def sqrtm(A, disp=True, blocksize=64):  # noqa: N803 (SciPy's name)
    """The principal square root of the square matrix ``A`` (complex where ``A`` has
    negative eigenvalues, as SciPy's)."""
    if ndim_of(A) != 2 or shape_of(A)[0] != shape_of(A)[1]:
        raise ValueError(f"sqrtm: A must be a square matrix, got shape {shape_of(A)}")
    return sqrtm_p(A)


# -- Cholesky and banded systems: compositions ----------------------------------------------
def cholesky(a, lower=False, overwrite_a=False, check_finite=True):
    """The Cholesky factor of ``a``: upper ``U`` with ``a = Uᵀ U`` (SciPy's default), or
    lower ``L`` with ``a = L Lᵀ``."""
    return _np_cholesky(a, upper=not lower)


def cho_factor(a, lower=False, overwrite_a=False, check_finite=True):
    """``(c, lower)`` for :func:`cho_solve`; ``c`` is the factor, zero off its triangle."""
    return cholesky(a, lower=lower), lower


def cho_solve(c_and_lower, b, overwrite_b=False, check_finite=True):
    """Solve ``a x = b`` given ``cho_factor(a)``."""
    c, lower = c_and_lower
    if lower:  # a = L Lᵀ
        return solve_triangular(c, solve_triangular(c, b, lower=True), trans=1, lower=True)
    return solve_triangular(c, solve_triangular(c, b, trans=1), lower=False)  # a = Uᵀ U


def _band_indices(n: int, lower: int, upper: int):
    """Where ``A[i, j]`` sits in band storage (``ab[upper + i - j, j]``), and which
    ``(i, j)`` are inside the band."""
    i, j = np.indices((n, n))
    row = upper + i - j
    inside = (row >= 0) & (row <= lower + upper)
    return np.where(inside, row, 0), j, inside


def solve_banded(l_and_u, ab, b, overwrite_ab=False, overwrite_b=False, check_finite=True):
    """Solve ``A x = b`` for the banded ``A`` given in SciPy's band storage ``ab``
    (``ab[u + i - j, j] = A[i, j]``). The band is unpacked into the full matrix and
    solved densely (O(n³), not the banded O(n)); the gradient of ``ab`` lies in the band."""
    lower, upper = (int(k) for k in l_and_u)
    if ndim_of(ab) != 2 or shape_of(ab)[0] != lower + upper + 1:
        raise ValueError(
            f"solve_banded: ab must have l + u + 1 = {lower + upper + 1} rows, "
            f"got shape {shape_of(ab)}"
        )
    row, col, inside = _band_indices(shape_of(ab)[1], lower, upper)
    return solve(where(inside, ab[row, col], 0.0), b)
