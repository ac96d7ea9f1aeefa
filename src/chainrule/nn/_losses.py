"""The loss functions of ``nn.functional`` (re-exported there), with PyTorch's formulas,
``reduction`` modes (``"mean"``, ``"sum"``, ``"none"``) and defaults.

Classification losses are computed from log-probabilities so that they stay finite
for any logits: ``cross_entropy`` is ``nll_loss(log_softmax(logits))``, and the binary
one uses ``logaddexp(0, -x)`` for ``-log σ(x)``. Class-index targets are turned into a
constant coefficient array (one-hot, times class weights, zero where ignored, plus the
label-smoothing share), so one multiply-and-sum covers every option.
"""

from __future__ import annotations

import numpy as np

import chainrule.numpy as cnp
from chainrule.core.trace import unbox_all
from chainrule.nn._functional_common import _dtype, _shape
from chainrule.scipy import special
from chainrule.tensors.device import device_of, move, to_host

__all__ = [
    "mse_loss",
    "l1_loss",
    "smooth_l1_loss",
    "huber_loss",
    "nll_loss",
    "cross_entropy",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
]


class LabelError(IndexError, ValueError):
    """A class label outside ``[0, C)``: an ``IndexError`` (as PyTorch) and a
    ``ValueError``."""


class ProbabilityError(ValueError, RuntimeError):
    """A probability outside [0, 1]: a ``ValueError`` and (as PyTorch raises) a
    ``RuntimeError``."""


def _reduce(loss, reduction: str, name: str):
    if reduction == "mean":
        return cnp.mean(loss)
    if reduction == "sum":
        return cnp.sum(loss)
    if reduction == "none":
        return loss
    raise ValueError(f"{name}: reduction must be 'mean', 'sum' or 'none', got {reduction!r}")


# -- regression ---------------------------------------------------------------------------------
def mse_loss(input, target, reduction: str = "mean"):
    diff = input - target
    return _reduce(diff * diff, reduction, "mse_loss")


def l1_loss(input, target, reduction: str = "mean"):
    """|x - y|; the subgradient at 0 is 0 (as PyTorch)."""
    return _reduce(cnp.abs(input - target), reduction, "l1_loss")


def smooth_l1_loss(input, target, reduction: str = "mean", beta: float = 1.0):
    """0.5·d²/β where |d| < β, else |d| - 0.5·β."""
    if beta == 0.0:
        return l1_loss(input, target, reduction)
    d = cnp.abs(input - target)
    loss = cnp.where(d < beta, 0.5 * d * d / beta, d - 0.5 * beta)
    return _reduce(loss, reduction, "smooth_l1_loss")


def huber_loss(input, target, reduction: str = "mean", delta: float = 1.0):
    """0.5·d² where |d| < δ, else δ·(|d| - 0.5·δ)."""
    d = cnp.abs(input - target)
    loss = cnp.where(d < delta, 0.5 * d * d, delta * (d - 0.5 * delta))
    return _reduce(loss, reduction, "huber_loss")


# -- classification -------------------------------------------------------------------------------
def _class_axis(shape: tuple) -> int:
    return 0 if len(shape) == 1 else 1


