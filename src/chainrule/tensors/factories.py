"""Tensor factories with PyTorch's names and signatures: ``tensor``, ``zeros``,
``ones``, ``full``, ``randn``, ``arange``, ``eye``, the ``*_like`` forms ...

Each returns a new leaf tensor (``requires_grad=`` makes it one that requires grad).
Without ``dtype=`` floating results have the default dtype (float32, as PyTorch's; see
``set_default_dtype``), Python ints give int64 and bools bool; the ``*_like`` forms keep
their input's dtype. Random values draw from chainrule's generator (see
``manual_seed``). ``device=`` places the result (the values are made on the host, then
copied); the ``*_like`` forms default to their input's device.
"""

from __future__ import annotations

import numpy as np

from chainrule.core.trace import Box, shape_arg
from chainrule.tensors.device import as_device, device_of, get_default_dtype, move
from chainrule.tensors.random import default_generator
from chainrule.tensors.tensor_class import Tensor


def tensor(data, dtype=None, requires_grad: bool = False, device=None) -> Tensor:
    """A new leaf tensor (copies ``data``); Python floats get the default dtype, NumPy
    arrays keep theirs."""
    t = Tensor(data, dtype=dtype)
    return leaf_on(t, requires_grad, device)


def as_tensor(data, dtype=None, device=None) -> Tensor:
    where = as_device(device)
    if isinstance(data, Tensor) and (dtype is None or data.dtype == dtype):
        if where is None or data.device == where:
            return data
        return data.to(where)
    return leaf_on(Tensor(data, dtype=dtype), False, where)


def from_numpy(array: np.ndarray) -> Tensor:
    """A tensor sharing memory with ``array`` (as ``torch.from_numpy``)."""
    return Tensor._wrap(np.asarray(array), None)


def _new(value, dtype, requires_grad, device=None):
    """A leaf around ``value``: cast to ``dtype`` if given, else a floating ``value``
    (the factories compute in float64) to the default dtype."""
    if dtype is None and value.dtype.kind == "f":
        dtype = get_default_dtype()
    if dtype is not None:
        value = value.astype(dtype, copy=False)
    return leaf_on(Tensor._wrap(value, None), requires_grad, device)


def leaf_on(t: Tensor, requires_grad: bool, device) -> Tensor:
    """``t`` (a new leaf) with its values moved to ``device`` (unless None), then made
    to require grad if asked."""
    where = as_device(device)
    if where is not None:
        t._value = move(t._value, where)
    return t.requires_grad_(True) if requires_grad else t


def zeros(*shape, dtype=None, requires_grad=False, device=None) -> Tensor:
    return _new(np.zeros(shape_arg(shape)), dtype, requires_grad, device)


def ones(*shape, dtype=None, requires_grad=False, device=None) -> Tensor:
    return _new(np.ones(shape_arg(shape)), dtype, requires_grad, device)


def full(shape, fill_value, dtype=None, requires_grad=False, device=None) -> Tensor:
    """``fill_value`` everywhere; the dtype follows it (bool, int64, the default float)
    unless given."""
    shape = tuple(np.atleast_1d(shape)) if np.ndim(shape) else (shape,)
    value = fill_value._value if isinstance(fill_value, Box) else fill_value
    if dtype is None and isinstance(value, bool):
        dtype = np.bool_
    elif dtype is None and isinstance(value, int):
        dtype = np.int64
    return _new(np.full(shape, value, dtype=dtype), None, requires_grad, device)


def zeros_like(t, dtype=None, requires_grad=False, device=None) -> Tensor:
    shape, dtype = _like(t, dtype)
    return _same(np.zeros(shape, dtype), dtype, requires_grad, device, t)


def ones_like(t, dtype=None, requires_grad=False, device=None) -> Tensor:
    shape, dtype = _like(t, dtype)
    return _same(np.ones(shape, dtype), dtype, requires_grad, device, t)


def randn(*shape, dtype=None, requires_grad=False, device=None) -> Tensor:
    """Standard normal samples from chainrule's generator (see ``manual_seed``)."""
    return _new(default_generator().standard_normal(shape_arg(shape)), dtype, requires_grad, device)


def rand(*shape, dtype=None, requires_grad=False, device=None) -> Tensor:
    return _new(default_generator().random(shape_arg(shape)), dtype, requires_grad, device)


def arange(*args, dtype=None, requires_grad=False, device=None) -> Tensor:
    return _new(np.arange(*args), dtype, requires_grad, device)


def eye(n, m=None, dtype=None, requires_grad=False, device=None) -> Tensor:
    return _new(np.eye(n, m), dtype, requires_grad, device)


def empty(*shape, dtype=None, requires_grad=False, device=None) -> Tensor:
    """PyTorch leaves the values unspecified; here they are zeros."""
    return zeros(*shape, dtype=dtype, requires_grad=requires_grad, device=device)


def _like(t, dtype):
    """The shape of ``t`` and its dtype (unless ``dtype`` is given)."""
    value = t._value if isinstance(t, Tensor) else np.asarray(t)
    return value.shape, value.dtype if dtype is None else np.dtype(dtype)


def _same(value, dtype, requires_grad, device, like=None):
    """A leaf around ``value`` made in the dtype of the tensor ``like`` it is like, on
    ``device``, or else on ``like``'s device."""
    if device is None and isinstance(like, Tensor):
        device = device_of(like._value)
    return leaf_on(Tensor._wrap(value.astype(dtype, copy=False), None), requires_grad, device)


def full_like(t, fill_value, dtype=None, requires_grad=False, device=None) -> Tensor:
    """``fill_value`` in the shape of ``t``, with ``t``'s dtype unless given."""
    shape, dtype = _like(t, dtype)
    value = fill_value._value if isinstance(fill_value, Box) else fill_value
    return _same(np.full(shape, value, dtype=dtype), dtype, requires_grad, device, t)


def _random_like(draw, t, dtype, requires_grad, name, device=None):
    shape, dtype = _like(t, dtype)
    if dtype.kind != "f":
        raise RuntimeError(f"{name}(): needs a real floating-point dtype, got {dtype}")
    return _same(draw(shape), dtype, requires_grad, device, t)


def rand_like(t, dtype=None, requires_grad=False, device=None) -> Tensor:
    """Uniform samples in [0, 1) in the shape (and dtype) of ``t``."""
    return _random_like(default_generator().random, t, dtype, requires_grad, "rand_like", device)


def randn_like(t, dtype=None, requires_grad=False, device=None) -> Tensor:
    """Standard normal samples in the shape (and dtype) of ``t``."""
    draw = default_generator().standard_normal
    return _random_like(draw, t, dtype, requires_grad, "randn_like", device)


def linspace(start, end, steps, dtype=None, requires_grad=False, device=None) -> Tensor:
    """``steps`` evenly spaced values from ``start`` to ``end`` (both included)."""
    start, end = (float(v) if isinstance(v, Box) else v for v in (start, end))
    return _new(np.linspace(start, end, int(steps)), dtype, requires_grad, device)
