"""``pad``: NumPy's padding, differentiable in the array.

One record, ``pad`` in constant mode (linear: its VJP crops the cotangent
back to the input, its JVP pads the tangent with zeros). The other modes are
compositions, padding one axis at a time as NumPy does (so corners see the axes padded
before them):

* ``edge``, ``reflect``, ``symmetric``, ``wrap``: each output entry reads one input entry,
  a gather (``indexing.take``) that routes the gradient back to where it came from;
* ``maximum``, ``minimum``, ``mean`` (with ``stat_length``): the statistic of the
  axis's first/last entries, broadcast over the pad and concatenated, so the gradient
  is that of the statistic (ties of max/min split evenly);
* ``linear_ramp``: a blend ``end + (edge - end) t`` of the edge entry and the
  (constant) ``end_values``.

Untraced input goes straight to ``numpy.pad`` (every mode, callables included).
"""

from __future__ import annotations

import builtins

import numpy as np

from chainrule.core.backend import namespace_dtype
from chainrule.core.primitive import defprimitive
from chainrule.core.trace import Box, concrete_value, example_value, is_boxed
from chainrule.primitives import elementwise as E
from chainrule.primitives._args import contains_box
from chainrule.primitives._helpers import dtype_of, namespace_of, shape_of
from chainrule.primitives.indexing import getitem, take
from chainrule.primitives.joining import concatenate
from chainrule.primitives.reductions import mean
from chainrule.primitives.reductions_extrema import amax, amin
from chainrule.primitives.shape import as_operand, broadcast_to

__all__ = ["pad"]


def _pairs(value, nd: int, name: str, kind=int) -> tuple:
    arr = np.asarray(example_value(value, f"pad's {name}"))
    try:
        arr = np.broadcast_to(arr, (nd, 2))
    except ValueError:
        raise ValueError(
            f"pad: {name} of shape {arr.shape} doesn't fit an array of {nd} dims"
        ) from None
    return tuple((kind(b), kind(e)) for b, e in arr.tolist())


def _pad_vjp(ans, x, pad_width, constant_values):
    inner = tuple(slice(b, b + n) for (b, _), n in zip(pad_width, shape_of(x), strict=True))
    return lambda g: getitem(g, inner)


pad_p = defprimitive(
    "pad",
    lambda xp, x, pad_width, constant_values: xp.pad(
        x, pad_width, mode="constant", constant_values=constant_values
    ),
    vjp={0: _pad_vjp},
    jvp={
        0: lambda g, ans, x, pad_width, constant_values: pad_p(
            g, pad_width=pad_width, constant_values=0
        )
    },
)

_INDEX_MODES = ("edge", "reflect", "symmetric", "wrap")
_STAT_MODES = ("maximum", "minimum", "mean")


def _constant(array, widths, nd, kwargs):
    cv = kwargs.pop("constant_values", 0)
    if kwargs:
        raise TypeError(f"pad: unexpected arguments for mode 'constant': {sorted(kwargs)}")
    if isinstance(cv, Box) or (isinstance(cv, list | tuple) and contains_box(cv)):
        raise TypeError(
            "pad: constant_values must not be traced (chainrule differentiates pad "
            "in the array only); pad with 0 and add the traced constant yourself"
        )
    cvs = _pairs(cv, nd, "constant_values", kind=lambda v: v)
    return pad_p(array, pad_width=widths, constant_values=cvs)


def _gather(array, widths, mode):
    """Each output entry reads one input entry: a gather along each padded axis."""
    out = array
    for ax, (before, after) in enumerate(widths):
        if before or after:
            source = np.pad(np.arange(shape_of(out)[ax]), (before, after), mode=mode)
            out = take(out, source, axis=ax)
    return out


def _spread(v, ax, width):
    """``v`` (size 1 along ``ax``) broadcast to ``width`` entries along ``ax``."""
    shape = list(shape_of(v))
    shape[ax] = width
    return broadcast_to(v, tuple(shape))


