"""``nn.functional``: the layers as plain functions (PyTorch's ``torch.nn.functional``).

Every function is composed from :mod:`chainrule.numpy`, :mod:`chainrule.scipy.special`
and the sliding-windows primitive, so it works the same on eager ``Tensor`` s and on
values traced by ``grad``/``jvp`` (a dict of parameters under ``cr.grad`` just works),
to any order. The modules in :mod:`chainrule.nn` only hold parameters and call these.

Choices that differ from a literal reading of PyTorch are noted where they are made:
shape errors are ``ValueError`` s that are also ``RuntimeError`` s (PyTorch raises the
latter), and a label out of range is an ``IndexError`` that is also a ``ValueError``.
This module holds the dense, activation, dropout, normalisation and embedding
functions; the losses (:mod:`chainrule.nn._losses`) and convolution and pooling
(:mod:`chainrule.nn._conv_pool`) live in their own modules and are re-exported here,
so every function is reached as ``F.<name>``.
"""

from __future__ import annotations

import math

import numpy as np

import chainrule.numpy as cnp
from chainrule.core.trace import unbox_all
from chainrule.functional.custom import stop_gradient
from chainrule.nn._conv_pool import avg_pool2d, conv2d, max_pool2d
from chainrule.nn._functional_common import ShapeError, _caller, _dtype, _shape, check_dtype
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
from chainrule.scipy import special
from chainrule.tensors import from_numpy
from chainrule.tensors.device import device_of, move, to_host
from chainrule.tensors.random import default_generator

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


# -- linear ------------------------------------------------------------------------------------
def linear(input, weight, bias=None, *, _layer=None):
    """``input @ weight.T + bias``; ``weight`` has PyTorch's layout ``(out, in)``."""
    check_dtype(_layer, "linear", input, weight)
    xs, ws = _shape(input), _shape(weight)
    if len(ws) != 2 or not xs or xs[-1] != ws[1]:
        who = _caller(_layer, "linear")
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


def _softmax_args(input, dim: int | None, dtype):
    """The input cast to ``dtype`` (when given) and the axis (PyTorch's legacy choice
    when ``dim`` is not given)."""
    if dtype is not None:
        input = cnp.astype(input, dtype)
    if dim is None:
        dim = 0 if len(_shape(input)) in (0, 1, 3) else 1
    return input, dim


def softmax(input, dim: int | None = None, dtype=None):
    input, dim = _softmax_args(input, dim, dtype)
    return special.softmax(input, axis=dim)


def log_softmax(input, dim: int | None = None, dtype=None):
    input, dim = _softmax_args(input, dim, dtype)
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
    keep = default_generator().random(_shape(input)) >= p  # drawn on the host
    scale = move(keep.astype(dtype) / np.asarray(1.0 - p, dtype), device_of(unbox_all(input)))
    return input * scale


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
    *,
    _layer=None,
):
    """Normalise each channel (axis 1) by its batch statistics (training) or by the
    running ones (eval). In training, ``running_mean``/``running_var`` are updated in
    place: ``(1 - momentum)·running + momentum·batch``, the variance unbiased."""
    check_dtype(_layer, "batch_norm", input, running_mean if weight is None else weight)
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
            m = unbox_all(mean)  # (arrays of the input's library and device)
            v = unbox_all(var) * (count / (count - 1))
            rm, rv = unbox_all(running_mean), unbox_all(running_var)
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


def layer_norm(input, normalized_shape, weight=None, bias=None, eps: float = 1e-5, *, _layer=None):
    """Normalise over the trailing ``normalized_shape`` axes (biased variance)."""
    normalized_shape = (
        (int(normalized_shape),)
        if isinstance(normalized_shape, (int, np.integer))
        else tuple(normalized_shape)
    )
    check_dtype(_layer, "layer_norm", input, weight)
    shape = _shape(input)
    k = len(normalized_shape)
    if tuple(shape[len(shape) - k :]) != normalized_shape:
        who = _caller(_layer, "layer_norm")
        raise ShapeError(
            f"{who}: input of shape {shape} doesn't end in normalized_shape {normalized_shape}"
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
    """Integer indices as a NumPy array (read on the host, where they are checked)."""
    arr = np.asarray(to_host(unbox_all(x)))
    if arr.dtype.kind not in "iu":
        raise TypeError(f"{name}: expected integer indices, got dtype {arr.dtype}")
    return arr


def embedding(input, weight, padding_idx: int | None = None, *, _layer=None):
    """Rows of ``weight`` at the integer ``input``; the ``padding_idx`` row gets no
    gradient (as PyTorch)."""
    idx = _int_array(input, "embedding")
    num = _shape(weight)[0]
    bad = (idx < 0) | (idx >= num)
    if bad.any():
        who = _caller(_layer, "embedding")
        raise IndexError(
            f"{who}: index {int(idx[bad].flat[0])} is out of range for an embedding with {num} rows"
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
    idx = _int_array(tensor, "one_hot")
    if num_classes < 0:
        num_classes = int(idx.max()) + 1 if idx.size else 0
    if idx.size and (idx.min() < 0 or idx.max() >= num_classes):
        bad = idx[(idx < 0) | (idx >= num_classes)].flat[0]
        raise ValueError(
            f"one_hot: class value {int(bad)} is out of range for {num_classes} classes"
        )
    hot = from_numpy((idx[..., None] == np.arange(num_classes)).astype(np.int64))
    return hot.to(device_of(unbox_all(tensor)))  # (made on the host, like the indices)
