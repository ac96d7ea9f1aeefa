"""Products and contractions: ``matmul``, ``tensordot``, and NumPy's other product
functions built on them. (``einsum`` is in :mod:`.products_einsum`, the diagonal family
``diagonal``, ``diag``, ``trace``, ``triu``, ``tril`` in :mod:`.products_diagonal`.)

Records: ``matmul`` and ``tensordot``. The other public names are thin compositions:
``dot`` and ``inner`` pick ``matmul`` or ``tensordot`` by the operands' ranks,
``vdot``/``outer``/``kron`` reshape and multiply, ``cross`` is an ``einsum`` with the
Levi-Civita symbol.

These ops are bilinear, so each VJP is the op "transposed": the cotangent of one
operand is the same kind of product of the output cotangent with the other operand,
``dA = g Bᵀ`` and ``dB = Aᵀ g`` for ``C = A B``. For complex operands nothing is
conjugated in the rules: autograd's convention (the VJP of a holomorphic op is
``g * f'(z)``), as in the elementwise family. Broadcast batch axes of ``matmul`` are
summed back by ``unbroadcast``.
"""

from __future__ import annotations

import numpy as np

from chainrule.core.backend import namespace_dtype
from chainrule.core.primitive import defprimitive
from chainrule.primitives import shape as S
from chainrule.primitives._args import as_array, reject_out
from chainrule.primitives._helpers import (
    conj_if_complex,
    dtype_of,
    namespace_of,
    ndim_of,
    reshape_to,
    shape_of,
    unbroadcast,
)
from chainrule.primitives.elementwise import multiply
from chainrule.primitives.products_einsum import einsum

__all__ = ["cross", "dot", "inner", "kron", "matmul", "outer", "tensordot", "vdot"]


# -- matmul ---------------------------------------------------------------------------
# C = A @ B: dA = g @ Bᵀ, dB = Aᵀ @ g (summed over broadcast batch axes); 1-D operands
# are the row/column vectors NumPy treats them as.


def _transposed_layout(x) -> bool:
    """Whether ``x`` is a 2-D array stored column-major (typically the view ``w.T``).
    Its cotangent is then computed transposed, so that it comes out in the same
    layout: the cotangent reaching ``w`` through ``w.T`` is then row-major like ``w``,
    and the update ``w - lr * g`` runs at full speed (a strided one is ~10x slower)."""
    flags = getattr(x, "flags", None)
    return flags is not None and x.ndim == 2 and flags.f_contiguous and not flags.c_contiguous


def _matmul_vjp_a(ans, a, b):
    def pull(g):
        na, nb = ndim_of(a), ndim_of(b)
        if na >= 2 and nb >= 2:  # the hot path (neural networks)
            if _transposed_layout(a):  # dA = (B gᵀ)ᵀ, column-major like A
                return unbroadcast(S.mT(matmul_p(b, S.mT(g))), a)
            return unbroadcast(matmul_p(g, S.mT(b)), a)
        if na == 1 and nb == 1:  # vector . vector -> scalar
            return unbroadcast(g * b, a)
        if na == 1:  # (k,) @ (..., k, n) -> (..., n): the cotangent of a is B g
            col = matmul_p(b, reshape_to(g, shape_of(g) + (1,)))
            return unbroadcast(reshape_to(col, shape_of(col)[:-1]), a)
        # (..., m, k) @ (k,) -> (..., m): the cotangent of a is outer(g, b)
        return unbroadcast(reshape_to(g, shape_of(g) + (1,)) * b, a)

    return pull


def _matmul_vjp_b(ans, a, b):
    def pull(g):
        na, nb = ndim_of(a), ndim_of(b)
        if na >= 2 and nb >= 2:
            if _transposed_layout(b):  # dB = (gᵀ A)ᵀ, column-major like B
                return unbroadcast(S.mT(matmul_p(S.mT(g), a)), b)
            return unbroadcast(matmul_p(S.mT(a), g), b)
        if na == 1 and nb == 1:
            return unbroadcast(g * a, b)
        gs = shape_of(g)
        if na == 1:  # (k,) @ (..., k, n): the cotangent of b is outer(a, g)
            outer_ = reshape_to(a, (shape_of(a)[0], 1)) * reshape_to(g, gs[:-1] + (1, gs[-1]))
            return unbroadcast(outer_, b)
        # (..., m, k) @ (k,) -> (..., m): the cotangent of b is g @ A
        row = matmul_p(reshape_to(g, gs[:-1] + (1, gs[-1])), a)
        return unbroadcast(reshape_to(row, shape_of(row)[:-2] + shape_of(row)[-1:]), b)

    return pull


matmul_p = defprimitive(
    "matmul",
    lambda xp, a, b: xp.matmul(a, b),
    vjp={0: _matmul_vjp_a, 1: _matmul_vjp_b},
    jvp={0: lambda g, ans, a, b: matmul_p(g, b), 1: lambda g, ans, a, b: matmul_p(a, g)},
)


