"""Normalisation layers: ``BatchNorm1d``, ``BatchNorm2d`` (running statistics, train and
eval modes; ``bias=False`` keeps the scale only) and ``LayerNorm``. Buffers and their
names are PyTorch's: ``running_mean``, ``running_var`` and the int64
``num_batches_tracked``."""

from __future__ import annotations

import numpy as np

from chainrule.nn import functional as F
from chainrule.nn.module import Module
from chainrule.nn.parameter import layer_dtype, new_parameter
from chainrule.tensors import from_numpy

__all__ = ["BatchNorm1d", "BatchNorm2d", "LayerNorm"]


def _register_affine(module: Module, shape, dtype, affine: bool, bias: bool) -> None:
    """The learnt scale (``weight``, ones) and shift (``bias``, zeros) of ``shape``;
    PyTorch registers them as None when ``affine`` (or ``bias``) is off."""
    module.register_parameter("weight", new_parameter(shape, dtype, 1.0) if affine else None)
    module.register_parameter("bias", new_parameter(shape, dtype, 0.0) if affine and bias else None)


class _BatchNorm(Module):
    _expected_dims: tuple = ()

    def __init__(
        self,
        num_features: int,
        eps: float = 1e-5,
        momentum: float | None = 0.1,
        affine: bool = True,
        track_running_stats: bool = True,
        device=None,
        dtype=None,
        *,
        bias: bool = True,
    ):
        super().__init__()
        self.num_features = num_features
        self.eps = eps
        self.momentum = momentum
        self.affine = affine
        self.track_running_stats = track_running_stats
        _register_affine(self, (num_features,), dtype, affine, bias)
        dt = layer_dtype(dtype)
        if track_running_stats:
            self.register_buffer("running_mean", from_numpy(np.zeros(num_features, dt)))
            self.register_buffer("running_var", from_numpy(np.ones(num_features, dt)))
            self.register_buffer("num_batches_tracked", from_numpy(np.array(0, np.int64)))
        else:
            self.register_buffer("running_mean", None)
            self.register_buffer("running_var", None)
            self.register_buffer("num_batches_tracked", None)

    def reset_running_stats(self) -> None:
        if self.track_running_stats:
            self.running_mean.zero_()  # (in place: the buffers stay on their device)
            self.running_var.fill_(1.0)
            self.num_batches_tracked.zero_()

    def forward(self, input):
        ndim = len(input.shape)
        if ndim not in self._expected_dims:
            raise F.ShapeError(
                f"{self!r}: expected {' or '.join(f'{d}-d' for d in self._expected_dims)} "
                f"input, got shape {tuple(input.shape)}"
            )
        if input.shape[1] != self.num_features:
            raise F.ShapeError(
                f"{self!r}: input of shape {tuple(input.shape)} has {input.shape[1]} "
                f"channels on axis 1, expected {self.num_features}"
            )
        factor = 0.0 if self.momentum is None else self.momentum
        if self.training and self.track_running_stats:
            count = int(self.num_batches_tracked) + 1
            self.num_batches_tracked.fill_(count)
            # momentum=None: a cumulative (equal-weight) average of all batches so far
            factor = 1.0 / count if self.momentum is None else self.momentum
        use_batch = self.training or not self.track_running_stats
        return F.batch_norm(
            input,
            self.running_mean if not use_batch or self.track_running_stats else None,
            self.running_var if not use_batch or self.track_running_stats else None,
            self.weight,
            self.bias,
            use_batch,
            factor,
            self.eps,
            _layer=self,
        )

    def extra_repr(self) -> str:
        # PyTorch's layout (2.13 lists bias= too)
        return (
            f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, "
            f"affine={self.affine}, bias={self.bias is not None}, "
            f"track_running_stats={self.track_running_stats}"
        )


class BatchNorm1d(_BatchNorm):
    """Batch norm over ``(N, C)`` or ``(N, C, L)`` input."""

    _expected_dims = (2, 3)


class BatchNorm2d(_BatchNorm):
    """Batch norm over ``(N, C, H, W)`` input."""

    _expected_dims = (4,)


class LayerNorm(Module):
    def __init__(
        self,
        normalized_shape,
        eps: float = 1e-5,
        elementwise_affine: bool = True,
        bias: bool = True,
        device=None,
        dtype=None,
    ):
        super().__init__()
        if isinstance(normalized_shape, (int, np.integer)):
            normalized_shape = (int(normalized_shape),)
        self.normalized_shape = tuple(normalized_shape)
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        _register_affine(self, self.normalized_shape, dtype, elementwise_affine, bias)

    def forward(self, input):
        return F.layer_norm(
            input, self.normalized_shape, self.weight, self.bias, self.eps, _layer=self
        )

    def extra_repr(self) -> str:
        return (
            f"{self.normalized_shape}, eps={self.eps}, "
            f"elementwise_affine={self.elementwise_affine}, bias={self.bias is not None}"
        )
