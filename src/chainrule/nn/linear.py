"""Dense layers and reshaping layers: ``Linear``, ``Identity``, ``Flatten``, ``Unflatten``."""

from __future__ import annotations

import numpy as np

import chainrule.numpy as cnp
from chainrule.nn import functional as F
from chainrule.nn import init
from chainrule.nn.module import Module
from chainrule.nn.parameter import new_parameter

__all__ = ["Identity", "Linear", "Flatten", "Unflatten"]


class Identity(Module):
    def __init__(self, *args, **kwargs):
        super().__init__()

    def forward(self, input):
        return input


class Linear(Module):
    """``y = x Wᵀ + b`` with ``weight`` of shape ``(out_features, in_features)``.

    Initialised as PyTorch does: W and b uniform in ±1/sqrt(in_features).
    """

    def __init__(
        self, in_features: int, out_features: int, bias: bool = True, device=None, dtype=None
    ):
        super().__init__()
        self.in_features = int(in_features)
        self.out_features = int(out_features)
        self.weight = new_parameter((self.out_features, self.in_features), dtype)
        if bias:
            self.bias = new_parameter((self.out_features,), dtype)
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        init._reset_uniform_fan_in(self.weight, self.bias)

    def forward(self, input):
        return F.linear(input, self.weight, self.bias, _layer=self)

    def extra_repr(self) -> str:
        return (
            f"in_features={self.in_features}, out_features={self.out_features}, "
            f"bias={self.bias is not None}"
        )


class Flatten(Module):
    """Merge axes ``start_dim..end_dim`` into one (default: all but the batch axis)."""

    def __init__(self, start_dim: int = 1, end_dim: int = -1):
        super().__init__()
        self.start_dim = start_dim
        self.end_dim = end_dim

    def forward(self, input):
        shape = tuple(input.shape)
        if not shape:
            return cnp.reshape(input, (1,))
        start = self.start_dim % len(shape)
        end = self.end_dim % len(shape)
        merged = int(np.prod(shape[start : end + 1]))
        return cnp.reshape(input, shape[:start] + (merged,) + shape[end + 1 :])

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Unflatten(Module):
    """Split axis ``dim`` into ``unflattened_size``."""

    def __init__(self, dim: int, unflattened_size):
        super().__init__()
        self.dim = dim
        self.unflattened_size = tuple(unflattened_size)

    def forward(self, input):
        shape = tuple(input.shape)
        d = self.dim % len(shape)
        if int(np.prod(self.unflattened_size)) != shape[d] and -1 not in self.unflattened_size:
            raise F.ShapeError(
                f"{self!r}: sizes {self.unflattened_size} don't multiply up to the size of "
                f"dim {self.dim} ({shape[d]}) of the input of shape {shape}"
            )
        return cnp.reshape(input, shape[:d] + self.unflattened_size + shape[d + 1 :])

    def extra_repr(self) -> str:
        return f"dim={self.dim}, unflattened_size={self.unflattened_size}"
