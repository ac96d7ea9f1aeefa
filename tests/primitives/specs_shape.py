"""Sweep entries for the shape family (see ``_spec.py``)."""

import numpy as np

import chainrule.numpy as cnp
from chainrule.primitives.ordering import permute_p, unpermute_p
from tests.primitives._spec import Arg, OpSpec

S, V, M, T = (), (4,), (3, 4), (2, 3, 4)
# a permutation of each row of a (3, 4) array
_PERM = np.argsort(np.random.default_rng(7).standard_normal(M), axis=1)


def _unpermuted(x, perm, axis):
    out = np.empty_like(x)
    np.put_along_axis(out, perm, x, axis=axis)
    return out


def _spec(name, fun, shapes, ref, covers, **kw):
    return OpSpec(name, fun, [Arg(s) for s in shapes], ref=ref, covers=covers, **kw)


SPECS = [
    # reshape and its compositions
    _spec(
        "reshape-matrix",
        lambda x: cnp.reshape(x, (2, 6)),
        [M],
        lambda x: np.reshape(x, (2, 6)),
        ("reshape",),
    ),
    _spec(
        "reshape-infer",
        lambda x: cnp.reshape(x, (4, -1)),
        [T],
        lambda x: np.reshape(x, (4, -1)),
        ("reshape",),
    ),
    _spec(
        "reshape-scalar",
        lambda x: cnp.reshape(x, (1, 1)),
        [S],
        lambda x: np.reshape(x, (1, 1)),
        ("reshape",),
    ),
    _spec(
        "reshape-order-F",
        lambda x: cnp.reshape(x, (6, 2), order="F"),
        [M],
        lambda x: np.reshape(x, (6, 2), order="F"),
        ("reshape", "transpose"),
    ),
    _spec("ravel", cnp.ravel, [T], np.ravel, ("reshape",)),
    _spec(
        "ravel-F",
        lambda x: cnp.ravel(x, order="F"),
        [M],
        lambda x: np.ravel(x, order="F"),
        ("reshape", "transpose"),
    ),
    _spec(
        "expand_dims-0",
        lambda x: cnp.expand_dims(x, 0),
        [V],
        lambda x: np.expand_dims(x, 0),
        ("reshape",),
    ),
    _spec(
        "expand_dims-tuple",
        lambda x: cnp.expand_dims(x, (0, -1)),
        [M],
        lambda x: np.expand_dims(x, (0, -1)),
        ("reshape",),
    ),
    _spec("squeeze-all", cnp.squeeze, [(1, 3, 1)], np.squeeze, ("reshape",)),
    _spec(
        "squeeze-axis",
        lambda x: cnp.squeeze(x, axis=-1),
        [(3, 1)],
        lambda x: np.squeeze(x, axis=-1),
        ("reshape",),
    ),
    _spec("atleast_1d", cnp.atleast_1d, [S], np.atleast_1d, ("reshape",)),
    _spec("atleast_2d", cnp.atleast_2d, [V], np.atleast_2d, ("reshape",)),
    _spec("atleast_3d-vector", cnp.atleast_3d, [V], np.atleast_3d, ("reshape",)),
    _spec("atleast_3d-matrix", cnp.atleast_3d, [M], np.atleast_3d, ("reshape",)),
    _spec(
        "atleast_2d-many",
        lambda x, y: cnp.atleast_2d(x, y),
        [S, M],
        lambda x, y: np.atleast_2d(x, y),
        ("reshape",),
    ),
    # transpose and its compositions
    _spec("transpose-matrix", cnp.transpose, [M], np.transpose, ("transpose",)),
    _spec("transpose-vector", cnp.transpose, [V], np.transpose, ("transpose",)),
    _spec(
        "transpose-axes",
        lambda x: cnp.transpose(x, (1, -1, 0)),
        [T],
        lambda x: np.transpose(x, (1, -1, 0)),
        ("transpose",),
    ),
    _spec(
        "swapaxes",
        lambda x: cnp.swapaxes(x, 0, -1),
        [T],
        lambda x: np.swapaxes(x, 0, -1),
        ("transpose",),
    ),
    _spec(
        "moveaxis",
        lambda x: cnp.moveaxis(x, 0, -1),
        [T],
        lambda x: np.moveaxis(x, 0, -1),
        ("transpose",),
    ),
    _spec(
        "moveaxis-many",
        lambda x: cnp.moveaxis(x, (0, 1), (2, 0)),
        [T],
        lambda x: np.moveaxis(x, (0, 1), (2, 0)),
        ("transpose",),
    ),
    # broadcast_to
    _spec(
        "broadcast_to-vector",
        lambda x: cnp.broadcast_to(x, (3, 4)),
        [V],
        lambda x: np.broadcast_to(x, (3, 4)),
        ("broadcast_to",),
    ),
    _spec(
        "broadcast_to-column",
        lambda x: cnp.broadcast_to(x, (2, 3, 4)),
        [(3, 1)],
        lambda x: np.broadcast_to(x, (2, 3, 4)),
        ("broadcast_to",),
    ),
    _spec(
        "broadcast_to-scalar",
        lambda x: cnp.broadcast_to(x, (2, 3)),
        [S],
        lambda x: np.broadcast_to(x, (2, 3)),
        ("broadcast_to",),
    ),
    # joining
    _spec(
        "concatenate-2",
        lambda x, y: cnp.concatenate([x, y]),
        [M, (2, 4)],
        lambda x, y: np.concatenate([x, y]),
        ("concatenate",),
    ),
    _spec(
        "concatenate-3-axis1",
        lambda x, y, z: cnp.concatenate((x, y, z), axis=-1),
        [M, (3, 1), (3, 2)],
        lambda x, y, z: np.concatenate((x, y, z), axis=-1),
        ("concatenate",),
    ),
    _spec(
        "concatenate-axis-None",
        lambda x, y: cnp.concatenate([x, y], axis=None),
        [M, V],
        lambda x, y: np.concatenate([x, y], axis=None),
        ("concatenate", "reshape"),
    ),
    _spec(
        "concatenate-constant",
        lambda x: cnp.concatenate([x, np.ones(3)]),
        [V],
        lambda x: np.concatenate([x, np.ones(3)]),
        ("concatenate",),
    ),
    _spec(
        "concatenate-same-twice",
        lambda x: cnp.concatenate([x, cnp.sin(x), x]),
        [V],
        lambda x: np.concatenate([x, np.sin(x), x]),
        ("concatenate", "sin"),
    ),
    _spec(
        "stack-0",
        lambda x, y: cnp.stack([x, y]),
        [V, V],
        lambda x, y: np.stack([x, y]),
        ("concatenate", "reshape"),
    ),
    _spec(
        "stack-last",
        lambda x, y: cnp.stack([x, y], axis=-1),
        [M, M],
        lambda x, y: np.stack([x, y], axis=-1),
        ("concatenate", "reshape"),
    ),
    _spec(
        "stack-scalars",
        lambda x, y: cnp.stack([x, y]),
        [S, S],
        lambda x, y: np.stack([x, y]),
        ("concatenate", "reshape"),
    ),
    _spec(
        "vstack",
        lambda x, y: cnp.vstack([x, y]),
        [V, M],
        lambda x, y: np.vstack([x, y]),
        ("concatenate",),
    ),
    _spec(
        "hstack-1d",
        lambda x, y: cnp.hstack([x, y]),
        [V, (2,)],
        lambda x, y: np.hstack([x, y]),
        ("concatenate",),
    ),
    _spec(
        "hstack-2d",
        lambda x, y: cnp.hstack([x, y]),
        [M, (3, 2)],
        lambda x, y: np.hstack([x, y]),
        ("concatenate",),
    ),
    _spec(
        "dstack",
        lambda x, y: cnp.dstack([x, y]),
        [M, M],
        lambda x, y: np.dstack([x, y]),
        ("concatenate",),
    ),
    _spec(
        "column_stack",
        lambda x, y: cnp.column_stack([x, y]),
        [(3,), M],
        lambda x, y: np.column_stack([x, y]),
        ("concatenate",),
    ),
    _spec(
        "append-flat",
        lambda x, y: cnp.append(x, y),
        [M, V],
        lambda x, y: np.append(x, y),
        ("concatenate",),
    ),
    _spec(
        "append-axis",
        lambda x, y: cnp.append(x, y, axis=0),
        [M, (1, 4)],
        lambda x, y: np.append(x, y, axis=0),
        ("concatenate",),
    ),
    # splitting
    _spec(
        "split-sections",
        lambda x: tuple(cnp.split(x, 2, axis=1)),
        [M],
        lambda x: tuple(np.split(x, 2, axis=1)),
        ("split", "tuple_getitem"),
    ),
    _spec(
        "split-indices",
        lambda x: tuple(cnp.split(x, [1, 3])),
        [(5,)],
        lambda x: tuple(np.split(x, [1, 3])),
        ("split", "tuple_getitem"),
    ),
    _spec(
        "split-negative-index",
        lambda x: tuple(cnp.split(x, [-2], axis=1)),
        [M],
        lambda x: tuple(np.split(x, [-2], axis=1)),
        ("split", "tuple_getitem"),
    ),
    _spec(
        "split-overlapping-indices",
        lambda x: tuple(cnp.split(x, [3, 1])),
        [(5,)],
        lambda x: tuple(np.split(x, [3, 1])),
        ("getitem",),
    ),
    _spec(
        "split-one-piece-used",
        lambda x: cnp.sin(cnp.split(x, 3)[1]),
        [(6, 2)],
        lambda x: np.sin(np.split(x, 3)[1]),
        ("split", "tuple_getitem", "concatenate"),
    ),
    _spec(
        "split-pieces-combined",
        lambda x: (lambda p: p[0] * p[2])(cnp.split(x, 3, axis=-1)),
        [(2, 6)],
        lambda x: (lambda p: p[0] * p[2])(np.split(x, 3, axis=-1)),
        ("split", "tuple_getitem"),
    ),
    _spec(
        "array_split",
        lambda x: tuple(cnp.array_split(x, 3)),
        [(7,)],
        lambda x: tuple(np.array_split(x, 3)),
        ("split", "tuple_getitem"),
    ),
    _spec(
        "array_split-axis1",
        lambda x: cnp.array_split(x, 3, axis=1)[0],
        [M],
        lambda x: np.array_split(x, 3, axis=1)[0],
        ("split", "tuple_getitem"),
    ),
    _spec(
        "hsplit",
        lambda x: cnp.hsplit(x, 2)[1],
        [M],
        lambda x: np.hsplit(x, 2)[1],
        ("split", "tuple_getitem"),
    ),
    _spec(
        "vsplit",
        lambda x: cnp.vsplit(x, [1])[1],
        [M],
        lambda x: np.vsplit(x, [1])[1],
        ("split", "tuple_getitem"),
    ),
    _spec(
        "dsplit",
        lambda x: cnp.dsplit(x, 2)[0],
        [T],
        lambda x: np.dsplit(x, 2)[0],
        ("split", "tuple_getitem"),
    ),
    # tile and repeat
    _spec(
        "tile-int",
        lambda x: cnp.tile(x, 3),
        [V],
        lambda x: np.tile(x, 3),
        ("reshape", "broadcast_to"),
    ),
    _spec(
        "tile-2d",
        lambda x: cnp.tile(x, (2, 1, 2)),
        [M],
        lambda x: np.tile(x, (2, 1, 2)),
        ("reshape", "broadcast_to"),
    ),
    _spec(
        "tile-scalar",
        lambda x: cnp.tile(x, (2, 2)),
        [S],
        lambda x: np.tile(x, (2, 2)),
        ("reshape", "broadcast_to"),
    ),
    _spec(
        "repeat-flat",
        lambda x: cnp.repeat(x, 2),
        [M],
        lambda x: np.repeat(x, 2),
        ("reshape", "broadcast_to"),
    ),
    _spec(
        "repeat-axis1",
        lambda x: cnp.repeat(x, 3, axis=1),
        [M],
        lambda x: np.repeat(x, 3, axis=1),
        ("reshape", "broadcast_to"),
    ),
    _spec(
        "repeat-per-element",
        lambda x: cnp.repeat(x, [2, 0, 1], axis=0),
        [M],
        lambda x: np.repeat(x, [2, 0, 1], axis=0),
        ("getitem",),
    ),
    # flips, rotations and rolls
    _spec("flip-all", cnp.flip, [M], np.flip, ("flip",)),
    _spec(
        "flip-axis", lambda x: cnp.flip(x, axis=-1), [T], lambda x: np.flip(x, axis=-1), ("flip",)
    ),
    _spec("flip-scalar", cnp.flip, [S], np.flip, ("flip",)),
    _spec("fliplr", cnp.fliplr, [M], np.fliplr, ("flip",)),
    _spec("flipud", cnp.flipud, [V], np.flipud, ("flip",)),
    _spec("rot90-1", cnp.rot90, [M], np.rot90, ("flip", "transpose")),
    _spec("rot90-2", lambda x: cnp.rot90(x, 2), [M], lambda x: np.rot90(x, 2), ("flip",)),
    _spec(
        "rot90-3-axes",
        lambda x: cnp.rot90(x, 3, axes=(2, 0)),
        [T],
        lambda x: np.rot90(x, 3, axes=(2, 0)),
        ("flip", "transpose"),
    ),
    _spec("roll-flat", lambda x: cnp.roll(x, 5), [M], lambda x: np.roll(x, 5), ("roll",)),
    _spec(
        "roll-axis",
        lambda x: cnp.roll(x, -1, axis=1),
        [M],
        lambda x: np.roll(x, -1, axis=1),
        ("roll",),
    ),
    _spec(
        "roll-multi",
        lambda x: cnp.roll(x, (1, 2), axis=(0, 2)),
        [T],
        lambda x: np.roll(x, (1, 2), axis=(0, 2)),
        ("roll",),
    ),
    # padding
    _spec("pad-int", lambda x: cnp.pad(x, 2), [V], lambda x: np.pad(x, 2), ("pad",)),
    _spec(
        "pad-pairs",
        lambda x: cnp.pad(x, ((1, 0), (2, 3))),
        [M],
        lambda x: np.pad(x, ((1, 0), (2, 3))),
        ("pad",),
    ),
    _spec(
        "pad-constant-values",
        lambda x: cnp.pad(x, (1, 2), constant_values=(-1.5, 4.0)),
        [M],
        lambda x: np.pad(x, (1, 2), constant_values=(-1.5, 4.0)),
        ("pad",),
    ),
    _spec(
        "pad-edge",
        lambda x: cnp.pad(x, ((1, 2), (0, 1)), mode="edge"),
        [M],
        lambda x: np.pad(x, ((1, 2), (0, 1)), mode="edge"),
        ("getitem",),
    ),
    _spec(
        "pad-reflect",
        lambda x: cnp.pad(x, 2, mode="reflect"),
        [M],
        lambda x: np.pad(x, 2, mode="reflect"),
        ("getitem",),
    ),
    _spec(
        "pad-symmetric",
        lambda x: cnp.pad(x, (3, 1), mode="symmetric"),
        [V],
        lambda x: np.pad(x, (3, 1), mode="symmetric"),
        ("getitem",),
    ),
    _spec(
        "pad-wrap",
        lambda x: cnp.pad(x, ((0, 0), (5, 2)), mode="wrap"),
        [M],
        lambda x: np.pad(x, ((0, 0), (5, 2)), mode="wrap"),
        ("getitem",),
    ),
    _spec("diff", cnp.diff, [M], np.diff, ("getitem", "subtract")),
    _spec(
        "diff-n2-axis0",
        lambda x: cnp.diff(x, n=2, axis=0),
        [(5, 3)],
        lambda x: np.diff(x, n=2, axis=0),
        ("getitem", "subtract"),
    ),
    _spec(
        "diff-prepend",
        lambda x: cnp.diff(x, prepend=0.5),
        [V],
        lambda x: np.diff(x, prepend=0.5),
        ("getitem", "concatenate"),
    ),
    # sorting: random continuous data has no ties, so sort is smooth there
    _spec("sort-vector", cnp.sort, [(6,)], np.sort, ("sort",)),
    _spec(
        "sort-axis0", lambda x: cnp.sort(x, axis=0), [M], lambda x: np.sort(x, axis=0), ("sort",)
    ),
    _spec(
        "sort-None",
        lambda x: cnp.sort(x, axis=None),
        [M],
        lambda x: np.sort(x, axis=None),
        ("sort", "reshape"),
    ),
    _spec(
        "sort-stable-middle-axis",
        lambda x: cnp.sort(x, axis=1, stable=True),
        [T],
        lambda x: np.sort(x, axis=1, stable=True),
        ("sort",),
    ),
    # the gather and scatter by a sorting permutation that sort's derivatives are made of
    _spec(
        "permute",
        lambda x: permute_p(x, _PERM, axis=1),
        [M],
        lambda x: np.take_along_axis(x, _PERM, axis=1),
        ("permute",),
    ),
    _spec(
        "unpermute",
        lambda x: unpermute_p(x, _PERM, axis=1),
        [M],
        lambda x: _unpermuted(x, _PERM, 1),
        ("unpermute",),
    ),
    _spec(
        "full_like-traced-fill",
        lambda x, v: cnp.multiply(x, cnp.full_like(x, v)),
        [M, S],
        lambda x, v: x * np.full_like(x, v),
        ("broadcast_to", "astype"),
    ),
]

