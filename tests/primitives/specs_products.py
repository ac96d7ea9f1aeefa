"""Sweep entries for the products family: matmul, tensordot, einsum, the diagonal
family, and the compositions built on them (dot, vdot, inner, outer, kron, trace, cross).
"""

import numpy as np

import chainrule.numpy as cnp
from tests.primitives._spec import Arg, OpSpec

SPECS = []


def _add(name, fun, shapes, ref, covers):
    SPECS.append(OpSpec(name, fun, [Arg(s) for s in shapes], ref=ref, covers=covers))


# -- matmul: matrix, vector and batched (broadcast) operands ---------------------------------
for _sa, _sb in [
    ((3, 4), (4, 2)),
    ((4,), (4, 2)),
    ((3, 4), (4,)),
    ((4,), (4,)),
    ((2, 3, 4), (4, 2)),
    ((3, 4), (2, 4, 5)),
    ((2, 1, 3, 4), (5, 4, 2)),
    ((4,), (2, 4, 3)),
    ((2, 3, 4), (4,)),
]:
    _add(f"matmul-{_sa}-{_sb}", cnp.matmul, (_sa, _sb), np.matmul, ("matmul",))
_add("matmul-operator", lambda a, b: a @ b, ((3, 4), (4, 2)), np.matmul, ("matmul",))

# -- dot / vdot / inner / outer (compositions) ---------------------------------------------
for _sa, _sb, _covers in [
    ((), (3,), ("multiply",)),
    ((3,), (3,), ("matmul",)),
    ((2, 3), (3, 4), ("matmul",)),
    ((2, 3), (3,), ("matmul",)),
    ((3,), (3, 2), ("matmul",)),
    ((2, 3, 4), (5, 4, 2), ("tensordot",)),
    ((2, 3), (4, 3, 2), ("tensordot",)),
]:
    _add(f"dot-{_sa}-{_sb}", cnp.dot, (_sa, _sb), np.dot, _covers)
_add("vdot-matrix", cnp.vdot, ((2, 3), (3, 2)), np.vdot, ("matmul", "reshape"))
_add("vdot-vector", cnp.vdot, ((4,), (4,)), np.vdot, ("matmul",))
_add("inner-vector", cnp.inner, ((4,), (4,)), np.inner, ("tensordot",))
_add("inner-nd", cnp.inner, ((2, 3), (4, 3)), np.inner, ("tensordot",))
_add("inner-scalar", cnp.inner, ((), (2, 3)), np.inner, ("multiply",))
_add("outer-vector", cnp.outer, ((3,), (4,)), np.outer, ("reshape", "multiply"))
_add("outer-flattens", cnp.outer, ((2, 2), (3,)), np.outer, ("reshape", "multiply"))

# -- tensordot --------------------------------------------------------------------------------
for _name, _sa, _sb, _axes in [
    ("int2", (2, 3, 4), (3, 4, 5), 2),
    ("int0", (2, 3), (4,), 0),
    ("int1", (2, 3), (3, 4), 1),
    ("pairs", (2, 3, 4), (4, 5, 2), ([0, 2], [2, 0])),
    ("pairs-neg", (3, 4, 2), (2, 3), ([-1, 0], [0, -1])),
    ("single", (3, 4), (5, 3), (0, 1)),
]:
    SPECS.append(
        OpSpec(
            f"tensordot-{_name}",
            lambda a, b, _axes=_axes: cnp.tensordot(a, b, axes=_axes),
            [Arg(_sa), Arg(_sb)],
            ref=lambda a, b, _axes=_axes: np.tensordot(a, b, axes=_axes),
            covers=("tensordot",),
        )
    )

# -- einsum ---------------------------------------------------------------------------------
for _sub, _shapes in [
    ("ij,jk->ik", ((3, 4), (4, 2))),
    ("ij,jk", ((3, 4), (4, 2))),
    ("i,i->", ((4,), (4,))),
    ("i,j->ij", ((3,), (4,))),
    ("ij->ji", ((3, 4),)),
    ("ij->", ((3, 4),)),
    ("ij->j", ((3, 4),)),
    ("ii->i", ((3, 3),)),
    ("ii", ((3, 3),)),
    ("iji->j", ((3, 2, 3),)),
    ("bij,bjk->bik", ((2, 3, 4), (2, 4, 5))),
    ("...ij,...jk->...ik", ((2, 3, 4), (4, 5))),
    ("...ij,...jk", ((1, 3, 4), (2, 4, 5))),
    ("...i->...", ((2, 3, 4),)),
    ("i...->...", ((3, 2, 4),)),
    ("ij,ij->ij", ((1, 4), (3, 4))),
    ("ij,jk,kl->il", ((2, 3), (3, 4), (4, 2))),
    ("ab,bc,ca->", ((2, 3), (3, 4), (4, 2))),
    ("ij,j,i->", ((3, 4), (4,), (3,))),
    ("ii,i->i", ((3, 3), (3,))),
]:
    SPECS.append(
        OpSpec(
            f"einsum-{_sub}",
            lambda *ops, _sub=_sub: cnp.einsum(_sub, *ops),
            [Arg(s) for s in _shapes],
            ref=lambda *ops, _sub=_sub: np.einsum(_sub, *ops),
            covers=("einsum",),
        )
    )
