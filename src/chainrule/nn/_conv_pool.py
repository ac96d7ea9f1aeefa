"""Convolution and pooling as plain functions (``conv2d``, ``max_pool2d``,
``avg_pool2d``), re-exported by :mod:`chainrule.nn.functional`.

All three read their input through the sliding-windows primitive
(:func:`~chainrule.primitives.windows.sliding_windows`), so no Python loop runs over
output positions; shapes, padding rules and defaults are PyTorch's, and a misfitting
input raises :class:`~chainrule.nn.functional.ShapeError`.
"""

from __future__ import annotations

import numpy as np

import chainrule.numpy as cnp
from chainrule.core.backend import array_namespace
from chainrule.core.trace import unbox_all
from chainrule.nn._functional_common import ShapeError, _caller, _dtype, _shape, check_dtype
from chainrule.primitives.windows import output_size, sliding_windows
from chainrule.tensors import from_numpy
from chainrule.tensors.device import device_of, move, to_host

__all__ = ["conv2d", "max_pool2d", "avg_pool2d"]


def _ints(value, n: int, name: str) -> tuple:
    if isinstance(value, (int, np.integer)):
        return (int(value),) * n
    out = tuple(int(v) for v in value)
    if len(out) != n:
        raise ValueError(f"{name} must be an int or a tuple of {n} ints, got {value!r}")
    return out


def _batched(input, name: str):
    """Accept (N, C, H, W) or unbatched (C, H, W) input; return 4-d input and a flag."""
    shape = _shape(input)
    if len(shape) == 3:
        return cnp.expand_dims(input, 0), True
    if len(shape) != 4:
        raise ShapeError(
            f"{name}: expected a 3-d (C, H, W) or 4-d (N, C, H, W) input, got shape {shape}"
        )
    return input, False


_PAD_MODES = {"reflect": "reflect", "replicate": "edge", "circular": "wrap"}