def _class_coefficients(input_shape, target, weight, ignore_index, smoothing, dtype, name):
    """(coef, (weight_sum, valid)): loss = -sum(coef * logp) / weight_sum for "mean";
    ``valid`` counts the targets that are not ``ignore_index``.

    ``coef`` has the input's shape: one-hot of the target times its class weight, zero
    on ignored positions, plus ``smoothing/C`` of every class's weight.
    """
    t = np.asarray(to_host(unbox_all(target)))  # (labels are checked on the host)
    if t.dtype.kind not in "iu":
        raise TypeError(
            f"{name}: class-index targets must be integers, got dtype {t.dtype} "
            "(for class probabilities, pass a float target of the input's shape)"
        )
    axis = _class_axis(input_shape)
    c = input_shape[axis]
    expected = input_shape[:axis] + input_shape[axis + 1 :]
    if t.shape != expected:
        raise ValueError(
            f"{name}: target of shape {t.shape} doesn't fit input of shape {input_shape} "
            f"(expected target shape {expected})"
        )
    valid = t != ignore_index
    bad = valid & ((t < 0) | (t >= c))
    if bad.any():
        value = int(t[bad].flat[0])
        raise LabelError(
            f"{name}: target {value} is out of bounds for {c} classes (labels must be in "
            f"[0, {c - 1}])"
        )
    w = np.ones(c, dtype) if weight is None else np.asarray(to_host(unbox_all(weight)), dtype)
    if w.shape != (c,):
        raise ValueError(f"{name}: weight must have shape ({c},), got {w.shape}")
    safe = np.where(valid, t, 0)
    classes = np.arange(c).reshape((c,) + (1,) * (len(input_shape) - axis - 1))
    onehot = np.expand_dims(safe, axis) == classes  # broadcasts to the input's shape
    picked = w[safe] * valid  # the weight of each sample's target (0 if ignored)
    wshape = (c,) + (1,) * (len(input_shape) - axis - 1)
    coef = (1.0 - smoothing) * onehot * w.reshape(wshape) * np.expand_dims(valid, axis)
    if smoothing:
        coef = coef + (smoothing / c) * w.reshape(wshape) * np.expand_dims(valid, axis)
    return coef.astype(dtype), (picked.sum(), int(valid.sum()))


def _from_coefficients(logp, coef, counts, reduction, name):
    """``counts``: (sum of the targets' class weights, number of targets not ignored).
    ``coef``, made on the host, goes to ``logp``'s device."""
    coef = move(coef, device_of(unbox_all(logp)))
    axis = _class_axis(_shape(logp))
    if not np.isfinite(unbox_all(logp)).all():
        # a class masked with a -inf logit (or a zero probability) has log p = -inf,
        # and -inf·0 would make the loss NaN: select instead, so that only the
        # classes the loss uses count (PyTorch's nll_loss reads just the target's)
        logp = cnp.where(coef != 0, logp, 0.0)
    if reduction == "none":
        return cnp.negative(cnp.sum(logp * coef, axis=axis))
    total = cnp.negative(cnp.sum(logp * coef))
    if reduction == "sum":
        return total
    if reduction == "mean":
        weight_sum, valid = counts
        if valid == 0:
            # every target ignored: the loss is NaN but the gradient 0, as in PyTorch
            # (dividing by the zero count would turn the zero gradient into NaN)
            return total * np.zeros((), _dtype(logp)) + np.asarray(np.nan, _dtype(logp))
        return total / np.asarray(weight_sum, _dtype(logp))
    raise ValueError(f"{name}: reduction must be 'mean', 'sum' or 'none', got {reduction!r}")


def nll_loss(input, target, weight=None, ignore_index: int = -100, reduction: str = "mean"):
    """Negative log-likelihood of class ``target`` under log-probabilities ``input``
    of shape ``(N, C)``, ``(C,)`` or ``(N, C, d1, ...)``."""
    coef, counts = _class_coefficients(
        _shape(input), target, weight, ignore_index, 0.0, _dtype(input), "nll_loss"
    )
    return _from_coefficients(input, coef, counts, reduction, "nll_loss")


def cross_entropy(
    input,
    target,
    weight=None,
    ignore_index: int = -100,
    reduction: str = "mean",
    label_smoothing: float = 0.0,
):
    """Cross-entropy from unnormalised logits, via ``log_softmax`` (stable for any
    logits). ``target`` holds class indices (ints) or class probabilities (floats of
    the input's shape). A label outside ``[0, C)`` raises an error naming it and C."""
    shape = _shape(input)
    if len(shape) == 0:
        raise ValueError("cross_entropy: input must have a class axis, got a scalar")
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"cross_entropy: label_smoothing must be in [0, 1], got {label_smoothing}")
    axis = _class_axis(shape)
    logp = special.log_softmax(input, axis=axis)
    dtype = _dtype(input)
    if _dtype(target).kind == "f":
        return _soft_cross_entropy(logp, target, weight, reduction, label_smoothing, shape, axis)
    coef, counts = _class_coefficients(
        shape, target, weight, ignore_index, label_smoothing, dtype, "cross_entropy"
    )
    return _from_coefficients(logp, coef, counts, reduction, "cross_entropy")


