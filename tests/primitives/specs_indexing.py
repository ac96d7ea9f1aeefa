"""Sweep entries for the indexing family (see ``_spec.py``)."""

import numpy as np

import chainrule.numpy as cnp
from chainrule.primitives.indexing import scatter_add_p
from tests.primitives._spec import Arg, OpSpec

V, M, T = (5,), (3, 4), (2, 3, 4)

_REPEATED = np.array([0, 2, 2, -1, 0])
_MASK = np.array(
    [[True, False, True, False], [False, False, True, True], [True, True, False, False]]
)

# (id, shape, index): x[index] for every kind of index NumPy accepts
_INDICES = [
    ("int", V, 2),
    ("negative-int", M, -1),
    ("int-pair", M, (1, -2)),
    ("slice", V, slice(1, 4)),
    ("slice-step", V, slice(None, None, -2)),
    ("slice-2d", M, (slice(None), slice(1, 3))),
    ("ellipsis", T, (Ellipsis, 1)),
    ("ellipsis-middle", T, (0, Ellipsis, slice(2, None))),
    ("newaxis", M, (None, slice(None), None, 0)),
    ("int-array", V, np.array([4, 0, 1])),
    ("repeated-ints", V, _REPEATED),
    ("list", M, [2, 0, 2]),
    ("array-and-slice", M, (slice(None), _REPEATED[:3])),
    ("two-arrays", M, (np.array([0, 2, 2]), np.array([1, 1, 3]))),
    ("broadcast-arrays", M, (np.array([[0], [2]]), np.array([1, 3, 3]))),
    ("split-advanced", T, (np.array([1, 0]), slice(None), np.array([0, 3]))),
    ("mask-full", M, _MASK),
    ("mask-rows", M, np.array([True, False, True])),
    ("mask-and-slice", T, (slice(None), np.array([True, False, True]), slice(1, 3))),
    ("bool-scalar", V, True),
    ("empty", V, np.array([], dtype=int)),
]

SPECS = [
    OpSpec(
        f"getitem-{name}",
        lambda x, idx=idx: x[idx],
        [Arg(shape)],
        ref=lambda x, idx=idx: x[idx],
        covers=("getitem",),
    )
    for name, shape, idx in _INDICES
]

