"""Batching rules of products and diagonals (``matmul``, ``tensordot``, ``einsum``,
``diagonal``, ``diag``, ``triu``, ``tril``) and of indexing (``getitem``,
``scatter_add``, ``index_update``).

A batched ``tensordot`` of two batched operands becomes one ``einsum`` with the batch
as a shared label: NumPy's tensordot has no batch axes of its own.
"""

from __future__ import annotations

import string

import numpy as np

from chainrule.core.batching import Batched
from chainrule.primitives._helpers import (
    broadcast_to_p,
    dtype_of,
    namespace_of,
    reshape_p,
    shape_of,
)
from chainrule.primitives.batching import (
    aligned,
    batch_size,
    defbatch,
    expand_rank,
    logical_rank,
    materialize,
    move_axis,
    to_front,
)
from chainrule.primitives.indexing import _sub_shape, index_update_p
from chainrule.primitives.products_diagonal import diagonal_p
from chainrule.primitives.products_einsum import einsum_p
from chainrule.primitives.shape import transpose_p


def _matmul(prim, args, dims, kwargs):
    """Vectors become one-row / one-column matrices, the stacks are lined up, and the
    added axes are dropped from the product again."""
    (a, b), (da, db) = args, dims
    ra, rb = logical_rank(a, da), logical_rank(b, db)
    a, b = to_front(a, da), to_front(b, db)
    da, db = (None if d is None else 0 for d in (da, db))
    if ra == 1:
        a = reshape_p(a, shape=shape_of(a)[:-1] + (1, shape_of(a)[-1]))
    if rb == 1:
        b = reshape_p(b, shape=shape_of(b) + (1,))
    (a, b), _ = aligned([a, b], [da, db])
    out = prim(a, b)
    shape = shape_of(out)
    if rb == 1:
        shape = shape[:-1]
    if ra == 1:
        shape = shape[:-2] + shape[-1:] if rb != 1 else shape[:-1]
    return reshape_p(out, shape=shape), 0


def _unused_label(subscripts: str) -> str:
    return next(c for c in string.ascii_letters if c not in subscripts)


def _implicit_output(terms: list[str]) -> str:
    """NumPy's output for subscripts without ``->``: the labels used once, sorted."""
    letters = "".join(t.replace("...", "") for t in terms)
    once = "".join(sorted(c for c in set(letters) if letters.count(c) == 1))
    return ("..." if any("..." in t for t in terms) else "") + once


def _einsum(prim, args, dims, kwargs):
    subscripts = kwargs["subscripts"].replace(" ", "")
    lhs, _, out = subscripts.partition("->")
    terms = lhs.split(",")
    if "->" not in subscripts:
        out = _implicit_output(terms)
    label = _unused_label(subscripts)
    terms = [t if d is None else label + t for t, d in zip(terms, dims)]
    ops = [to_front(a, d) for a, d in zip(args, dims)]
    new = f"{','.join(terms)}->{label}{out}"
    return prim(*ops, subscripts=new, optimize=kwargs["optimize"]), 0


def _tensordot(prim, args, dims, kwargs):
    (a, b), (da, db) = args, dims
    ra, rb = logical_rank(a, da), logical_rank(b, db)
    ca, cb = kwargs["axes"]
    ca, cb = [i % ra for i in ca], [i % rb for i in cb]
    if db is None:  # a's free axes come first in the result: its batch axis leads
        return prim(to_front(a, da), b, axes=([i + 1 for i in ca], cb)), 0
    if da is None:  # the batch axis follows a's free axes
        return prim(a, to_front(b, db), axes=(ca, [i + 1 for i in cb])), ra - len(ca)
    letters = iter(string.ascii_letters)
    batch = next(letters)
    la = [next(letters) for _ in range(ra)]
    lb = [next(letters) for _ in range(rb)]
    for i, j in zip(ca, cb):
        lb[j] = la[i]
    free_a = [x for i, x in enumerate(la) if i not in ca]
    free_b = [x for j, x in enumerate(lb) if j not in cb]
    sub = f"{batch}{''.join(la)},{batch}{''.join(lb)}->{batch}{''.join(free_a + free_b)}"
    return einsum_p(to_front(a, da), to_front(b, db), subscripts=sub, optimize=False), 0


def _diagonal(prim, args, dims, kwargs):
    (x,), (d,) = args, dims
    rank = logical_rank(x, d)
    axis1, axis2 = (kwargs["axis1"] % rank) + 1, (kwargs["axis2"] % rank) + 1
    return prim(to_front(x, d), offset=kwargs["offset"], axis1=axis1, axis2=axis2), 0


def _diag(prim, args, dims, kwargs):
    """A matrix's diagonal is ``diagonal``; a vector's matrix is a zero matrix with the
    vector written onto its ``k``-th diagonal."""
    (v,), (d,) = args, dims
    v, k = to_front(v, d), kwargs["k"]
    if logical_rank(v, 0) == 2:
        return diagonal_p(v, offset=k, axis1=1, axis2=2), 0
    size, n = shape_of(v)
    m = n + abs(k)
    zeros = namespace_of(v).zeros((size, m, m), dtype_of(v))
    rows, cols = np.arange(n) + max(-k, 0), np.arange(n) + max(k, 0)
    return index_update_p(zeros, v, index=(slice(None), rows, cols)), 0


