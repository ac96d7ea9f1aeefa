"""Conversions and copies of :class:`~chainrule.tensors.Tensor`, with PyTorch's names:
``item``, ``numpy``, ``tolist``, ``clone``, ``to`` (dtype, device, or another tensor's
dtype), ``float``/``double``/``long``/``int``, ``type_as``, ``contiguous``, and the
devices: ``device``, ``is_cuda``, ``cuda``, ``cpu``.

A move between devices is one operation of the graph (``ToCopyBackward``, as PyTorch
names it): its gradient is moved back to the device the tensor came from.

On the box around a tensor inside a transform, ``item``, ``numpy`` and ``tolist`` refuse:
the value they would hand out would drop its derivative."""

from __future__ import annotations

import numpy as np

import chainrule.numpy as cnp
from chainrule.core.primitive import Primitive
from chainrule.core.trace import unbox_all
from chainrule.tensors.device import (
    CPU,
    HOST_ONLY,
    as_device,
    device_of,
    move,
    to_host,
    unsupported,
)
from chainrule.tensors.device import device as Device
from chainrule.tensors.graph import EagerBox
from chainrule.tensors.methods import TensorMethods, values


def _move_forward(xp, x, *, target: Device, source: Device):
    return move(x, target)


# A move to another device; d(move) is the move back, so backward crosses devices.
to_copy_p = Primitive("to_copy", _move_forward)
to_copy_p.vjps[0] = lambda ans, x, *, target, source: (
    lambda g: to_copy_p(g, target=source, source=target)
)
to_copy_p.jvps[0] = lambda t, ans, x, *, target, source: to_copy_p(t, target=target, source=source)

_TRACED_VALUE = (
    "{name}(): can't turn a value that a transform (grad, jvp, ...) is differentiating "
    "into a Python or NumPy value: the derivative would be dropped. Use cr.stop_gradient(x) "
    "if that is intended."
)


class ConversionMethods(TensorMethods):
    __slots__ = ()

    @property
    def device(self) -> Device:
        """Where the values live: ``device(type='cpu')`` or, e.g., ``cuda:0``."""
        value = unbox_all(self)
        return CPU if type(value) is np.ndarray else device_of(value)

    @property
    def is_cuda(self) -> bool:
        return self.device.type == "cuda"

    def cuda(self, device=None, non_blocking=False):
        """A copy on CUDA device ``device`` (an index, a string or a device; 0 by
        default), or this tensor if it is there already."""
        if device is None or isinstance(device, int):
            device = Device("cuda", device or 0)
        return self.to(device)

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
        """A copy on the host, or this tensor if it is there already."""
        return self.to(CPU)

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
        where = self.device
        if where.type != "cpu":
            raise TypeError(HOST_ONLY.format(name="convert", device=where))
        return self._value

    def item(self):
        if not isinstance(self, EagerBox):
            raise TypeError(_TRACED_VALUE.format(name="item"))
        if self._value.size != 1:
            raise ValueError(
                "item(): only one-element tensors can be converted to Python scalars, "
                f"got shape {self.shape}"
            )
        return to_host(self._value).item()

    def tolist(self):
        if not isinstance(self, EagerBox):
            raise TypeError(_TRACED_VALUE.format(name="tolist"))
        return to_host(self._value).tolist()

    def clone(self):
        if isinstance(self, EagerBox) and not self.requires_grad:
            return self._new(self._value.copy())
        return cnp.positive(self)

    def to(self, *args, dtype=None, device=None, copy=False, non_blocking=False):
        """``to(dtype)``, ``to(device)``, ``to(device, dtype)``, ``to(other)`` (other's
        dtype and device). Returns this tensor when nothing changes (unless ``copy``);
        a move is differentiable, its gradient moved back to this tensor's device."""
        target = as_device(device)
        for a in args:
            if isinstance(a, EagerBox):
                dtype, target = a.dtype, device_of(a._value)
            elif isinstance(a, (str, Device)):
                target = as_device(a)
            else:
                dtype = a
        out = self
        if dtype is not None and np.dtype(dtype) != self.dtype:
            out = cnp.astype(self, dtype)
        source = self.device
        if target is not None and _moves(source, target):
            return to_copy_p(out, target=target, source=source)
        return self.clone() if copy and out is self else out

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


def _moves(source: Device, target: Device) -> bool:
    """Whether going from ``source`` to ``target`` changes device (``"cuda"`` without an
    index is ``cuda:0``; the CPU has one device, whatever its index)."""
    if source.type != target.type:
        return True
    return target.type != "cpu" and (target.index or 0) != (source.index or 0)