def _check_matmul(a, b):
    sa, sb = shape_of(a), shape_of(b)
    if len(sa) == 0 or len(sb) == 0:
        raise ValueError(
            f"matmul: operands must be at least 1-D, got shapes {sa} and {sb} "
            "(use multiply for scalars)"
        )
    ka = sa[-1]
    kb = sb[-2] if len(sb) >= 2 else sb[0]
    if ka != kb:
        raise ValueError(
            f"matmul: shapes {sa} and {sb} do not align: {ka} (last axis of the first) "
            f"!= {kb} ({'second-to-last' if len(sb) >= 2 else 'only'} axis of the second)"
        )
    try:
        np.broadcast_shapes(sa[:-2], sb[:-2])
    except ValueError:
        raise ValueError(
            f"matmul: batch dimensions of shapes {sa} and {sb} do not broadcast"
        ) from None


def matmul(x1, x2, /, out=None, **kwargs):
    """Matrix product with NumPy's broadcasting rules (``x1 @ x2``)."""
    reject_out("matmul", out)
    if kwargs:
        raise TypeError(f"matmul: unsupported arguments {sorted(kwargs)}")
    x1, x2 = as_array(x1), as_array(x2)
    _check_matmul(x1, x2)
    return matmul_p(x1, x2)


# -- tensordot ------------------------------------------------------------------------


def _normalize_tensordot_axes(axes, sa, sb):
    na, nb = len(sa), len(sb)
    if isinstance(axes, int | np.integer):
        n = int(axes)
        if n < 0 or n > min(na, nb):
            raise ValueError(f"tensordot: axes={n} is out of range for shapes {sa} and {sb}")
        ca, cb = tuple(range(na - n, na)), tuple(range(n))
    else:
        try:
            xa, xb = axes
        except (TypeError, ValueError):
            raise TypeError(
                f"tensordot: axes must be an int or a pair of axis sequences, got {axes!r}"
            ) from None
        xa = (xa,) if isinstance(xa, int | np.integer) else tuple(xa)
        xb = (xb,) if isinstance(xb, int | np.integer) else tuple(xb)
        if len(xa) != len(xb):
            raise ValueError(f"tensordot: axes {xa} and {xb} have different lengths")

        def norm(ax, n, name):
            out = []
            for i in ax:
                i = int(i)
                if not -n <= i < n:
                    raise ValueError(f"tensordot: axis {i} is out of range for {name} ndim {n}")
                out.append(i % n)
            if len(set(out)) != len(out):
                raise ValueError(f"tensordot: repeated axis in {ax}")
            return tuple(out)

        ca, cb = norm(xa, na, "a"), norm(xb, nb, "b")
    for i, j in zip(ca, cb, strict=True):
        if sa[i] != sb[j]:
            raise ValueError(
                f"tensordot: shape mismatch for the summed axes: shapes {sa} and {sb}, "
                f"axis {i} of a has length {sa[i]} but axis {j} of b has length {sb[j]}"
            )
    return ca, cb


def _argsort(seq):
    return tuple(sorted(range(len(seq)), key=seq.__getitem__))


# tensordot(a, b) contracts a's axes ca with b's axes cb; the output holds a's free axes
# then b's. Each cotangent contracts g with the other operand over that operand's free
# axes, then a transpose puts the axes back in the operand's own order.
def _tensordot_vjp_a(ans, a, b, axes):
    ca, cb = axes
    na, nb = ndim_of(a), ndim_of(b)
    fa = [i for i in range(na) if i not in ca]
    fb = [i for i in range(nb) if i not in cb]
    # result axes: a's free axes, then the a-axis paired with each remaining b axis
    order = fa + [ca[cb.index(j)] for j in sorted(cb)]
    perm = _argsort(order)
    g_axes = tuple(range(len(fa), len(fa) + len(fb)))

    def pull(g):
        ct = tensordot_p(g, b, axes=(g_axes, tuple(fb)))
        if perm != tuple(range(na)):
            ct = S.transpose(ct, perm)
        return unbroadcast(ct, a)

    return pull


def _tensordot_vjp_b(ans, a, b, axes):
    ca, cb = axes
    na, nb = ndim_of(a), ndim_of(b)
    fa = [i for i in range(na) if i not in ca]
    fb = [i for i in range(nb) if i not in cb]
    order = [cb[ca.index(i)] for i in sorted(ca)] + fb
    perm = _argsort(order)
    g_axes = tuple(range(len(fa)))

    def pull(g):
        ct = tensordot_p(a, g, axes=(tuple(fa), g_axes))
        if perm != tuple(range(nb)):
            ct = S.transpose(ct, perm)
        return unbroadcast(ct, b)

    return pull


tensordot_p = defprimitive(
    "tensordot",
    lambda xp, a, b, axes: xp.tensordot(a, b, axes=axes),
    vjp={0: _tensordot_vjp_a, 1: _tensordot_vjp_b},
    jvp={
        0: lambda g, ans, a, b, axes: tensordot_p(g, b, axes=axes),
        1: lambda g, ans, a, b, axes: tensordot_p(a, g, axes=axes),
    },
)