SPECS.append(
    OpSpec(
        "einsum-interleaved",
        lambda a, b: cnp.einsum(a, [0, 1], b, [1, 2], [0, 2]),
        [Arg((3, 4)), Arg((4, 2))],
        ref=lambda a, b: np.einsum(a, [0, 1], b, [1, 2], [0, 2]),
        covers=("einsum",),
    )
)
SPECS.append(
    OpSpec(
        "einsum-optimize",
        lambda a, b, c: cnp.einsum("ij,jk,kl->il", a, b, c, optimize=True),
        [Arg((2, 3)), Arg((3, 4)), Arg((4, 2))],
        ref=lambda a, b, c: np.einsum("ij,jk,kl->il", a, b, c),
        covers=("einsum",),
    )
)

# -- diagonal, trace, diag, triu, tril ------------------------------------------------------------
for _name, _shape, _kw in [
    ("square", (3, 3), {}),
    ("wide-offset", (3, 5), {"offset": 1}),
    ("tall-negoffset", (5, 3), {"offset": -2}),
    ("3d-axes", (2, 3, 4), {"axis1": 2, "axis2": 0, "offset": 1}),
    ("3d-neg-axes", (3, 2, 3), {"axis1": -1, "axis2": 0}),
]:
    SPECS.append(
        OpSpec(
            f"diagonal-{_name}",
            lambda a, _kw=_kw: cnp.diagonal(a, **_kw),
            [Arg(_shape)],
            ref=lambda a, _kw=_kw: np.diagonal(a, **_kw),
            covers=("diagonal",),
        )
    )
    SPECS.append(
        OpSpec(
            f"trace-{_name}",
            lambda a, _kw=_kw: cnp.trace(a, **_kw),
            [Arg(_shape)],
            ref=lambda a, _kw=_kw: np.trace(a, **_kw),
            covers=("diagonal", "sum"),
        )
    )
SPECS.append(OpSpec("trace-method", lambda a: a.trace(), [Arg((3, 3))], ref=np.trace,
                    covers=("diagonal",)))  # fmt: skip

for _shape, _k in [((3,), 0), ((3,), 2), ((4,), -1), ((3, 3), 0), ((3, 4), 1), ((4, 3), -2)]:
    SPECS.append(
        OpSpec(
            f"diag-{_shape}-k{_k}",
            lambda v, _k=_k: cnp.diag(v, _k),
            [Arg(_shape)],
            ref=lambda v, _k=_k: np.diag(v, _k),
            covers=("diag",) if len(_shape) == 1 else ("diagonal",),
        )
    )

for _fname in ("triu", "tril"):
    _cf, _nf = getattr(cnp, _fname), getattr(np, _fname)
    for _shape, _k in [((3, 3), 0), ((3, 4), 1), ((4, 3), -1), ((2, 3, 3), 0), ((3,), 0)]:
        SPECS.append(
            OpSpec(
                f"{_fname}-{_shape}-k{_k}",
                lambda m, _f=_cf, _k=_k: _f(m, _k),
                [Arg(_shape)],
                ref=lambda m, _f=_nf, _k=_k: _f(m, _k),
                covers=(_fname,),
            )
        )

# -- kron and cross (compositions) -------------------------------------------------------------
for _sa, _sb in [((2,), (3,)), ((2, 2), (2, 3)), ((2, 3), (2,)), ((2,), (2, 2))]:
    _add(f"kron-{_sa}-{_sb}", cnp.kron, (_sa, _sb), np.kron, ("reshape", "multiply"))

for _name, _sa, _sb, _kw in [
    ("3", (3,), (3,), {}),
    ("batched-broadcast", (4, 3), (3,), {}),
    ("axis0", (3, 2), (3, 2), {"axis": 0}),
    ("axisc", (2, 3), (2, 3), {"axisc": 0}),
    ("2d", (4, 2), (4, 2), {}),
]:
    SPECS.append(
        OpSpec(
            f"cross-{_name}",
            lambda a, b, _kw=_kw: cnp.cross(a, b, **_kw),
            [Arg(_sa), Arg(_sb)],
            ref=lambda a, b, _kw=_kw: _np_cross(a, b, **_kw),
            covers=("einsum",),
        )
    )


def _np_cross(a, b, **kw):
    if a.shape[-1] == 2 and b.shape[-1] == 2 and not kw:
        return a[..., 0] * b[..., 1] - a[..., 1] * b[..., 0]  # NumPy 2 deprecates 2-D
    return np.cross(a, b, **kw)
