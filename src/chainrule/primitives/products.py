"""Products and contractions: ``matmul``, ``tensordot``, ``einsum``, and the diagonal
family (``diagonal``, ``diag``, ``triu``, ``tril``).

Registered primitives: ``matmul``, ``tensordot``, ``einsum``, ``diagonal``, ``diag``
(the 1-D to 2-D direction), ``triu`` and ``tril``. Every other public name is a thin
composition of these and of the shape/elementwise families: ``dot`` and ``inner`` pick
``matmul`` or ``tensordot`` by the operands' ranks, ``vdot``/``outer``/``kron`` reshape
and multiply, ``trace`` sums a ``diagonal``, ``cross`` is an ``einsum`` with the
Levi-Civita symbol.

All of these ops are bilinear (or linear), so each VJP is the op "transposed": the
cotangent of one operand is the same kind of product of the output cotangent with the
other operand(s). For complex operands the other operand is conjugated (the same
convention as the elementwise family). ``einsum``'s VJP for operand ``i`` is itself an
einsum, built by swapping operand ``i``'s subscripts with the output's; repeated labels
(``ii->i``) are put back on the diagonal with identity matrices, and labels that only
operand ``i`` sums over are restored with vectors of ones. Broadcast dimensions (of
``matmul``'s batch axes, or of einsum's ``...``) are summed back by ``unbroadcast``.
"""

from __future__ import annotations

import string
from collections import Counter

import numpy as np

from chainrule.core.primitive import defprimitive
from chainrule.core.trace import Box
from chainrule.primitives._helpers import (
    _conj_if_complex,
    deflinear,
    dtype_of,
    ndim_of,
    shape_of,
    unbroadcast,
)

__all__ = [
    "cross",
    "diag",
    "diagonal",
    "dot",
    "einsum",
    "inner",
    "kron",
    "matmul",
    "outer",
    "tensordot",
    "trace",
    "tril",
    "triu",
    "vdot",
]


def _E():
    from chainrule.primitives import elementwise

    return elementwise


def _S():
    from chainrule.primitives import shape

    return shape


def _R():
    from chainrule.primitives import reductions

    return reductions


def _asarray(x):
    """Plain inputs (lists, scalars) become arrays; traced values pass through."""
    return x if isinstance(x, Box) else np.asarray(x)


def _no_out(name, out):
    if out is not None:
        raise TypeError(f"{name}: out= is not supported (differentiable ops return new arrays)")


def _mT(x):
    return _S().swapaxes(x, -1, -2)


def _reshape(x, shape):
    shape = tuple(int(n) for n in shape)
    if -1 in shape:
        return _S().reshape(x, shape)
    return _S().reshape_to(x, shape)  # skips the no-op


def _conj(x):
    """Conjugate a complex operand (a no-op, and no traced op, for real ones)."""
    return _conj_if_complex(x)


# -- matmul ---------------------------------------------------------------------------
# C = A @ B: dA = dC @ Bᴴ, dB = Aᴴ @ dC (summed over broadcast batch axes); 1-D operands
# are the row/column vectors NumPy treats them as.


def _matmul_vjp_a(ans, a, b):
    def pull(g):
        na, nb = ndim_of(a), ndim_of(b)
        if na >= 2 and nb >= 2:  # the hot path (neural networks)
            return unbroadcast(matmul_p(g, _mT(_conj(b))), a)
        if na == 1 and nb == 1:  # vector . vector -> scalar
            return unbroadcast(g * _conj(b), a)
        if na == 1:  # (k,) @ (..., k, n) -> (..., n): ct_a = Bᴴ-contracted g
            col = matmul_p(_conj(b), _reshape(g, shape_of(g) + (1,)))
            return unbroadcast(_reshape(col, shape_of(col)[:-1]), a)
        # (..., m, k) @ (k,) -> (..., m): ct_a = outer(g, conj b)
        outer_ = _reshape(g, shape_of(g) + (1,)) * _conj(b)
        return unbroadcast(outer_, a)

    return pull