def _conv_pads(padding, stride: tuple, dilation: tuple, kernel: tuple, who: str) -> tuple:
    """``((top, bottom), (left, right))`` from ``padding``: an int, a pair, ``"valid"``
    or ``"same"`` (unstrided only; the odd extra row or column goes at the end, as in
    PyTorch)."""
    if not isinstance(padding, str):
        return tuple((p, p) for p in _ints(padding, 2, "padding"))
    if padding == "valid":
        return ((0, 0), (0, 0))
    if padding == "same":
        if stride != (1, 1):
            raise ValueError(f"{who}: padding='same' is not supported for strided convolutions")
        totals = (d * (k - 1) for d, k in zip(dilation, kernel, strict=True))
        return tuple((t // 2, t - t // 2) for t in totals)
    raise ValueError(f"{who}: padding must be an int, a pair, 'valid' or 'same', got {padding!r}")


def conv2d(
    input,
    weight,
    bias=None,
    stride=1,
    padding=0,
    dilation=1,
    groups: int = 1,
    *,
    padding_mode: str = "zeros",
    _layer=None,
):
    """2-d cross-correlation (PyTorch's ``conv2d``): weight ``(out, in/groups, kH, kW)``.

    Computed as one batched matmul of the weight against every input window (im2col
    through :func:`~chainrule.primitives.windows.sliding_windows`); no Python loop runs
    over output positions. ``padding`` may be an int, a pair, ``"valid"`` or ``"same"``.
    """
    check_dtype(_layer, "conv2d", input, weight)
    who = _caller(_layer, "conv2d")
    x, unbatched = _batched(input, who)
    n, c, h, w = _shape(x)
    ws = _shape(weight)
    if len(ws) != 4:
        raise ShapeError(f"{who}: weight must be 4-d (out, in/groups, kH, kW), got {ws}")
    o, cg, kh, kw = ws
    if groups < 1 or c % groups or o % groups or c // groups != cg:
        raise ShapeError(
            f"{who}: input of shape {_shape(input)} has {c} channels, but weight of shape "
            f"{ws} with groups={groups} expects {cg * groups}"
        )
    stride = _ints(stride, 2, "stride")
    dilation = _ints(dilation, 2, "dilation")
    pads = _conv_pads(padding, stride, dilation, (kh, kw), who)
    if padding_mode != "zeros" and any(p for pair in pads for p in pair):
        if padding_mode not in _PAD_MODES:
            raise ValueError(f"{who}: unknown padding_mode {padding_mode!r}")
        x = cnp.pad(x, ((0, 0), (0, 0)) + pads, mode=_PAD_MODES[padding_mode])
        pads = ((0, 0), (0, 0))
    for size, k, s, d, p, axis in zip((h, w), (kh, kw), stride, dilation, pads, "HW", strict=True):
        if output_size(size, k, s, d, p) < 1:
            raise ShapeError(
                f"{who}: kernel ({kh}, {kw}) with dilation {dilation} is larger than the "
                f"padded input of shape {_shape(input)} along {axis}"
            )
    cols = sliding_windows(x, (kh, kw), stride, dilation, pads)  # (N, C, OH, OW, kH, kW)
    oh, ow = _shape(cols)[2:4]
    cols = cnp.transpose(cols, (0, 1, 4, 5, 2, 3))
    cols = cnp.reshape(cols, (n, groups, cg * kh * kw, oh * ow))
    wm = cnp.reshape(weight, (groups, o // groups, cg * kh * kw))
    out = cnp.reshape(cnp.matmul(wm, cols), (n, o, oh, ow))
    if bias is not None:
        out = out + cnp.reshape(bias, (1, o, 1, 1))
    return out[0] if unbatched else out


def _pool_geometry(size, k, s, d, p, ceil_mode):
    """Output length and the extra end padding that ``ceil_mode`` needs (PyTorch's rule:
    a last window must start inside the input or the left padding)."""
    span = d * (k - 1) + 1
    if ceil_mode:
        out = -(-(size + 2 * p - span) // s) + 1
        if (out - 1) * s >= size + p:
            out -= 1
    else:
        out = (size + 2 * p - span) // s + 1
    extra = max(0, (out - 1) * s + span - (size + 2 * p))
    return out, extra


def _pool_setup(input, kernel_size, stride, padding, dilation, ceil_mode, name):
    x, unbatched = _batched(input, name)
    k = _ints(kernel_size, 2, "kernel_size")
    s = (
        k
        if stride is None or (not isinstance(stride, int) and len(stride) == 0)
        else _ints(stride, 2, "stride")
    )
    p = _ints(padding, 2, "padding")
    d = _ints(dilation, 2, "dilation")
    if any(pi > ki // 2 for pi, ki in zip(p, k, strict=True)):
        raise ValueError(f"{name}: padding {p} should be at most half of kernel size {k}")
    hw = _shape(x)[2:]
    geo = [_pool_geometry(*args, ceil_mode) for args in zip(hw, k, s, d, p, strict=True)]
    if any(out < 1 for out, _ in geo):
        raise ShapeError(f"{name}: kernel {k} doesn't fit input of shape {_shape(input)}")
    pads = tuple((pi, pi + extra) for pi, (_, extra) in zip(p, geo, strict=True))
    return x, unbatched, k, s, d, pads, hw


def max_pool2d(
    input,
    kernel_size,
    stride=None,
    padding=0,
    dilation=1,
    ceil_mode: bool = False,
    return_indices: bool = False,
    *,
    _layer=None,
):
    """Maximum over each window. The gradient goes to the first maximal entry of each
    window (PyTorch's rule), never split between ties."""
    x, unbatched, k, s, d, pads, hw = _pool_setup(
        input,
        kernel_size,
        stride,
        padding,
        dilation,
        ceil_mode,
        _caller(_layer, "max_pool2d"),
    )
    win = sliding_windows(x, k, s, d, pads, pad_value=-np.inf)
    lead = _shape(win)[:4]
    flat = cnp.reshape(win, lead + (k[0] * k[1],))
    values = unbox_all(flat)
    arg = array_namespace((values,)).argmax(values, axis=-1)  # on the input's device
    out = cnp.take_along_axis(flat, arg[..., None], axis=-1)[..., 0]
    if unbatched:
        out = out[0]
    if not return_indices:
        return out
    # flat index into the (H, W) plane, as PyTorch returns
    oh, ow = lead[2:]
    i, j = np.divmod(to_host(arg), k[1])
    rows = np.arange(oh)[:, None] * s[0] + i * d[0] - pads[0][0]
    cols = np.arange(ow)[None, :] * s[1] + j * d[1] - pads[1][0]
    idx = (rows * hw[1] + cols).astype(np.int64)
    return out, from_numpy(idx[0] if unbatched else idx).to(device_of(values))


def avg_pool2d(
    input,
    kernel_size,
    stride=None,
    padding=0,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
    divisor_override: int | None = None,
    *,
    _layer=None,
):
    """Mean over each window, with PyTorch's divisor rules for padding and ceil_mode."""
    x, unbatched, k, s, d, pads, hw = _pool_setup(
        input,
        kernel_size,
        stride,
        padding,
        1,
        ceil_mode,
        _caller(_layer, "avg_pool2d"),
    )
    win = sliding_windows(x, k, s, d, pads)
    total = cnp.sum(win, axis=(-2, -1))
    if divisor_override is not None:
        divisor = np.asarray(float(divisor_override))
    else:
        # count, per window, the cells that are input (or explicit padding, when counted)
        mask = np.zeros(tuple(n + a + b for n, (a, b) in zip(hw, pads, strict=True)))
        p = tuple(a for a, _ in pads)
        if count_include_pad:
            mask[: hw[0] + 2 * p[0], : hw[1] + 2 * p[1]] = 1.0
        else:
            mask[p[0] : p[0] + hw[0], p[1] : p[1] + hw[1]] = 1.0
        counts = np.lib.stride_tricks.sliding_window_view(mask, k)[:: s[0], :: s[1]]
        divisor = counts.sum(axis=(-2, -1))
    # (the counts are made on the host: they go to the input's device)
    out = total / move(divisor.astype(_dtype(x)), device_of(unbox_all(x)))
    return out[0] if unbatched else out
