"""Elementwise math and arithmetic methods of :class:`~chainrule.tensors.Tensor`, with
PyTorch's names: ``exp``, ``log1p``, ``rsqrt``, ``relu``, ``sigmoid``, ``softmax``,
``clamp``, ``add``/``sub`` (with ``alpha=``), ``mul``, ``div`` (with
``rounding_mode=``), ``masked_fill``, ``matmul`` ...

Each is composed from :mod:`chainrule.numpy`, so it is recorded like any operation.
"""

from __future__ import annotations

import numpy as np

import chainrule.numpy as cnp
from chainrule.core.trace import Box, unbox_all
from chainrule.scipy import special
from chainrule.tensors.methods import TensorMethods, values


class MathMethods(TensorMethods):
    __slots__ = ()

    def exp(self):
        return cnp.exp(self)

    def log(self):
        return cnp.log(self)

    def log1p(self):
        return cnp.log1p(self)

    def sqrt(self):
        return cnp.sqrt(self)

    def rsqrt(self):
        """1/√x; d = -½ x^(-3/2), from the two rules."""
        return cnp.reciprocal(cnp.sqrt(self))

    def square(self):
        return cnp.square(self)

    def abs(self):
        return cnp.abs(self)

    def neg(self):
        return cnp.negative(self)

    def sin(self):
        return cnp.sin(self)

    def cos(self):
        return cnp.cos(self)

    def tanh(self):
        return cnp.tanh(self)

    def sigmoid(self):
        return special.expit(self)

    def relu(self):
        # a mask product (cheaper than where); -inf would give -inf * 0 = NaN, so fall back
        value = values(self)
        if np.isneginf(value).any():
            return cnp.where(self > 0, self, 0.0)
        return self * (value > 0).astype(value.dtype)

    def softmax(self, dim):
        return special.softmax(self, axis=dim)

    def log_softmax(self, dim):
        return special.log_softmax(self, axis=dim)

    def pow(self, p):
        return cnp.power(self, p)

    def clamp(self, min=None, max=None):
        return cnp.clip(self, min, max)

    clip = clamp

    def add(self, other, *, alpha=1):
        """``self + alpha * other``."""
        return cnp.add(self, _scaled(self, other, alpha, "add"))

    def sub(self, other, *, alpha=1):
        """``self - alpha * other``."""
        return cnp.subtract(self, _scaled(self, other, alpha, "sub"))

    subtract = sub

    def mul(self, other):
        return cnp.multiply(self, other)

    multiply = mul

    def div(self, other, *, rounding_mode=None):
        """True division; ``rounding_mode="floor"`` or ``"trunc"`` rounds the quotient
        (then integer inputs give an integer result, and the result has no gradient)."""
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

    divide = div

    def true_divide(self, other):
        return cnp.true_divide(self, other)

    def matmul(self, other):
        return cnp.matmul(self, other)

    mm = matmul

    def masked_fill(self, mask, value):
        """``value`` where the boolean ``mask`` is true (broadcast against ``self``),
        ``self`` elsewhere; a 0-d tensor ``value`` is differentiable. The result keeps
        ``self``'s dtype."""
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


def _scaled(self, other, alpha, name):
    """``alpha * other`` for ``add``/``sub``; as in PyTorch, integer tensors refuse a
    floating ``alpha``."""
    if isinstance(alpha, (float, np.floating)):
        if np.result_type(unbox_all(self), unbox_all(other)).kind in "biu":
            raise RuntimeError(
                f"{name}(): for integer tensors, alpha must not be a floating-point number"
            )
    return other if alpha == 1 else cnp.multiply(other, alpha)
