"""Conversions and copies of :class:`~chainrule.tensors.Tensor`, with PyTorch's names:
``item``, ``numpy``, ``tolist``, ``clone``, ``to`` (dtype, device, or another tensor's
dtype), ``float``/``double``/``long``/``int``, ``type_as``, and ``device``,
``contiguous``, ``cpu`` (chainrule tensors live on the CPU, in contiguous arrays).

On the box around a tensor inside a transform, ``item``, ``numpy`` and ``tolist`` refuse:
the value they would hand out would drop its derivative."""

from __future__ import annotations

import numpy as np

import chainrule.numpy as cnp
from chainrule.tensors.device import check_device, unsupported
from chainrule.tensors.device import device as Device
from chainrule.tensors.graph import EagerBox
from chainrule.tensors.methods import TensorMethods, values

_CPU = Device("cpu")

_TRACED_VALUE = (
    "{name}(): can't turn a value that a transform (grad, jvp, ...) is differentiating "
    "into a Python or NumPy value: the derivative would be dropped. Use cr.stop_gradient(x) "
    "if that is intended."
)


class ConversionMethods(TensorMethods):
    __slots__ = ()

    @property
    def device(self) -> Device:
        return _CPU

    @property
    def is_cuda(self) -> bool:
        return False

    def cuda(self, *args, **kwargs):
        check_device("cuda")

    # sparse and quantized tensors are outside chainrule's scope: say so by name
    is_sparse = False
    is_quantized = False

    def to_sparse(self, *args, **kwargs):
        raise unsupported("sparse tensors (to_sparse)")

    def to_sparse_csr(self, *args, **kwargs):
        raise unsupported("sparse tensors (to_sparse_csr)")

    def dequantize(self):
        raise unsupported("quantized tensors (dequantize)")

    def cpu(self):
        return self

    def contiguous(self):
        return self

    def numpy(self) -> np.ndarray:
        """The values, shared with the tensor (as ``torch.Tensor.numpy``). As in PyTorch,
        a tensor that requires grad refuses: ``x.detach().numpy()`` says that the array
        is outside the graph."""
        if not isinstance(self, EagerBox):
            raise TypeError(_TRACED_VALUE.format(name="numpy"))
        if self._node is not None:
            raise RuntimeError(
                "Can't call numpy() on a tensor that requires grad: use "
                "tensor.detach().numpy() instead"
            )
        return self._value

    def item(self):
        if not isinstance(self, EagerBox):
            raise TypeError(_TRACED_VALUE.format(name="item"))
        if self._value.size != 1:
            raise ValueError(
                "item(): only one-element tensors can be converted to Python scalars, "
                f"got shape {self.shape}"
            )
        return self._value.item()

    def tolist(self):
        if not isinstance(self, EagerBox):
            raise TypeError(_TRACED_VALUE.format(name="tolist"))
        return self._value.tolist()

    def clone(self):
        if isinstance(self, EagerBox) and not self.requires_grad:
            return self._new(self._value.copy())
        return cnp.positive(self)

    def to(self, *args, dtype=None, device=None, copy=False, non_blocking=False):
        """``to(dtype)``, ``to(device)``, ``to(device, dtype)``, ``to(other)`` (other's
        dtype); the CPU is the only device accepted (chainrule tensors are NumPy arrays)."""
        for a in args:
            if isinstance(a, EagerBox):
                dtype = a.dtype
            elif isinstance(a, (str, Device)):
                check_device(a)
            else:
                dtype = a
        check_device(device)
        if dtype is not None and np.dtype(dtype) != self.dtype:
            return cnp.astype(self, dtype)
        return self.clone() if copy else self

    def type_as(self, other):
        return cnp.astype(self, other.dtype)

    def float(self):
        return cnp.astype(self, np.float32)

    def double(self):
        return cnp.astype(self, np.float64)

    def long(self):
        """The values as int64, without a gradient."""
        return self._constant(values(self).astype(np.int64))

    def int(self):
        """The values as int32, without a gradient."""
        return self._constant(values(self).astype(np.int32))
