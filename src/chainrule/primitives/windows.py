"""Sliding windows: the primitive family behind convolution and pooling.

``sliding_windows(x, window_shape, strides, dilation, padding)`` looks at the last
``k = len(window_shape)`` axes of ``x`` through a moving window and returns every window
at once, as a strided view: an input of shape ``(..., H, W)`` gives
``(..., OH, OW, KH, KW)``. A convolution is then one matmul against those windows
("im2col") and pooling is one reduction over the window axes, with no Python loop over
output positions.

The op is linear in ``x``, so its JVP is the op itself applied to the tangent. Its VJP
is the adjoint, :func:`sliding_windows_transpose` ("col2im"): every window's cotangent
is added back onto the input positions that window read, so positions covered by
several overlapping windows receive the sum. The transpose is linear too and its own
adjoint is ``sliding_windows`` again, so the pair closes under differentiation and
derivatives of any order come free.

Padding is part of the record: positions outside the input read ``pad_value`` (0 for
convolution and average pooling, ``-inf`` for max pooling), and the transpose drops
the cotangent of the padding, which is a constant.
"""

from __future__ import annotations

import itertools

import numpy as np

from chainrule.core.primitive import defprimitive
from chainrule.primitives._helpers import shape_of
from chainrule.primitives.shape import transpose

__all__ = ["sliding_window_view", "sliding_windows", "sliding_windows_transpose"]


# -- geometry -------------------------------------------------------------------------------
def _tuple(value, k: int, name: str) -> tuple:
    """Expand an int (or a length-k sequence) into a k-tuple of ints."""
    if isinstance(value, (int, np.integer)):
        return (int(value),) * k
    out = tuple(int(v) for v in value)
    if len(out) != k:
        raise ValueError(f"sliding_windows: {name} needs {k} values, got {out}")
    return out


def _padding(value, k: int) -> tuple:
    """Padding as k (before, after) pairs; an int or a k-tuple pads both sides equally."""
    if isinstance(value, (int, np.integer)):
        return ((int(value), int(value)),) * k
    value = tuple(value)
    if len(value) != k:
        raise ValueError(f"sliding_windows: padding needs {k} entries, got {value}")
    pairs = []
    for v in value:
        if isinstance(v, (int, np.integer)):
            pairs.append((int(v), int(v)))
        else:
            before, after = v
            pairs.append((int(before), int(after)))
    return tuple(pairs)


def output_size(size: int, window: int, stride: int, dilation: int, pad: tuple) -> int:
    """Number of window positions along one axis (may be <= 0 if the window doesn't fit)."""
    span = dilation * (window - 1) + 1
    return (size + pad[0] + pad[1] - span) // stride + 1


def _geometry(in_shape, window_shape, strides, dilation, padding):
    k = len(window_shape)
    if len(in_shape) < k:
        raise ValueError(
            f"sliding_windows: a {k}-d window needs at least {k} axes, got shape {in_shape}"
        )
    spatial = in_shape[len(in_shape) - k :]
    out = tuple(
        output_size(n, w, s, d, p)
        for n, w, s, d, p in zip(spatial, window_shape, strides, dilation, padding, strict=True)
    )
    if any(w < 1 for w in window_shape) or any(s < 1 for s in strides):
        raise ValueError(
            f"sliding_windows: window {window_shape} and strides {strides} must be positive"
        )
    if any(d < 1 for d in dilation) or any(p < 0 for pair in padding for p in pair):
        raise ValueError(
            f"sliding_windows: dilation {dilation} must be positive and padding "
            f"{padding} non-negative"
        )
    if any(o < 1 for o in out):
        raise ValueError(
            f"sliding_windows: window {window_shape} (dilation {dilation}) does not fit "
            f"input of spatial shape {spatial} with padding {padding}"
        )
    return spatial, out


# -- forward implementations (strided views through the values' library) ---------------------
def _windows_impl(xp, x, window_shape, strides, dilation, padding, pad_value=0.0):
    k = len(window_shape)
    _, out = _geometry(x.shape, window_shape, strides, dilation, padding)
    lead = x.ndim - k
    if any(p for pair in padding for p in pair):
        x = xp.pad(x, ((0, 0),) * lead + padding, mode="constant", constant_values=pad_value)
    st = x.strides
    spatial_st = st[lead:]
    # NumPy's views are made read-only (they alias x); CuPy's as_strided has no such flag
    extra = {"writeable": False} if xp is np else {}
    return xp.lib.stride_tricks.as_strided(
        x,
        shape=x.shape[:lead] + out + tuple(window_shape),
        strides=st[:lead]
        + tuple(a * s for a, s in zip(spatial_st, strides, strict=True))
        + tuple(a * d for a, d in zip(spatial_st, dilation, strict=True)),
        **extra,
    )


def _transpose_impl(xp, g, in_shape, window_shape, strides, dilation, padding):
    k = len(window_shape)
    spatial, out = _geometry(in_shape, window_shape, strides, dilation, padding)
    lead = g.ndim - 2 * k
    padded = tuple(n + p[0] + p[1] for n, p in zip(spatial, padding, strict=True))
    acc = xp.zeros(g.shape[:lead] + padded, dtype=g.dtype)
    # One strided add per window offset (KH*KW of them), never one per output position:
    # offset (i, j) of every window lands on a strided grid of the padded input.
    for offset in itertools.product(*(range(w) for w in window_shape)):
        target = tuple(
            slice(o * d, o * d + s * (n - 1) + 1, s)
            for o, d, s, n in zip(offset, dilation, strides, out, strict=True)
        )
        acc[(Ellipsis,) + target] += g[(Ellipsis,) + offset]
    inner = tuple(slice(p[0], p[0] + n) for p, n in zip(padding, spatial, strict=True))
    return acc[(Ellipsis,) + inner]