def _soft_cross_entropy(logp, target, weight, reduction, smoothing, shape, axis):
    if _shape(target) != shape:
        raise ValueError(
            f"cross_entropy: probability targets must have the input's shape {shape}, "
            f"got {_shape(target)}"
        )
    c = shape[axis]
    if smoothing:
        target = target * (1.0 - smoothing) + smoothing / c
    if weight is not None:
        wshape = (c,) + (1,) * (len(shape) - axis - 1)
        logp = logp * cnp.reshape(weight, wshape)
    per = cnp.negative(cnp.sum(logp * target, axis=axis))
    if reduction == "mean":
        return cnp.sum(per) / (float(np.prod(shape)) / c)
    return _reduce(per, reduction, "cross_entropy")


def _clamped_log(x, values: np.ndarray):
    """``max(log x, -100)``, PyTorch's clamp for binary cross-entropy. Where ``x`` is 0
    the log is not taken (it would be -inf, with NumPy's divide-by-zero warning): the
    clamp's -100 is used directly, with the clamp's zero derivative."""
    zero = values == 0
    if not zero.any():
        return cnp.maximum(cnp.log(x), -100.0)
    safe = cnp.where(zero, 1.0, x)  # log(1) = 0 and d log = 1 there: both unused
    return cnp.where(zero, -100.0, cnp.maximum(cnp.log(safe), -100.0))


def binary_cross_entropy(input, target, weight=None, reduction: str = "mean"):
    """-(y·log p + (1-y)·log(1-p)) for probabilities ``input``; each log is clamped at
    -100 as in PyTorch, so p = 0 or 1 gives a finite loss. An input outside [0, 1]
    (or NaN) is refused, as PyTorch does, instead of giving a NaN loss."""
    p = unbox_all(input)
    if device_of(p).type == "cpu":
        p = np.asarray(p)  # (values on a device stay there, for the masks below)
    if not ((p >= 0) & (p <= 1)).all():
        host = to_host(p)
        bad = host[~((host >= 0) & (host <= 1))].flat[0]
        raise ProbabilityError(
            f"binary_cross_entropy: all elements of input should be between 0 and 1, found "
            f"{bad} (for logits, use binary_cross_entropy_with_logits)"
        )
    log_p = _clamped_log(input, p)
    log_q = _clamped_log(1.0 - input, 1.0 - p)
    loss = cnp.negative(target * log_p + (1.0 - target) * log_q)
    if weight is not None:
        loss = loss * weight
    return _reduce(loss, reduction, "binary_cross_entropy")


def binary_cross_entropy_with_logits(
    input, target, weight=None, reduction: str = "mean", pos_weight=None
):
    """Binary cross-entropy from logits: ``(1-y)·x + (1 + (w⁺-1)·y)·log(1 + e^(-x))``,
    with ``log(1 + e^(-x))`` computed as ``logaddexp(0, -x)`` (stable for any x)."""
    if _shape(target) != _shape(input):
        raise ValueError(
            f"binary_cross_entropy_with_logits: target size {_shape(target)} must be the "
            f"same as input size {_shape(input)}"
        )
    softplus_neg = cnp.logaddexp(0.0, cnp.negative(input))
    if pos_weight is not None:
        log_weight = 1.0 + (pos_weight - 1.0) * target
        loss = (1.0 - target) * input + log_weight * softplus_neg
    else:
        loss = (1.0 - target) * input + softplus_neg
    if weight is not None:
        loss = loss * weight
    return _reduce(loss, reduction, "binary_cross_entropy_with_logits")