# Zero-derivative helpers: forward against NumPy, derivative exactly 0.
SPECS += [
    _spec("argsort", cnp.argsort, [M], np.argsort, ("argsort",), zero_derivative=True),
    _spec(
        "argsort-axis0",
        lambda x: cnp.argsort(x, axis=0),
        [M],
        lambda x: np.argsort(x, axis=0),
        ("argsort",),
        zero_derivative=True,
    ),
    _spec(
        "argsort-None",
        lambda x: cnp.argsort(x, axis=None),
        [M],
        lambda x: np.argsort(x, axis=None),
        ("argsort",),
        zero_derivative=True,
    ),
    _spec("zeros_like", cnp.zeros_like, [M], np.zeros_like, ("zeros_like",), zero_derivative=True),
    _spec("ones_like", cnp.ones_like, [V], np.ones_like, ("ones_like",), zero_derivative=True),
    _spec(
        "ones_like-shape",
        lambda x: cnp.ones_like(x, shape=(2, 2)),
        [V],
        lambda x: np.ones_like(x, shape=(2, 2)),
        ("ones_like",),
        zero_derivative=True,
    ),
    _spec(
        "full_like",
        lambda x: cnp.full_like(x, 2.5),
        [M],
        lambda x: np.full_like(x, 2.5),
        ("full_like",),
        zero_derivative=True,
    ),
]
