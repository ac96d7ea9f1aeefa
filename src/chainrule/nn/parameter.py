"""``nn.Parameter``: a leaf tensor that a :class:`~chainrule.nn.Module` registers as
trainable when it is assigned as an attribute (PyTorch's ``torch.nn.Parameter``), and
how the layers make theirs: in the default dtype (float32 unless ``set_default_dtype``
changed it) unless a ``dtype`` is given."""

from __future__ import annotations

import numpy as np

from chainrule.tensors import Tensor, get_default_dtype

__all__ = ["Parameter"]


def _values(data, dtype=None) -> np.ndarray:
    """The array behind ``data``, shared with a Tensor or array when no cast is needed."""
    if isinstance(data, Tensor):
        arr = data._value  # shared
    elif isinstance(data, np.ndarray):
        arr = data
    else:
        arr = np.asarray(data)
        if dtype is None and arr.dtype.kind in "iubf":
            arr = arr.astype(get_default_dtype(), copy=False)
    if dtype is not None:
        arr = arr.astype(dtype, copy=False)
    return arr


class Parameter(Tensor):
    """A tensor that is a module parameter: ``requires_grad=True`` by default.

    As in PyTorch, ``Parameter(t)`` shares ``t``'s values (no copy) and is always a leaf.
    """

    __slots__ = ()

    def __init__(self, data=None, requires_grad: bool = True):
        if data is None:
            data = np.empty((0,))
        super().__init__(np.zeros(()))
        self._value = _values(data)  # shared, not copied
        if requires_grad:
            self.requires_grad_(True)

    def __repr__(self) -> str:
        return "Parameter containing:\n" + Tensor.__repr__(self)

    def __deepcopy__(self, memo):
        # a fresh leaf with copied values (copying the graph handle would make the copy
        # accumulate gradients into the original)
        if id(self) not in memo:
            memo[id(self)] = Parameter(self._value.copy(), requires_grad=self.requires_grad)
        return memo[id(self)]


def layer_dtype(dtype=None) -> np.dtype:
    """The dtype of a layer's parameters: ``dtype``, or the default dtype (float32, as
    in PyTorch, unless ``set_default_dtype`` changed it)."""
    return get_default_dtype() if dtype is None else np.dtype(dtype)


def new_parameter(shape, dtype=None, fill: float = 0.0) -> Parameter:
    """A layer's parameter of ``shape``, filled with ``fill`` (layers that draw random
    values fill it in their ``reset_parameters``)."""
    return Parameter(np.full(shape, fill, layer_dtype(dtype)))