SPECS += [
    OpSpec(
        "getitem-chained",
        lambda x: cnp.sin(x[1:])[::-1, 2],
        [Arg(M)],
        ref=lambda x: np.sin(x[1:])[::-1, 2],
        covers=("getitem", "sin"),
    ),
    OpSpec(
        "getitem-traced-index",
        lambda x: x[cnp.astype(cnp.floor(x[:2] * 0 + 1.0), int)],
        [Arg(V)],
        ref=lambda x: x[np.array([1, 1])],
        covers=("getitem", "floor", "astype"),
    ),
    OpSpec(
        "scatter_add",
        lambda g: scatter_add_p(g, shape=(4, 3), index=(_REPEATED[:4],)),
        [Arg((4, 3))],
        ref=lambda g: _np_scatter(g, (4, 3), (_REPEATED[:4],)),
        covers=("scatter_add",),
    ),
    OpSpec(
        "scatter_add-basic",
        lambda g: scatter_add_p(g, shape=(5,), index=(slice(1, 4),)),
        [Arg((3,))],
        ref=lambda g: _np_scatter(g, (5,), (slice(1, 4),)),
        covers=("scatter_add",),
    ),
    # functional assignment, differentiable in both the array and the values
    OpSpec(
        "index_update-slice",
        lambda x, v: cnp.index_update(x, (slice(None), 1), v),
        [Arg(M), Arg((3,))],
        ref=lambda x, v: _np_set(x, (slice(None), 1), v),
        covers=("index_update",),
    ),
    OpSpec(
        "index_update-broadcast",
        lambda x, v: cnp.index_update(x, 1, v),
        [Arg(M), Arg(())],
        ref=lambda x, v: _np_set(x, 1, v),
        covers=("index_update",),
    ),
    OpSpec(
        "index_update-mask",
        lambda x, v: cnp.index_update(x, _MASK, v),
        [Arg(M), Arg((6,))],
        ref=lambda x, v: _np_set(x, _MASK, v),
        covers=("index_update",),
    ),
    OpSpec(
        "index_update-array",
        lambda x: cnp.index_update(x, np.array([0, 3]), 1.5),
        [Arg(V)],
        ref=lambda x: _np_set(x, np.array([0, 3]), 1.5),
        covers=("index_update",),
    ),
    OpSpec(
        "index_update-values-only",
        lambda v: cnp.index_update(np.zeros(M), (0, slice(1, 3)), v),
        [Arg((2,))],
        ref=lambda v: _np_set(np.zeros(M), (0, slice(1, 3)), v),
        covers=("index_update",),
    ),
    OpSpec(
        "index_add-repeated",
        lambda x, v: cnp.index_add(x, _REPEATED, v),
        [Arg(V), Arg(V)],
        ref=lambda x, v: _np_add(x, _REPEATED, v),
        covers=("scatter_add", "add"),
    ),
    # gathers
    OpSpec(
        "take-flat",
        lambda x: cnp.take(x, [5, 0, 5]),
        [Arg(M)],
        ref=lambda x: np.take(x, [5, 0, 5]),
        covers=("getitem", "reshape"),
    ),
    OpSpec(
        "take-axis1",
        lambda x: cnp.take(x, np.array([[3, 0], [0, 0]]), axis=1),
        [Arg(M)],
        ref=lambda x: np.take(x, np.array([[3, 0], [0, 0]]), axis=1),
        covers=("getitem",),
    ),
    OpSpec(
        "take-scalar-index",
        lambda x: cnp.take(x, 2, axis=-1),
        [Arg(T)],
        ref=lambda x: np.take(x, 2, axis=-1),
        covers=("getitem",),
    ),
    OpSpec(
        "take-wrap",
        lambda x: cnp.take(x, [-7, 6], mode="wrap"),
        [Arg(V)],
        ref=lambda x: np.take(x, [-7, 6], mode="wrap"),
        covers=("getitem",),
    ),
    OpSpec(
        "take-clip",
        lambda x: cnp.take(x, [-7, 6, 2], axis=0, mode="clip"),
        [Arg(M)],
        ref=lambda x: np.take(x, [-7, 6, 2], axis=0, mode="clip"),
        covers=("getitem",),
    ),
    OpSpec(
        "take_along_axis-1",
        lambda x: cnp.take_along_axis(x, np.array([[0, 3], [1, 1], [2, 0]]), 1),
        [Arg(M)],
        ref=lambda x: np.take_along_axis(x, np.array([[0, 3], [1, 1], [2, 0]]), 1),
        covers=("getitem",),
    ),
    OpSpec(
        "take_along_axis-0-broadcast",
        lambda x: cnp.take_along_axis(x, np.array([[2, 0, 0, 1]]), 0),
        [Arg(M)],
        ref=lambda x: np.take_along_axis(x, np.array([[2, 0, 0, 1]]), 0),
        covers=("getitem",),
    ),
    OpSpec(
        "take_along_axis-None",
        lambda x: cnp.take_along_axis(x, np.array([11, 0, 4]), None),
        [Arg(M)],
        ref=lambda x: np.take_along_axis(x, np.array([11, 0, 4]), None),
        covers=("getitem", "reshape"),
    ),
]


def _np_scatter(g, shape, index):
    out = np.zeros(shape)
    np.add.at(out, index, g)
    return out


def _np_set(x, index, v):
    out = np.array(x, copy=True)
    out[index] = v
    return out


def _np_add(x, index, v):
    out = np.array(x, copy=True)
    np.add.at(out, index, v)
    return out