# -- the records ----------------------------------------------------------------------------
# The rules pass the geometry (window_shape, strides, dilation, padding) on as it is.
def _windows_vjp(ans, x, pad_value=0.0, **geometry):
    # adjoint of gathering windows: scatter-add them back (col2im)
    in_shape = shape_of(x)
    return lambda g: sliding_windows_transpose_p(g, in_shape=in_shape, **geometry)


def _windows_jvp(g, ans, x, pad_value=0.0, **geometry):
    # linear in x; the padding is a constant, so its tangent is 0
    return sliding_windows_p(g, **geometry)


def _transpose_vjp(ans, x, in_shape, **geometry):
    return lambda g: sliding_windows_p(g, **geometry)


def _transpose_jvp(g, ans, x, in_shape, **geometry):
    return sliding_windows_transpose_p(g, in_shape=in_shape, **geometry)


sliding_windows_p = defprimitive(
    "sliding_windows", _windows_impl, vjp={0: _windows_vjp}, jvp={0: _windows_jvp}
)
sliding_windows_transpose_p = defprimitive(
    "sliding_windows_transpose",
    _transpose_impl,
    vjp={0: _transpose_vjp},
    jvp={0: _transpose_jvp},
)


# -- public wrappers ----------------------------------------------------------------------------
def _window_shape(window_shape) -> tuple:
    if isinstance(window_shape, int | np.integer):
        return (int(window_shape),)
    return tuple(int(w) for w in window_shape)


def _normalize(window_shape, strides, dilation, padding) -> dict:
    """The geometry keywords of the records, each normalised to one entry per axis."""
    window_shape = _window_shape(window_shape)
    k = len(window_shape)
    return {
        "window_shape": window_shape,
        "strides": _tuple(strides, k, "strides"),
        "dilation": _tuple(dilation, k, "dilation"),
        "padding": _padding(padding, k),
    }


def sliding_windows(x, window_shape, strides=1, dilation=1, padding=0, pad_value=0.0):
    """Every window over the last ``len(window_shape)`` axes of ``x``.

    ``x`` of shape ``(..., *spatial)`` gives ``(..., *out, *window_shape)`` where
    ``out[i] = (spatial[i] + pad_before + pad_after - dilation*(window-1) - 1) // stride + 1``.
    ``padding`` is an int, one int per axis, or one ``(before, after)`` pair per axis;
    padded positions read ``pad_value`` (a constant: it gets no gradient).
    """
    geometry = _normalize(window_shape, strides, dilation, padding)
    _geometry(shape_of(x), **geometry)
    if pad_value != 0.0:
        return sliding_windows_p(x, pad_value=float(pad_value), **geometry)
    return sliding_windows_p(x, **geometry)


def sliding_windows_transpose(g, in_shape, window_shape, strides=1, dilation=1, padding=0):
    """The adjoint of :func:`sliding_windows` ("col2im"): add each window of ``g`` (shape
    ``(..., *out, *window_shape)``) back onto an array of shape ``in_shape``."""
    geometry = _normalize(window_shape, strides, dilation, padding)
    in_shape = tuple(int(n) for n in in_shape)
    _, out = _geometry(in_shape, **geometry)
    k = len(geometry["window_shape"])
    got = shape_of(g)
    if got[len(got) - 2 * k :] != out + geometry["window_shape"]:
        raise ValueError(
            f"sliding_windows_transpose: expected trailing shape "
            f"{out + geometry['window_shape']} for input shape {in_shape}, got {got}"
        )
    return sliding_windows_transpose_p(g, in_shape=in_shape, **geometry)


def sliding_window_view(x, window_shape, axis=None):
    """NumPy's ``numpy.lib.stride_tricks.sliding_window_view``, differentiable.

    Windows of stride 1 over ``axis`` (default: the last ``len(window_shape)`` axes of
    ``x`` when it has exactly that many, as in NumPy); the window axes come last.
    """
    window_shape = _window_shape(window_shape)
    nd = len(shape_of(x))
    if axis is None:
        if len(window_shape) != nd:
            raise ValueError(
                f"sliding_window_view: window_shape {window_shape} needs one entry per axis "
                f"of x (shape {shape_of(x)}) when axis is None"
            )
        axis = tuple(range(nd))
    axes = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    axes = tuple(int(a) % nd for a in axes)
    if len(axes) != len(window_shape):
        raise ValueError("sliding_window_view: window_shape and axis must have the same length")
    if len(set(axes)) != len(axes):
        # NumPy allows windows twice along one axis; keep the differentiable version simple
        raise NotImplementedError("sliding_window_view: repeated axes are not supported")
    # move the windowed axes last (in the given order), window them, move them back
    rest = tuple(a for a in range(nd) if a not in axes)
    moved = transpose(x, rest + axes) if rest + axes != tuple(range(nd)) else x
    win = sliding_windows(moved, window_shape)
    k = len(axes)
    # win axes: rest..., out (in `axes` order)..., window...; NumPy's output keeps the
    # original axis order for the outputs, then the windows in the given order
    out_pos = list(rest) + list(axes)
    order = [out_pos.index(a) for a in range(nd)] + list(range(nd, nd + k))
    if order != list(range(nd + k)):
        win = transpose(win, tuple(order))
    return win
