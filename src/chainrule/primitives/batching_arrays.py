"""Batching rules of the array primitives whose parameters name axes, shapes or
indices of one example: shape, joining, indexing, creation, padding, windows, FFT.

See :mod:`chainrule.primitives.batching` for the rule signature and the shared moves.
"""

from __future__ import annotations

from chainrule.primitives._helpers import reshape_p, shape_of
from chainrule.primitives.batching import (
    along_axes,
    batch_size,
    defbatch,
    elementwise,
    logical_rank,
    loop,
    materialize,
    parameters,
    shift_axis,
    to_front,
)


def _reshape(prim, args, dims, kwargs):
    (x,), (d,) = args, dims
    x = to_front(x, d)
    return prim(x, shape=(shape_of(x)[0], *kwargs["shape"])), 0


def _broadcast_to(prim, args, dims, kwargs):
    (x,), (d,) = args, dims
    shape = tuple(kwargs["shape"])
    x = to_front(x, d)
    rank = len(shape_of(x)) - 1
    if rank < len(shape):
        x = reshape_p(x, shape=shape_of(x)[:1] + (1,) * (len(shape) - rank) + shape_of(x)[1:])
    return prim(x, shape=(shape_of(x)[0], *shape)), 0


def _transpose(prim, args, dims, kwargs):
    (x,), (d,) = args, dims
    rank = logical_rank(x, d)
    axes = kwargs["axes"]
    axes = range(rank - 1, -1, -1) if axes is None else (a % rank for a in axes)
    return prim(to_front(x, d), axes=(0, *(a + 1 for a in axes))), 0


def _concatenate(prim, args, dims, kwargs):
    size = batch_size(args, dims)
    arrays = [materialize(a, d, size) for a, d in zip(args, dims)]
    axis = kwargs["axis"]
    if axis is None:  # each example flattened, then joined
        return prim(*(reshape_p(a, shape=(size, -1)) for a in arrays), axis=1), 0
    return prim(*arrays, axis=shift_axis(axis, logical_rank(args[0], dims[0]))), 0


def _roll(prim, args, dims, kwargs):
    (x,), (d,) = args[:1], dims[:1]
    x = to_front(x, d)
    if kwargs["axis"] is None:  # roll each flattened example, then restore its shape
        flat = prim(reshape_p(x, shape=(shape_of(x)[0], -1)), shift=kwargs["shift"], axis=1)
        return reshape_p(flat, shape=shape_of(x)), 0
    return prim(x, shift=kwargs["shift"], axis=shift_axis(kwargs["axis"], logical_rank(x, 0))), 0


def _pad(prim, args, dims, kwargs):
    (x,), (d,) = args, dims
    cvs = kwargs["constant_values"]
    if isinstance(cvs, tuple):  # a (before, after) pair per axis, as pad_width
        cvs = ((0, 0), *cvs)
    widths = ((0, 0), *kwargs["pad_width"])
    return prim(to_front(x, d), pad_width=widths, constant_values=cvs), 0


def _like(prim, args, dims, kwargs):
    """zeros_like, ones_like, full_like: the batch keeps ``x``'s layout; with an
    explicit ``shape`` the result is the same for every example."""
    n = len(args)
    params = parameters(prim, args, kwargs, n)
    if any(d is not None for d in dims[1:]):  # a batched fill_value
        return loop(prim, args, dims, kwargs)
    if params["shape"] is not None:
        return prim(*args, **params), None
    return prim(*args, **params), dims[0]


def _windows_transpose(prim, args, dims, kwargs):
    (g,), (d,) = args, dims
    g = to_front(g, d)
    params = parameters(prim, args, kwargs, 1)
    params["in_shape"] = (shape_of(g)[0], *params["in_shape"])
    return prim(g, **params), 0


def _fft(prim, args, dims, kwargs):
    (x,), (d,) = args[:1], dims[:1]
    params = parameters(prim, args, kwargs, 1)
    s, axes = params["s"], params["axes"]
    if axes is None:  # NumPy's default: the last len(s) axes, or every axis
        axes = tuple(range(-len(s), 0)) if s is not None else None
    params["axes"] = shift_axis(axes, logical_rank(x, d))
    return prim(to_front(x, d), **params), 0


def _convolve(prim, args, dims, kwargs):
    """A full convolution along a batch axis of length 1 in one operand leaves the
    other's batch axis as it is: one batched operand is one call. Both batched: a loop
    (see ``LOOPED``)."""
    (a, b), (da, db) = args, dims
    if da is not None and db is not None:
        return loop(prim, args, dims, kwargs)
    a = to_front(a, da) if da is not None else reshape_p(a, shape=(1, *shape_of(a)))
    b = to_front(b, db) if db is not None else reshape_p(b, shape=(1, *shape_of(b)))
    return prim(a, b, **kwargs), 0


def _permutation(prim, args, dims, kwargs):
    """permute / unpermute(x, perm, axis): one permutation per example, so both arrays
    get the batch axis first (an unbatched one repeated) and the axis shifts by one."""
    size = batch_size(args, dims)
    x, perm = (materialize(a, d, size) for a, d in zip(args, dims))
    return prim(x, perm, axis=shift_axis(kwargs["axis"], logical_rank(x, 0))), 0


defbatch(_convolve, "convolve_full")
defbatch(_permutation, "permute", "unpermute")
defbatch(along_axes(), "sort")
defbatch(_reshape, "reshape")
defbatch(_broadcast_to, "broadcast_to")
defbatch(_transpose, "transpose")
defbatch(_concatenate, "concatenate")
defbatch(along_axes(), "split")
defbatch(_roll, "roll")
defbatch(_pad, "pad")
defbatch(_like, "zeros_like", "ones_like", "full_like")
defbatch(_windows_transpose, "sliding_windows_transpose")
defbatch(_fft, "fftn", "ifftn", "rfftn", "irfftn")
defbatch(elementwise, "solve")