def tensordot(a, b, axes=2):
    """Sum products over the given axes (an int N: a's last N with b's first N)."""
    a, b = as_array(a), as_array(b)
    return tensordot_p(a, b, axes=_normalize_tensordot_axes(axes, shape_of(a), shape_of(b)))


# -- compositions -------------------------------------------------------------------------


def dot(a, b, out=None):
    """NumPy's ``dot``: a product of scalars, matrices, or a sum over a's last axis
    and b's second-to-last."""
    reject_out("dot", out)
    a, b = as_array(a), as_array(b)
    na, nb = ndim_of(a), ndim_of(b)
    if na == 0 or nb == 0:
        return multiply(a, b)
    if nb == 1 or (nb == 2 and na <= 2):
        return matmul(a, b)
    return tensordot(a, b, axes=([na - 1], [nb - 2]))


def vdot(a, b, /):
    """Dot product of the flattened inputs, conjugating the first."""
    a, b = as_array(a), as_array(b)
    sa, sb = shape_of(a), shape_of(b)
    if int(np.prod(sa)) != int(np.prod(sb)):
        raise ValueError(f"vdot: inputs of shapes {sa} and {sb} have different sizes")
    return matmul_p(S.reshape(conj_if_complex(a), (-1,)), S.reshape(b, (-1,)))


def inner(a, b, /):
    """Sum of products over the last axes of a and b."""
    a, b = as_array(a), as_array(b)
    na, nb = ndim_of(a), ndim_of(b)
    if na == 0 or nb == 0:
        return multiply(a, b)
    sa, sb = shape_of(a), shape_of(b)
    if sa[-1] != sb[-1]:
        raise ValueError(f"inner: last dimensions of shapes {sa} and {sb} differ")
    return tensordot_p(a, b, axes=((na - 1,), (nb - 1,)))


def outer(a, b, out=None):
    """``outer(a, b)[i, j] = a.ravel()[i] * b.ravel()[j]``."""
    reject_out("outer", out)
    a, b = as_array(a), as_array(b)
    return S.reshape(a, (-1, 1)) * S.reshape(b, (1, -1))


def kron(a, b):
    """Kronecker product: blocks ``a[i, j] * b``, written as an interleaved outer
    product followed by a reshape."""
    a, b = as_array(a), as_array(b)
    sa, sb = shape_of(a), shape_of(b)
    n = max(len(sa), len(sb))
    sa = (1,) * (n - len(sa)) + tuple(sa)
    sb = (1,) * (n - len(sb)) + tuple(sb)
    a_il = reshape_to(a, tuple(d for s in sa for d in (s, 1)))
    b_il = reshape_to(b, tuple(d for s in sb for d in (1, s)))
    return reshape_to(a_il * b_il, tuple(x * y for x, y in zip(sa, sb, strict=True)))


# eps[i, j, k]: the sign of the permutation (i, j, k) of (0, 1, 2), else 0
_LEVI_CIVITA = np.zeros((3, 3, 3))
for _i, _j, _k in ((0, 1, 2), (1, 2, 0), (2, 0, 1)):
    _LEVI_CIVITA[_i, _j, _k] = 1.0
    _LEVI_CIVITA[_i, _k, _j] = -1.0
_LEVI_CIVITA_3D = _LEVI_CIVITA.tolist()
_LEVI_CIVITA_2D = [[0.0, 1.0], [-1.0, 0.0]]
_EMBED_2D = np.eye(3, 2).tolist()  # a 2-vector is the 3-vector (x, y, 0)


def cross(a, b, axisa=-1, axisb=-1, axisc=-1, axis=None):
    """Cross product of 3-vectors (``c_i = eps_ijk a_j b_k``) or the scalar cross
    product of 2-vectors, broadcasting over the other axes."""
    a, b = as_array(a), as_array(b)
    if axis is not None:
        axisa = axisb = axisc = axis
    a = S.moveaxis(a, axisa, -1)
    b = S.moveaxis(b, axisb, -1)
    da, db = shape_of(a)[-1], shape_of(b)[-1]
    if da not in (2, 3) or db not in (2, 3):
        raise ValueError(
            f"cross: vectors must have 2 or 3 components, got shapes {shape_of(a)} and "
            f"{shape_of(b)} (after moving the vector axis last)"
        )
    dtype = np.result_type(dtype_of(a), dtype_of(b))
    if dtype.kind not in "fciu":  # integers stay integers, as in NumPy
        dtype = np.dtype(np.float64)
    # the constants are made in the operands' library, so they meet them on their device
    xp = namespace_of(a, b)

    def constant(table):
        return xp.asarray(table, dtype=namespace_dtype(xp, dtype))

    if da == 2 and db == 2:
        return einsum("...j,...k,jk->...", a, b, constant(_LEVI_CIVITA_2D))
    embed = constant(_EMBED_2D)
    if da == 2:
        a = einsum("...j,ij->...i", a, embed)
    if db == 2:
        b = einsum("...j,ij->...i", b, embed)
    c = einsum("...j,...k,ijk->...i", a, b, constant(_LEVI_CIVITA_3D))
    return S.moveaxis(c, -1, axisc)
