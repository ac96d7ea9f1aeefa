"""Determinants (part of ``chainrule.numpy.linalg``): ``det`` and ``slogdet``, with their
records and public functions.

``det``'s gradient is the cofactor matrix, which an invertible matrix gives as
``det(A) A⁻ᵀ`` and a singular one through its SVD; ``slogdet``'s sign has derivative
zero. The conventions of the family are listed in :mod:`chainrule.primitives.linalg`.
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np

from chainrule.core.primitive import defprimitive
from chainrule.core.trace import concrete_read, example_value
from chainrule.primitives import reductions as R
from chainrule.primitives import shape as S
from chainrule.primitives._helpers import shape_of, split_results
from chainrule.primitives.linalg_common import (
    check_matrix,
    floating_dtype,
    matrix_operand,
    zeros_for,
)
from chainrule.primitives.linalg_decomp import svd_p
from chainrule.primitives.linalg_solve import inv_p
from chainrule.primitives.products import matmul
from chainrule.primitives.shape import mT

__all__ = ["det", "slogdet"]

SlogdetResult = namedtuple("SlogdetResult", ["sign", "logabsdet"])


def _scalar_to_matrix(s):
    return S.expand_dims(S.expand_dims(s, -1), -1)


def _nonzero(v) -> bool:
    return bool(np.all(np.asarray(v) != 0))


def _cofactor(ans, a):
    """The cofactor matrix ``det(A) A⁻ᵀ``: the gradient of ``det``. A singular A has no
    inverse but still has cofactors; from ``A = U S Vᵀ`` they are
    ``det(U) det(V) U diag(ŝ) Vᵀ`` with ``ŝᵢ = prod_{j≠i} sⱼ`` (exact with zeros in s;
    its own derivatives at a singular A are those of ``svd``, so undefined there)."""
    if concrete_read(_nonzero, ans):
        return _scalar_to_matrix(ans) * mT(inv_p(a))
    u, s, vh = split_results(svd_p(a), 3)
    # det(U) det(V) = ±1: piecewise constant, so a plain value
    u_val, vh_val = (
        np.asarray(example_value(m, "det's gradient at a singular matrix")) for m in (u, vh)
    )
    sign = np.linalg.det(u_val) * np.linalg.det(vh_val)
    others = R.others_along_last(s) * np.expand_dims(sign, -1).astype(floating_dtype(a))
    return matmul(u * S.expand_dims(others, -2), vh)


def _det_vjp(ans, a):
    cofactor = _cofactor(ans, a)
    return lambda g: _scalar_to_matrix(g) * cofactor


# d det A = det A · tr(A⁻¹ dA) = tr(cofactor(A)ᵀ dA)
det_p = defprimitive(
    "det",
    lambda xp, a: xp.linalg.det(a),
    vjp={0: _det_vjp},
    jvp={0: lambda g, ans, a: R.sum(_cofactor(ans, a) * g, axis=(-2, -1))},
)


def _slogdet_vjp(argnums, ans, a):
    # d log|det A| = tr(A⁻¹ dA); the sign is piecewise constant.
    def pull(g):
        if g[1] is None:
            return [zeros_for(shape_of(a), a)]
        return [_scalar_to_matrix(g[1]) * mT(inv_p(a))]

    return pull


def _slogdet_jvp(gs, ans, a):
    dlog = R.sum(mT(inv_p(a)) * gs[0], axis=(-2, -1))
    return (zeros_for(shape_of(a)[:-2], a), dlog)


slogdet_p = defprimitive(
    "slogdet",
    lambda xp, a: tuple(xp.linalg.slogdet(a)),
    vjp_joint=_slogdet_vjp,
    jvp_joint=_slogdet_jvp,
    multiple_results=True,
)


# -- public functions: NumPy's names and signatures ----------------------------------------
def det(a):
    a = matrix_operand(a)
    check_matrix(a, "det")
    return det_p(a)


def slogdet(a):
    a = matrix_operand(a)
    check_matrix(a, "slogdet")
    return SlogdetResult(*split_results(slogdet_p(a), 2))