def _matmul_vjp_b(ans, a, b):
    def pull(g):
        na, nb = ndim_of(a), ndim_of(b)
        if na >= 2 and nb >= 2:
            return unbroadcast(matmul_p(_mT(_conj(a)), g), b)
        if na == 1 and nb == 1:
            return unbroadcast(g * _conj(a), b)
        if na == 1:  # (k,) @ (..., k, n): ct_b = outer(conj a, g)
            gs = shape_of(g)
            outer_ = _reshape(_conj(a), (shape_of(a)[0], 1)) * _reshape(g, gs[:-1] + (1, gs[-1]))
            return unbroadcast(outer_, b)
        # (..., m, k) @ (k,) -> (..., m): ct_b = g @ conj(A)
        row = matmul_p(_reshape(g, shape_of(g)[:-1] + (1, shape_of(g)[-1])), _conj(a))
        return unbroadcast(_reshape(row, shape_of(row)[:-2] + shape_of(row)[-1:]), b)

    return pull


matmul_p = defprimitive(
    "matmul",
    lambda xp, a, b: xp.matmul(a, b),
    vjp={0: _matmul_vjp_a, 1: _matmul_vjp_b},
    jvp={0: lambda t, ans, a, b: matmul_p(t, b), 1: lambda t, ans, a, b: matmul_p(a, t)},
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
    _no_out("matmul", out)
    if kwargs:
        raise TypeError(f"matmul: unsupported arguments {sorted(kwargs)}")
    x1, x2 = _asarray(x1), _asarray(x2)
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
        ct = tensordot_p(g, _conj(b), axes=(g_axes, tuple(fb)))
        if perm != tuple(range(na)):
            ct = _S().transpose(ct, perm)
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
        ct = tensordot_p(_conj(a), g, axes=(tuple(fa), g_axes))
        if perm != tuple(range(nb)):
            ct = _S().transpose(ct, perm)
        return unbroadcast(ct, b)

    return pull


tensordot_p = defprimitive(
    "tensordot",
    lambda xp, a, b, axes: xp.tensordot(a, b, axes=axes),
    vjp={0: _tensordot_vjp_a, 1: _tensordot_vjp_b},
    jvp={
        0: lambda t, ans, a, b, axes: tensordot_p(t, b, axes=axes),
        1: lambda t, ans, a, b, axes: tensordot_p(a, t, axes=axes),
    },
)


def tensordot(a, b, axes=2):
    """Sum products over the given axes (an int N: a's last N with b's first N)."""
    a, b = _asarray(a), _asarray(b)
    return tensordot_p(a, b, axes=_normalize_tensordot_axes(axes, shape_of(a), shape_of(b)))


# -- einsum ---------------------------------------------------------------------------
_LETTERS = string.ascii_letters


def _interleaved_to_subscripts(args):
    """einsum(op0, sublist0, op1, sublist1, ..., [out]) -> ("ab,bc->ac", ops)."""

    def term(sub):
        out = []
        for s in sub:
            if s is Ellipsis:
                out.append("...")
            elif isinstance(s, int | np.integer) and 0 <= s < 52:
                out.append(_LETTERS[26 + s] if s < 26 else _LETTERS[s - 26])
            else:
                raise ValueError(f"einsum: subscript {s!r} is not an int in [0, 52) or ...")
        return "".join(out)

    args = list(args)
    out = term(args.pop()) if len(args) % 2 == 1 else None
    ops = args[0::2]
    subs = ",".join(term(s) for s in args[1::2])
    return (subs if out is None else f"{subs}->{out}"), ops


def _canonical_subscripts(subscripts: str, shapes) -> str:
    """Explicit, letters-only subscripts: ``...`` replaced by fresh letters (aligned
    from the right, as broadcasting does) and the implicit output made explicit."""
    s = subscripts.replace(" ", "")
    if s.count("->") > 1:
        raise ValueError(f"einsum: subscripts {subscripts!r} contain more than one '->'")
    lhs, arrow, out = s.partition("->")
    terms = lhs.split(",")
    if len(terms) != len(shapes):
        raise ValueError(
            f"einsum: subscripts {subscripts!r} name {len(terms)} operand(s) but "
            f"{len(shapes)} were given"
        )
    for t in terms + ([out] if arrow else []):
        rest = t.replace("...", "", 1)
        bad = [c for c in rest if c not in _LETTERS]
        if bad:
            raise ValueError(
                f"einsum: invalid subscript character(s) {''.join(bad)!r} in {subscripts!r}"
                " (use letters, and '...' at most once per operand)"
            )
    used = set(lhs.replace(".", "")) | set(out.replace(".", ""))
    fresh = (c for c in _LETTERS if c not in used)
    n_ell = []
    for i, (t, shape) in enumerate(zip(terms, shapes, strict=True)):
        n_named = len(t.replace("...", ""))
        k = len(shape) - n_named if "..." in t else 0
        if k < 0 or ("..." not in t and n_named != len(shape)):
            raise ValueError(
                f"einsum: operand {i} has shape {tuple(shape)} but its subscripts {t!r} "
                f"name {n_named} axes"
            )
        n_ell.append(k)
    n = max(n_ell, default=0)
    try:
        ell = "".join(next(fresh) for _ in range(n))
    except RuntimeError:  # pragma: no cover - StopIteration inside a generator
        raise ValueError("einsum: too many axes for the 52 available labels") from None
    terms = [t.replace("...", ell[n - k :]) for t, k in zip(terms, n_ell, strict=True)]
    if arrow:
        if "..." in out:
            out = out.replace("...", ell)
        elif n:
            raise ValueError(
                f"einsum: {subscripts!r}: the operands have '...' axes but the output "
                "has no '...' to hold them"
            )
        if len(set(out)) != len(out):
            raise ValueError(f"einsum: output subscripts {out!r} repeat a label")
        missing = set(out) - set("".join(terms))
        if missing:
            raise ValueError(
                f"einsum: output label(s) {''.join(sorted(missing))!r} appear in no operand"
            )
    else:
        counts = Counter("".join(terms))
        once = sorted(c for c, m in counts.items() if m == 1 and c not in ell)
        out = ell + "".join(once)
    # label sizes must agree (or be 1, which broadcasts)
    sizes: dict[str, int] = {}
    for i, (t, shape) in enumerate(zip(terms, shapes, strict=True)):
        for c, d in zip(t, shape, strict=True):
            if sizes.get(c, 1) != 1 and d != 1 and sizes[c] != d:
                raise ValueError(
                    f"einsum: label {c!r} has size {sizes[c]} in one operand and {d} in "
                    f"operand {i} (shapes {[tuple(s) for s in shapes]})"
                )
            sizes[c] = max(sizes.get(c, 1), d)
    return ",".join(terms) + "->" + out


def _split_subscripts(subscripts):
    lhs, _, out = subscripts.partition("->")
    return lhs.split(","), out


def _einsum_transpose(g, ops, i, subscripts):
    """Cotangent of operand ``i``: the einsum with ``i``'s subscripts as the output."""
    terms, out = _split_subscripts(subscripts)
    target = terms[i]
    shape_i = shape_of(ops[i])
    dtype = dtype_of(g)
    fresh = (c for c in _LETTERS if c not in set(subscripts))
    new_terms, operands = [out], [g]
    for j, op in enumerate(ops):
        if j != i:
            new_terms.append(terms[j])
            operands.append(_conj(op))
    sizes: dict[str, int] = {}
    for t, op in zip(new_terms, operands, strict=True):
        for c, d in zip(t, shape_of(op), strict=True):
            sizes[c] = max(sizes.get(c, 1), d)
    result, seen = [], set()
    for c, d in zip(target, shape_i, strict=True):
        if c in seen:
            # a repeated label (a diagonal, 'ii'): tie the copy to the first one
            f = next(fresh)
            new_terms.append(c + f)
            operands.append(np.eye(d, dtype=dtype))
            result.append(f)
            continue
        seen.add(c)
        result.append(c)
        if sizes.get(c, 1) != d and d != 1:
            # summed by operand i alone (or broadcast from size 1): spread with ones
            new_terms.append(c)
            operands.append(np.ones(d, dtype=dtype))
            sizes[c] = d
    sub = ",".join(new_terms) + "->" + "".join(result)
    optimize = "greedy" if len(operands) > 2 else False
    return einsum_p(*operands, subscripts=sub, optimize=optimize)


def _einsum_vjp_joint(argnums, ans, *ops, subscripts, optimize):
    def pull(g):
        return [unbroadcast(_einsum_transpose(g, ops, i, subscripts), ops[i]) for i in argnums]

    return pull


def _einsum_jvp_joint(tangents, ans, *ops, subscripts, optimize):
    out = None
    for i, t in enumerate(tangents):
        if t is None:
            continue
        args = list(ops)
        args[i] = t
        term = einsum_p(*args, subscripts=subscripts, optimize=optimize)
        out = term if out is None else out + term
    return out


# einsum takes any number of operands, so its rules are the joint forms (one rule
# covering every operand position).
einsum_p = defprimitive(
    "einsum",
    lambda xp, *ops, subscripts, optimize: xp.einsum(subscripts, *ops, optimize=optimize),
    vjp_joint=_einsum_vjp_joint,
    jvp_joint=_einsum_jvp_joint,
)


def einsum(*operands, out=None, dtype=None, order="K", casting="safe", optimize=False):
    """Einstein summation, with NumPy's subscripts (``'ij,jk->ik'``, ``'ii->i'``,
    ``'...ij,...jk'``) or its interleaved operand/sublist form."""
    _no_out("einsum", out)
    if dtype is not None or order != "K" or casting != "safe":
        raise TypeError("einsum: dtype=, order= and casting= are not supported")
    if not operands:
        raise TypeError("einsum: no subscripts given")
    if isinstance(operands[0], str):
        subscripts, ops = operands[0], operands[1:]
    else:
        subscripts, ops = _interleaved_to_subscripts(operands)
    if not isinstance(optimize, bool | str):
        raise TypeError(
            "einsum: optimize must be True, False, 'greedy' or 'optimal' (explicit "
            "contraction paths are not supported)"
        )
    ops = tuple(_asarray(o) for o in ops)
    canonical = _canonical_subscripts(subscripts, [shape_of(o) for o in ops])
    return einsum_p(*ops, subscripts=canonical, optimize=optimize)


# -- diagonals and triangles ----------------------------------------------------------


def _diag_geometry(shape, offset, axis1, axis2):
    n1, n2 = shape[axis1], shape[axis2]
    i0, j0 = (0, offset) if offset >= 0 else (-offset, 0)
    length = max(0, min(n1 - i0, n2 - j0))
    return n1, n2, i0, j0, length


# The transpose of taking a diagonal: put g back on that diagonal of a zero array. Done
# with two einsums against constant 0/1 matrices (both O(size of a), no matmul):
# first spread g along axis1, then mask it onto the diagonal's positions along axis2.
def _diagonal_transpose(g, ans, a, offset, axis1, axis2):
    shape = shape_of(a)
    n = len(shape)
    n1, n2, i0, j0, length = _diag_geometry(shape, offset, axis1, axis2)
    dtype = dtype_of(g)
    spread = np.zeros((n1, length), dtype=dtype)
    spread[i0 + np.arange(length), np.arange(length)] = 1
    mask = np.eye(n1, n2, offset, dtype=dtype)
    labels = _LETTERS[:n]
    rest = "".join(c for k, c in enumerate(labels) if k not in (axis1, axis2))
    p, q, j = labels[axis1], labels[axis2], _LETTERS[n]
    h = einsum_p(g, spread, subscripts=f"{rest}{j},{p}{j}->{rest}{p}", optimize=False)
    ct = einsum_p(h, mask, subscripts=f"{rest}{p},{p}{q}->{labels}", optimize=False)
    return unbroadcast(ct, a)


diagonal_p = deflinear(
    "diagonal",
    lambda xp, a, offset, axis1, axis2: xp.diagonal(a, offset, axis1, axis2),
    lambda g, ans, a, offset, axis1, axis2: _diagonal_transpose(g, ans, a, offset, axis1, axis2),
)


def _norm_axis(axis, ndim, name):
    axis = int(axis)
    if not -ndim <= axis < ndim:
        raise ValueError(f"{name}: axis {axis} is out of bounds for an array of ndim {ndim}")
    return axis % ndim


def diagonal(a, offset=0, axis1=0, axis2=1):
    """The diagonal(s) along ``axis1``/``axis2``, appended as the last axis."""
    a = _asarray(a)
    n = ndim_of(a)
    if n < 2:
        raise ValueError(f"diagonal: array must be at least 2-D, got shape {shape_of(a)}")
    ax1, ax2 = _norm_axis(axis1, n, "diagonal"), _norm_axis(axis2, n, "diagonal")
    if ax1 == ax2:
        raise ValueError("diagonal: axis1 and axis2 cannot be the same")
    return diagonal_p(a, offset=int(offset), axis1=ax1, axis2=ax2)


def trace(a, offset=0, axis1=0, axis2=1, dtype=None, out=None):
    """Sum along a diagonal: ``sum(diagonal(a, offset, axis1, axis2), axis=-1)``."""
    _no_out("trace", out)
    res = _R().sum(diagonal(a, offset, axis1, axis2), axis=-1)
    if dtype is not None:
        res = _E().astype(res, np.dtype(dtype))
    return res


# 1-D -> 2-D: the vector on the k-th diagonal; its transpose reads that diagonal back.
diag_p = deflinear(
    "diag",
    lambda xp, v, k: xp.diag(v, k),
    lambda g, ans, v, k: diagonal_p(g, offset=k, axis1=0, axis2=1),
)


def diag(v, k=0):
    """A 1-D input's k-th diagonal matrix, or a 2-D input's k-th diagonal."""
    v = _asarray(v)
    n = ndim_of(v)
    if n == 1:
        return diag_p(v, k=int(k))
    if n == 2:
        return diagonal_p(v, offset=int(k), axis1=0, axis2=1)
    raise ValueError(f"diag: input must be 1-D or 2-D, got shape {shape_of(v)}")


# Masking is self-adjoint; a 1-D input was broadcast to a matrix, so its rows are summed.
triu_p = deflinear(
    "triu",
    lambda xp, m, k: xp.triu(m, k),
    lambda g, ans, m, k: unbroadcast(triu_p(g, k=k), m),
)
tril_p = deflinear(
    "tril",
    lambda xp, m, k: xp.tril(m, k),
    lambda g, ans, m, k: unbroadcast(tril_p(g, k=k), m),
)


def triu(m, k=0):
    """Upper triangle of the last two axes (entries below the k-th diagonal zeroed)."""
    m = _asarray(m)
    if ndim_of(m) < 1:
        raise ValueError("triu: input must be at least 1-D")
    return triu_p(m, k=int(k))


def tril(m, k=0):
    """Lower triangle of the last two axes (entries above the k-th diagonal zeroed)."""
    m = _asarray(m)
    if ndim_of(m) < 1:
        raise ValueError("tril: input must be at least 1-D")
    return tril_p(m, k=int(k))


# -- compositions -------------------------------------------------------------------------


def dot(a, b, out=None):
    """NumPy's ``dot``: a product of scalars, matrices, or a sum over a's last axis
    and b's second-to-last."""
    _no_out("dot", out)
    a, b = _asarray(a), _asarray(b)
    na, nb = ndim_of(a), ndim_of(b)
    if na == 0 or nb == 0:
        return _E().multiply(a, b)
    if nb == 1 or (nb == 2 and na <= 2):
        return matmul(a, b)
    return tensordot(a, b, axes=([na - 1], [nb - 2]))


def vdot(a, b, /):
    """Dot product of the flattened inputs, conjugating the first."""
    a, b = _asarray(a), _asarray(b)
    sa, sb = shape_of(a), shape_of(b)
    if int(np.prod(sa)) != int(np.prod(sb)):
        raise ValueError(f"vdot: inputs of shapes {sa} and {sb} have different sizes")
    return matmul_p(_reshape(_conj(a), (-1,)), _reshape(b, (-1,)))


def inner(a, b, /):
    """Sum of products over the last axes of a and b."""
    a, b = _asarray(a), _asarray(b)
    na, nb = ndim_of(a), ndim_of(b)
    if na == 0 or nb == 0:
        return _E().multiply(a, b)
    sa, sb = shape_of(a), shape_of(b)
    if sa[-1] != sb[-1]:
        raise ValueError(f"inner: last dimensions of shapes {sa} and {sb} differ")
    return tensordot_p(a, b, axes=((na - 1,), (nb - 1,)))


def outer(a, b, out=None):
    """``outer(a, b)[i, j] = a.ravel()[i] * b.ravel()[j]``."""
    _no_out("outer", out)
    a, b = _asarray(a), _asarray(b)
    return _reshape(a, (-1, 1)) * _reshape(b, (1, -1))


def kron(a, b):
    """Kronecker product: blocks ``a[i, j] * b``, written as an interleaved outer
    product followed by a reshape."""
    a, b = _asarray(a), _asarray(b)
    sa, sb = shape_of(a), shape_of(b)
    n = max(len(sa), len(sb))
    sa = (1,) * (n - len(sa)) + tuple(sa)
    sb = (1,) * (n - len(sb)) + tuple(sb)
    a_il = _reshape(a, [d for s in sa for d in (s, 1)])
    b_il = _reshape(b, [d for s in sb for d in (1, s)])
    return _reshape(a_il * b_il, [x * y for x, y in zip(sa, sb, strict=True)])


# eps[i, j, k]: the sign of the permutation (i, j, k) of (0, 1, 2), else 0
_LEVI_CIVITA = np.zeros((3, 3, 3))
for _i, _j, _k in ((0, 1, 2), (1, 2, 0), (2, 0, 1)):
    _LEVI_CIVITA[_i, _j, _k] = 1.0
    _LEVI_CIVITA[_i, _k, _j] = -1.0


def cross(a, b, axisa=-1, axisb=-1, axisc=-1, axis=None):
    """Cross product of 3-vectors (``c_i = eps_ijk a_j b_k``) or the scalar cross
    product of 2-vectors, broadcasting over the other axes."""
    a, b = _asarray(a), _asarray(b)
    if axis is not None:
        axisa = axisb = axisc = axis
    S = _S()
    a = S.moveaxis(a, axisa, -1)
    b = S.moveaxis(b, axisb, -1)
    da, db = shape_of(a)[-1], shape_of(b)[-1]
    if da not in (2, 3) or db not in (2, 3):
        raise ValueError(
            f"cross: vectors must have 2 or 3 components, got shapes {shape_of(a)} and "
            f"{shape_of(b)} (after moving the vector axis last)"
        )
    dtype = np.result_type(dtype_of(a), dtype_of(b))
    if dtype.kind not in "fc":
        dtype = np.dtype(np.float64)
    if da == 2 and db == 2:
        eps2 = np.array([[0.0, 1.0], [-1.0, 0.0]], dtype=dtype)
        return einsum("...j,...k,jk->...", a, b, eps2)
    embed = np.eye(3, 2, dtype=dtype)  # a 2-vector is the 3-vector (x, y, 0)
    if da == 2:
        a = einsum("...j,ij->...i", a, embed)
    if db == 2:
        b = einsum("...j,ij->...i", b, embed)
    c = einsum("...j,...k,ijk->...i", a, b, _LEVI_CIVITA.astype(dtype))
    return S.moveaxis(c, -1, axisc)
