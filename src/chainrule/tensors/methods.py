"""The base of the Tensor's method mixins, and the helpers they share.

``Tensor`` (:mod:`chainrule.tensors.tensor_class`) gathers its PyTorch-named methods from
mixins: :mod:`.math_methods`, :mod:`.shape_methods`, :mod:`.reduction_methods`,
:mod:`.conversion_methods` and :mod:`.inplace`. All but the in-place ones also serve the
boxes around a tensor (a ``Tensor`` passed to ``cr.grad`` is boxed by the transform,
and the box keeps these methods, see ``chainrule.core.trace.box_type``). So a method
reads values through :func:`values` and shapes through ``self.shape``, never
``self._value`` (a box's ``_value`` is the next box, or the tensor), and makes new
tensors with ``self._new`` / ``self._constant``, never by naming the Tensor class.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from chainrule.core.trace import Box, unbox_all


class TensorMethods(Box):
    """What the method mixins build on: making new tensors."""

    __slots__ = ()

    def _new(self, value, node=None) -> Any:
        """A new plain tensor holding ``value`` (the Tensor class makes it; a box asks
        the tensor it wraps)."""
        return self._value._new(value, node)

    def _constant(self, value) -> Any:
        """``value`` (indices, a mask, a cast that carries no gradient) as a new tensor
        without a graph."""
        return self._new(np.asarray(value))


def values(x) -> np.ndarray:
    """The array under a tensor or under the boxes around one (for indices and masks,
    which carry no gradient)."""
    return np.asarray(unbox_all(x))


def dim_arg(dim, axis):
    """PyTorch's ``dim=``, or NumPy's ``axis=`` (recent PyTorch accepts both)."""
    d = axis if dim is None else dim
    return tuple(d) if isinstance(d, list) else d