def _triangle(prim, args, dims, kwargs):
    """triu / tril act on the last two axes; a vector is read as a matrix whose rows
    all equal it, as NumPy does."""
    (m,), (d,) = args, dims
    m = to_front(m, d)
    if logical_rank(m, 0) == 1:
        size, n = shape_of(m)
        m = broadcast_to_p(reshape_p(m, shape=(size, 1, n)), shape=(size, n, n))
    return prim(m, k=kwargs["k"]), 0


# -- indexing ----------------------------------------------------------------------------
def _indexed_batch_axis(index: tuple) -> int:
    """Where the batch axis lands in ``x[(slice(None),) + index]`` for ``x`` batched
    first: NumPy moves the dimensions of advanced indices that are not next to each
    other to the front, ahead of the batch axis."""
    arrays = [i for i in index if isinstance(i, np.ndarray)]
    if not arrays:
        return 0
    where = [p for p, i in enumerate(index) if isinstance(i, (np.ndarray, int, bool))]
    if where[-1] - where[0] + 1 == len(where):
        return 0
    return len(np.broadcast_shapes(*(a.shape for a in arrays)))


def _example_shape(item) -> tuple:
    if isinstance(item, Batched):
        shape = shape_of(item.value)
        return shape[: item.dim] + shape[item.dim + 1 :]
    return shape_of(item)


def _per_example_index(index: tuple, size: int, rank: int, xp) -> tuple[tuple, list | None]:
    """For an index holding per-example arrays (``Batched``) into ``x`` batched first
    with ``rank`` dimensions per example: the index that picks every example's entries
    at once (an ``arange`` over the batch joins the advanced indices), and the axis
    order that turns its result into the batch-first, per-example layout (``None``:
    already so). NumPy puts the advanced dimensions first when the advanced indices
    are not adjacent, which the leading ``arange`` makes them unless they start the
    index."""
    advanced = [
        p for p, i in enumerate(index) if isinstance(i, (Batched, np.ndarray, int))
        and not isinstance(i, bool)
    ]  # fmt: skip
    k = len(np.broadcast_shapes(*(_example_shape(index[p]) for p in advanced)))
    items = [
        expand_rank(to_front(i.value, i.dim), k) if isinstance(i, Batched) else i for i in index
    ]
    batch = reshape_p(xp.arange(size), shape=(size,) + (1,) * k)
    first = advanced[0]
    if first == 0 or advanced[-1] - first + 1 != len(advanced):
        return (batch, *items), None
    consumed = sum(1 for i in index if i is not None and i is not Ellipsis)
    before = sum(rank - consumed if i is Ellipsis else 1 for i in index[:first])
    return (batch, *items), [0, *range(1 + k, 1 + k + before), *range(1, 1 + k)]


def _complete(perm: list, rank: int) -> list:
    return perm + list(range(len(perm), rank))


def _getitem(prim, args, dims, kwargs):
    (x,), (d,) = args, dims
    index = kwargs["index"]
    if not any(isinstance(i, Batched) for i in index):
        return prim(to_front(x, d), index=(slice(None), *index)), _indexed_batch_axis(index)
    size = batch_size([i.value for i in index if isinstance(i, Batched)],
                      [i.dim for i in index if isinstance(i, Batched)])  # fmt: skip
    x = materialize(x, d, size)
    full, perm = _per_example_index(index, size, len(shape_of(x)) - 1, namespace_of(x))
    out = prim(x, index=full)
    if perm is not None:
        out = transpose_p(out, axes=tuple(_complete(perm, len(shape_of(out)))))
    return out, 0


def _scatter_add(prim, args, dims, kwargs):
    """The adjoint of getitem: the values are laid out as getitem's batched result."""
    (x,), (d,) = args, dims
    index, shape = kwargs["index"], tuple(kwargs["shape"])
    batched = [(i.value, i.dim) for i in index if isinstance(i, Batched)]
    if not batched:
        size = shape_of(x)[d]
        x = move_axis(x, d, _indexed_batch_axis(index))
        return prim(x, shape=(size, *shape), index=(slice(None), *index)), 0
    size = batch_size(*zip(*batched))
    x = materialize(x, d, size)
    full, perm = _per_example_index(index, size, len(shape), namespace_of(x))
    if perm is not None:  # into the order NumPy's indexing produces
        perm = _complete(perm, len(shape_of(x)))
        x = transpose_p(x, axes=tuple(perm.index(a) for a in range(len(perm))))
    return prim(x, shape=(size, *shape), index=full), 0


def _index_update(prim, args, dims, kwargs):
    """The values are laid out as ``x[index]`` of the batch is: batch axis where
    indexing puts it, and broadcast to the full indexed shape."""
    (x, values), (dx, dv) = args, dims
    index = kwargs["index"]
    if any(isinstance(i, Batched) for i in index):  # (public index_update refuses it)
        raise NotImplementedError("vmap: index_update at positions that differ per example")
    size = batch_size(args, dims)
    x = materialize(x, dx, size)
    at = _indexed_batch_axis(index)
    if dv is not None or at != 0:
        picked = _sub_shape(shape_of(x)[1:], index)  # the shape of one example's x[index]
        values = expand_rank(materialize(values, dv, size), len(picked))
        values = move_axis(broadcast_to_p(values, shape=(size, *picked)), 0, at)
    return prim(x, values, index=(slice(None), *index)), 0


defbatch(_matmul, "matmul")
defbatch(_einsum, "einsum")
defbatch(_tensordot, "tensordot")
defbatch(_diagonal, "diagonal")
defbatch(_diag, "diag")
defbatch(_triangle, "triu", "tril")
defbatch(_getitem, "getitem")
defbatch(_scatter_add, "scatter_add")
defbatch(_index_update, "index_update")