def _blocks(array, widths, make_before, make_after):
    """Pad axis by axis, concatenating the blocks ``make_*(out, ax, width)`` builds."""
    out = array
    for ax, (before, after) in enumerate(widths):
        if not (before or after):
            continue
        if shape_of(out)[ax] == 0:
            raise ValueError(f"pad: can't extend the empty axis {ax} with this mode")
        parts = [make_before(out, ax, before)] if before else []
        parts.append(out)
        if after:
            parts.append(make_after(out, ax, after))
        out = concatenate(parts, axis=ax)
    return out


def _edge_slice(out, ax, first: bool, k: int = 1):
    n = shape_of(out)[ax]
    k = builtins.min(builtins.max(k, 1), n)
    window = slice(0, k) if first else slice(n - k, n)
    return getitem(out, (slice(None),) * ax + (window,))


def _statistic(array, widths, mode, stat_length):
    reduce = {"maximum": amax, "minimum": amin, "mean": mean}[mode]
    nd = len(widths)
    lengths = (
        ((None, None),) * nd
        if stat_length is None
        else _pairs(stat_length, nd, "stat_length", kind=lambda v: None if v is None else int(v))
    )

    def block(first):
        def make(out, ax, width):
            k = lengths[ax][0 if first else 1]
            k = shape_of(out)[ax] if k is None else k
            if k < 0:
                raise ValueError(f"pad: stat_length must be non-negative, got {k}")
            return _spread(
                reduce(_edge_slice(out, ax, first, k), axis=ax, keepdims=True), ax, width
            )

        return make

    return _blocks(array, widths, block(True), block(False))


def _linear_ramp(array, widths, end_values):
    nd = len(widths)
    ends = _pairs(end_values, nd, "end_values", kind=float)
    dtype = dtype_of(array) if dtype_of(array).kind in "fc" else np.dtype(np.float64)
    xp = namespace_of(array)  # the ramps are made in the array's library

    def block(first):
        def make(out, ax, width):
            end = ends[ax][0 if first else 1]
            # NumPy's linspace(end, edge, width, endpoint=False), reversed after the array
            t = xp.arange(width, dtype=namespace_dtype(xp, dtype)) / width
            t = t if first else t[::-1]
            t = t.reshape(tuple(width if i == ax else 1 for i in range(nd)))
            edge = _edge_slice(out, ax, first)
            return E.add(end * (1.0 - t), E.multiply(edge, t))

        return make

    return _blocks(array, widths, block(True), block(False))


def pad(array, pad_width, mode="constant", **kwargs):
    """Pad an array (``numpy.pad``). Traced input supports the modes ``constant``
    (values static), ``edge``, ``reflect``, ``symmetric``, ``wrap``, ``maximum``,
    ``minimum``, ``mean`` and ``linear_ramp``; differentiable in ``array``."""
    array = as_operand(array)
    if not is_boxed(array) and not contains_box(list(kwargs.values())):
        return namespace_of(array).pad(array, concrete_value(pad_width), mode=mode, **kwargs)
    nd = len(shape_of(array))
    widths = _pairs(pad_width, nd, "pad_width")
    if builtins.any(w < 0 for pair in widths for w in pair):
        raise ValueError(f"pad: negative pad widths are not allowed, got {widths}")
    if mode == "constant":
        return _constant(array, widths, nd, kwargs)
    if mode in _INDEX_MODES:
        if kwargs.get("reflect_type", "even") != "even" or set(kwargs) - {"reflect_type"}:
            raise NotImplementedError(f"pad: unsupported arguments {sorted(kwargs)} for {mode!r}")
        return _gather(array, widths, mode)
    if mode in _STAT_MODES:
        stat_length = kwargs.pop("stat_length", None)
        if kwargs:
            raise TypeError(f"pad: unexpected arguments for mode {mode!r}: {sorted(kwargs)}")
        return _statistic(array, widths, mode, stat_length)
    if mode == "linear_ramp":
        end_values = kwargs.pop("end_values", 0.0)
        if kwargs:
            raise TypeError(f"pad: unexpected arguments for mode 'linear_ramp': {sorted(kwargs)}")
        return _linear_ramp(array, widths, end_values)
    supported = ("constant", *_INDEX_MODES, *_STAT_MODES, "linear_ramp")
    raise NotImplementedError(
        f"pad: mode {mode!r} is not differentiable in chainrule; supported modes for traced "
        f"arrays are {', '.join(map(repr, supported))}"
    )
