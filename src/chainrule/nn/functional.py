"""``nn.functional``: the layers as plain functions (PyTorch's ``torch.nn.functional``).

Every function is composed from :mod:`chainrule.numpy`, :mod:`chainrule.scipy.special`
and the sliding-windows primitive, so it works the same on eager ``Tensor`` s and on
values traced by ``grad``/``jvp`` (a dict of parameters under ``cr.grad`` just works),
to any order. The modules in :mod:`chainrule.nn` only hold parameters and call these.

Choices that differ from a literal reading of PyTorch are noted where they are made:
shape errors are ``ValueError`` s that are also ``RuntimeError`` s (PyTorch raises the
latter), and a label out of range is an ``IndexError`` that is also a ``ValueError``.
The losses live in :mod:`chainrule.nn._losses` and are re-exported here.
"""

from __future__ import annotations

import math

import numpy as np

import chainrule.numpy as cnp
from chainrule.core.trace import unbox_all
from chainrule.custom import stop_gradient
from chainrule.nn._losses import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    huber_loss,
    l1_loss,
    mse_loss,
    nll_loss,
    smooth_l1_loss,
)
from chainrule.primitives.windows import output_size, sliding_windows
from chainrule.random import default_generator
from chainrule.scipy import special

__all__ = [
    "ShapeError",
    "linear",
    "relu",
    "leaky_relu",
    "elu",
    "gelu",
    "silu",
    "softplus",
    "tanh",
    "sigmoid",
    "softmax",
    "log_softmax",
    "dropout",
    "conv2d",
    "max_pool2d",
    "avg_pool2d",
    "batch_norm",
    "layer_norm",
    "embedding",
    "one_hot",
    "mse_loss",
    "l1_loss",
    "smooth_l1_loss",
    "huber_loss",
    "cross_entropy",
    "nll_loss",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
]


class ShapeError(ValueError, RuntimeError):
    """An input's shape doesn't fit a layer. Both a ``ValueError`` and (as PyTorch
    raises) a ``RuntimeError``, so either ``except`` clause catches it."""


def _shape(x) -> tuple:
    return tuple(np.shape(unbox_all(x)))


def _dtype(x) -> np.dtype:
    return np.result_type(unbox_all(x))


def _ints(value, n: int, name: str) -> tuple:
    if isinstance(value, (int, np.integer)):
        return (int(value),) * n
    out = tuple(int(v) for v in value)
    if len(out) != n:
        raise ValueError(f"{name} must be an int or a tuple of {n} ints, got {value!r}")
    return out


# -- linear ------------------------------------------------------------------------------------
def linear(input, weight, bias=None, *, _layer=None):
    """``input @ weight.T + bias``; ``weight`` has PyTorch's layout ``(out, in)``."""
    xs, ws = _shape(input), _shape(weight)
    if len(ws) != 2 or not xs or xs[-1] != ws[1]:
        who = repr(_layer) if _layer is not None else "linear"
        raise ShapeError(
            f"{who}: input of shape {xs} doesn't fit weight of shape {ws} "
            f"(the input's last dimension must be {ws[1] if len(ws) == 2 else '?'})"
        )
    if len(xs) == 2:
        # (W xᵀ)ᵀ rather than x Wᵀ: same product, but the weight's gradient g'ᵀx then
        # comes out of BLAS already in W's (out, in) layout, with no transposed copy
        out = cnp.transpose(cnp.matmul(weight, cnp.transpose(input)))
    elif len(xs) == 1:
        out = cnp.matmul(weight, input)
    else:
        out = cnp.matmul(input, cnp.transpose(weight))
    if bias is not None:
        out = out + bias
    return out


# -- activations -------------------------------------------------------------------------------
def relu(input):
    """max(x, 0), with the subgradient 0 at 0 (as PyTorch)."""
    raw = unbox_all(input)
    positive = np.greater(raw, 0)  # a constant mask: the derivative is 1 there, else 0
    if np.isneginf(raw).any():  # -inf * 0 would be NaN: take the (slower) select
        return cnp.where(positive, input, 0)
    return input * positive


def leaky_relu(input, negative_slope: float = 0.01):
    return cnp.where(input > 0, input, input * negative_slope)


def elu(input, alpha: float = 1.0):
    # expm1 sees only the non-positive part, so the untaken branch can't overflow
    negative = cnp.where(input > 0, 0, input)
    return cnp.where(input > 0, input, alpha * cnp.expm1(negative))


