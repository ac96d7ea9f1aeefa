"""Elementwise math and arithmetic methods of :class:`chainrule.Tensor`, with PyTorch's
names: ``exp``, ``log1p``, ``rsqrt``, ``relu``, ``sigmoid``, ``softmax``, ``clamp``,
``add``/``sub`` (with ``alpha=``), ``mul``, ``div`` (with ``rounding_mode=``),
``masked_fill``, ``matmul`` ...

Each is composed from :mod:`chainrule.numpy`, so it is recorded like any operation.
Importing this module installs the methods (:mod:`chainrule.tensors` does).
"""

from __future__ import annotations

import numpy as np

import chainrule.numpy as cnp
from chainrule.core.trace import Box, unbox_all
from chainrule.primitives.boxes import add_tensor_methods


def _clamp(self, min=None, max=None):
    return cnp.clip(self, min, max)


def _relu(self):
    # a mask product (cheaper than where); -inf would give -inf * 0 = NaN, so fall back
    value = np.asarray(unbox_all(self))  # also under the boxes of a transform
    if np.isneginf(value).any():
        return cnp.where(self > 0, self, 0.0)
    return self * (value > 0).astype(value.dtype)


def _sigmoid(self):
    from chainrule.scipy.special import expit

    return expit(self)


def _softmax(self, dim):
    from chainrule.scipy.special import softmax

    return softmax(self, axis=dim)


def _log_softmax(self, dim):
    from chainrule.scipy.special import log_softmax

    return log_softmax(self, axis=dim)


def _rsqrt(self):
    # 1/√x; d = -½ x^(-3/2), from the two rules
    return cnp.reciprocal(cnp.sqrt(self))


def _scaled(self, other, alpha, name):
    """``alpha * other`` for ``add``/``sub``; as in PyTorch, integer tensors refuse a
    floating ``alpha``."""
    if isinstance(alpha, (float, np.floating)):
        if np.result_type(unbox_all(self), unbox_all(other)).kind in "biu":
            raise RuntimeError(
                f"{name}(): for integer tensors, alpha must not be a floating-point number"
            )
    return other if alpha == 1 else cnp.multiply(other, alpha)


def _add(self, other, *, alpha=1):
    """``self + alpha * other``."""
    return cnp.add(self, _scaled(self, other, alpha, "add"))


def _sub(self, other, *, alpha=1):
    """``self - alpha * other``."""
    return cnp.subtract(self, _scaled(self, other, alpha, "sub"))


def _div(self, other, *, rounding_mode=None):
    """True division; ``rounding_mode="floor"`` or ``"trunc"`` rounds the quotient (then
    integer inputs give an integer result, and the result has no gradient)."""
    if rounding_mode is None:
        return cnp.true_divide(self, other)
    if rounding_mode == "floor":
        return cnp.floor_divide(self, other)
    if rounding_mode == "trunc":
        dtype = np.result_type(unbox_all(self), unbox_all(other))
        quotient = cnp.trunc(cnp.true_divide(self, other))
        return quotient if dtype.kind in "fc" else cnp.astype(quotient, dtype)
    raise ValueError(
        f"div(): rounding_mode must be None, 'floor' or 'trunc', got {rounding_mode!r}"
    )


def _masked_fill(self, mask, value):
    """``value`` where the boolean ``mask`` is true (broadcast against ``self``), ``self``
    elsewhere; a 0-d tensor ``value`` is differentiable. The result keeps ``self``'s dtype."""
    where = unbox_all(mask)
    if np.result_type(where) != np.bool_:
        raise RuntimeError(
            f"masked_fill(): the mask must be boolean, got dtype {np.result_type(where)}"
        )
    dtype = np.result_type(unbox_all(self))
    if isinstance(value, Box):
        if np.ndim(unbox_all(value)) != 0:
            raise RuntimeError(
                "masked_fill(): value must be a number or a 0-d tensor, got shape "
                f"{np.shape(unbox_all(value))}"
            )
        if np.result_type(unbox_all(value)) != dtype:
            value = cnp.astype(value, dtype)
    else:
        value = np.asarray(value).astype(dtype)
    return cnp.where(where, value, self)


_METHODS = {
    "exp": lambda self: cnp.exp(self),
    "log": lambda self: cnp.log(self),
    "log1p": lambda self: cnp.log1p(self),
    "sqrt": lambda self: cnp.sqrt(self),
    "rsqrt": _rsqrt,
    "square": lambda self: cnp.square(self),
    "abs": lambda self: cnp.abs(self),
    "sin": lambda self: cnp.sin(self),
    "cos": lambda self: cnp.cos(self),
    "tanh": lambda self: cnp.tanh(self),
    "sigmoid": _sigmoid,
    "relu": _relu,
    "softmax": _softmax,
    "log_softmax": _log_softmax,
    "neg": lambda self: cnp.negative(self),
    "pow": lambda self, p: cnp.power(self, p),
    "clamp": _clamp,
    "clip": _clamp,
    "add": _add,
    "sub": _sub,
    "subtract": _sub,
    "mul": lambda self, other: cnp.multiply(self, other),
    "multiply": lambda self, other: cnp.multiply(self, other),
    "div": _div,
    "divide": _div,
    "true_divide": lambda self, other: cnp.true_divide(self, other),
    "masked_fill": _masked_fill,
    "matmul": lambda self, other: cnp.matmul(self, other),
    "mm": lambda self, other: cnp.matmul(self, other),
}
add_tensor_methods(_METHODS)