def gelu(input, approximate: str = "none"):
    """x·Φ(x); ``approximate="tanh"`` uses PyTorch's tanh formula."""
    if approximate == "none":
        return 0.5 * input * (1.0 + special.erf(input * (1.0 / math.sqrt(2.0))))
    if approximate == "tanh":
        inner = math.sqrt(2.0 / math.pi) * (input + 0.044715 * input * input * input)
        return 0.5 * input * (1.0 + cnp.tanh(inner))
    raise ValueError(f"gelu: approximate must be 'none' or 'tanh', got {approximate!r}")


def silu(input):
    return input * special.expit(input)


def softplus(input, beta: float = 1.0, threshold: float = 20.0):
    """log(1 + exp(βx))/β, linear above ``threshold`` (as PyTorch)."""
    scaled = input * beta
    return cnp.where(scaled > threshold, input, cnp.logaddexp(0.0, scaled) / beta)


def tanh(input):
    return cnp.tanh(input)


def sigmoid(input):
    return special.expit(input)


def _softmax_dim(ndim: int) -> int:
    # PyTorch's legacy choice when dim is not given
    return 0 if ndim in (0, 1, 3) else 1


def softmax(input, dim: int | None = None, dtype=None):
    if dtype is not None:
        input = cnp.astype(input, dtype)
    if dim is None:
        dim = _softmax_dim(len(_shape(input)))
    return special.softmax(input, axis=dim)


def log_softmax(input, dim: int | None = None, dtype=None):
    if dtype is not None:
        input = cnp.astype(input, dtype)
    if dim is None:
        dim = _softmax_dim(len(_shape(input)))
    return special.log_softmax(input, axis=dim)


# -- dropout ---------------------------------------------------------------------------------
def dropout(input, p: float = 0.5, training: bool = True, inplace: bool = False):
    """Zero each entry with probability ``p`` and scale the rest by 1/(1-p); the mask
    comes from chainrule's generator (``cr.manual_seed``)."""
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if not training or p == 0.0:
        return input
    dtype = _dtype(input)
    if p == 1.0:
        return input * np.zeros((), dtype)
    keep = default_generator().random(_shape(input)) >= p
    return input * (keep.astype(dtype) / np.asarray(1.0 - p, dtype))


# -- convolution and pooling ------------------------------------------------------------------
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
    who = repr(_layer) if _layer is not None else "conv2d"
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
    if isinstance(padding, str):
        if padding == "valid":
            pads = ((0, 0), (0, 0))
        elif padding == "same":
            if stride != (1, 1):
                raise ValueError(f"{who}: padding='same' is not supported for strided convolutions")
            totals = (dilation[0] * (kh - 1), dilation[1] * (kw - 1))
            # PyTorch puts the odd extra row/column at the end
            pads = tuple((t // 2, t - t // 2) for t in totals)
        else:
            raise ValueError(
                f"{who}: padding must be an int, a pair, 'valid' or 'same', got {padding!r}"
            )
    else:
        pads = tuple((p, p) for p in _ints(padding, 2, "padding"))
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
):
    """Maximum over each window. The gradient goes to the first maximal entry of each
    window (PyTorch's rule), never split between ties."""
    x, unbatched, k, s, d, pads, hw = _pool_setup(
        input, kernel_size, stride, padding, dilation, ceil_mode, "max_pool2d"
    )
    win = sliding_windows(x, k, s, d, pads, pad_value=-np.inf)
    lead = _shape(win)[:4]
    flat = cnp.reshape(win, lead + (k[0] * k[1],))
    arg = np.argmax(np.asarray(unbox_all(flat)), axis=-1)
    out = cnp.take_along_axis(flat, arg[..., None], axis=-1)[..., 0]
    if unbatched:
        out = out[0]
    if not return_indices:
        return out
    # flat index into the (H, W) plane, as PyTorch returns
    oh, ow = lead[2:]
    i, j = np.divmod(arg, k[1])
    rows = np.arange(oh)[:, None] * s[0] + i * d[0] - pads[0][0]
    cols = np.arange(ow)[None, :] * s[1] + j * d[1] - pads[1][0]
    idx = (rows * hw[1] + cols).astype(np.int64)
    from chainrule.tensor import from_numpy

    return out, from_numpy(idx[0] if unbatched else idx)


def avg_pool2d(
    input,
    kernel_size,
    stride=None,
    padding=0,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
    divisor_override: int | None = None,
):
    """Mean over each window, with PyTorch's divisor rules for padding and ceil_mode."""
    x, unbatched, k, s, d, pads, hw = _pool_setup(
        input, kernel_size, stride, padding, 1, ceil_mode, "avg_pool2d"
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
    out = total / divisor.astype(_dtype(x))
    return out[0] if unbatched else out


# -- normalisation ------------------------------------------------------------------------------
def batch_norm(
    input,
    running_mean,
    running_var,
    weight=None,
    bias=None,
    training: bool = False,
    momentum: float = 0.1,
    eps: float = 1e-5,
):
    """Normalise each channel (axis 1) by its batch statistics (training) or by the
    running ones (eval). In training, ``running_mean``/``running_var`` are updated in
    place: ``(1 - momentum)·running + momentum·batch``, the variance unbiased."""
    shape = _shape(input)
    if len(shape) < 2:
        raise ShapeError(f"batch_norm: expected at least 2-d input (N, C, ...), got {shape}")
    c = shape[1]
    axes = (0,) + tuple(range(2, len(shape)))
    bshape = (1, c) + (1,) * (len(shape) - 2)
    if training:
        count = int(np.prod([shape[a] for a in axes]))
        if count <= 1:
            raise ValueError(
                f"batch_norm: expected more than 1 value per channel when training, got "
                f"input of shape {shape}"
            )
        mean = cnp.mean(input, axis=axes)
        var = cnp.var(input, axis=axes)
        if running_mean is not None and running_var is not None:
            m = np.asarray(unbox_all(mean))
            v = np.asarray(unbox_all(var)) * (count / (count - 1))
            rm, rv = np.asarray(running_mean), np.asarray(running_var)
            running_mean.data = ((1.0 - momentum) * rm + momentum * m).astype(rm.dtype)
            running_var.data = ((1.0 - momentum) * rv + momentum * v).astype(rv.dtype)
    else:
        if running_mean is None or running_var is None:
            raise ValueError("batch_norm: running statistics are needed when not training")
        mean, var = running_mean, running_var
    inv = 1.0 / cnp.sqrt(cnp.reshape(var, bshape) + eps)
    out = (input - cnp.reshape(mean, bshape)) * inv
    if weight is not None:
        out = out * cnp.reshape(weight, bshape)
    if bias is not None:
        out = out + cnp.reshape(bias, bshape)
    return out


def layer_norm(input, normalized_shape, weight=None, bias=None, eps: float = 1e-5):
    """Normalise over the trailing ``normalized_shape`` axes (biased variance)."""
    normalized_shape = (
        (int(normalized_shape),)
        if isinstance(normalized_shape, (int, np.integer))
        else tuple(normalized_shape)
    )
    shape = _shape(input)
    k = len(normalized_shape)
    if tuple(shape[len(shape) - k :]) != normalized_shape:
        raise ShapeError(
            f"layer_norm: input of shape {shape} doesn't end in normalized_shape {normalized_shape}"
        )
    axes = tuple(range(len(shape) - k, len(shape)))
    mean = cnp.mean(input, axis=axes, keepdims=True)
    var = cnp.var(input, axis=axes, keepdims=True)
    out = (input - mean) / cnp.sqrt(var + eps)
    if weight is not None:
        out = out * weight
    if bias is not None:
        out = out + bias
    return out


# -- embedding ----------------------------------------------------------------------------------
def _int_array(x, name: str) -> np.ndarray:
    arr = np.asarray(unbox_all(x))
    if arr.dtype.kind not in "iu":
        raise TypeError(f"{name}: expected integer indices, got dtype {arr.dtype}")
    return arr


def embedding(input, weight, padding_idx: int | None = None):
    """Rows of ``weight`` at the integer ``input``; the ``padding_idx`` row gets no
    gradient (as PyTorch)."""
    idx = _int_array(input, "embedding")
    num = _shape(weight)[0]
    bad = (idx < 0) | (idx >= num)
    if bad.any():
        raise IndexError(
            f"embedding: index {int(idx[bad].flat[0])} is out of range for an embedding "
            f"with {num} rows"
        )
    out = cnp.take(weight, idx, axis=0)
    if padding_idx is not None:
        if padding_idx < 0:
            padding_idx += num
        keep = (idx != padding_idx)[..., None]
        out = cnp.where(keep, out, stop_gradient(out))
    return out


def one_hot(tensor, num_classes: int = -1):
    """Integer labels to a one-hot int64 tensor with a trailing class axis."""
    from chainrule.tensor import from_numpy

    idx = _int_array(tensor, "one_hot")
    if num_classes < 0:
        num_classes = int(idx.max()) + 1 if idx.size else 0
    if idx.size and (idx.min() < 0 or idx.max() >= num_classes):
        bad = idx[(idx < 0) | (idx >= num_classes)].flat[0]
        raise ValueError(
            f"one_hot: class value {int(bad)} is out of range for {num_classes} classes"
        )
    return from_numpy((idx[..., None] == np.arange(num_classes)).astype(np.int64))
