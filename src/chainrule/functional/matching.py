"""Derivatives in the form of the values they belong to.

A gradient has its input's shape and floating dtype (a real input's cotangent is real,
a float32 input's is float32); a tangent has its primal's dtype, an output tangent its
output's. A plain scalar's derivative is a NumPy scalar (autograd's convention), an
array's an array, a ``Tensor``'s a ``Tensor``. Values traced by an outer transform are
converted with chainrule's own ops, so the outer transform sees the conversion.

Seeds, zeros and conversions are made in the array library (and on the device) of the
value they belong to (:mod:`chainrule.core.backend`): a CuPy input gets a CuPy
gradient, and no NumPy constant meets a device array in the backward pass.
"""

from __future__ import annotations

from numbers import Number
from typing import Any

import numpy as np

import chainrule.numpy as cnp
from chainrule.core.backend import array_namespace, namespace_dtype, numpy_dtype
from chainrule.core.trace import Box, registered_box_class, unbox_all, visible_shape
from chainrule.functional.vspace import vspace
from chainrule.tensors import Tensor

__all__ = [
    "as_scalar_if",
    "astype",
    "cotangent_like",
    "full_like",
    "output_tangent",
    "tangent_like",
]


def as_scalar_if(arr: Any, x: Any) -> Any:
    """``arr`` (of ``x``'s shape) as a NumPy scalar where ``x`` is a plain scalar: a
    Python or NumPy number, not an array and not traced."""
    if isinstance(x, (Number, np.generic)) and np.ndim(arr) == 0:
        return arr[()]
    return arr


def _namespace(value: Any) -> Any:
    return array_namespace((value,))


def filled_array(x: Any, fill: float) -> Any:
    """``fill`` in the shape and dtype of ``x`` (which may be traced: only its shape and
    dtype are read), as an array of ``x``'s library and device, even for a scalar."""
    value = unbox_all(x)
    xp = _namespace(value)
    shape = visible_shape(x)  # without the batch axes of vmap transforms around x
    if xp is np:
        return np.full(shape, fill, np.result_type(value))
    if shape == tuple(value.shape):
        return xp.full_like(value, fill)
    return xp.full(shape, fill, dtype=value.dtype, device=value.device)


def full_like(x: Any, fill: float) -> Any:
    """``fill`` in the shape and dtype of ``x``, which may be traced (only its shape and
    dtype are read); a NumPy scalar for a plain scalar."""
    return as_scalar_if(filled_array(x, fill), x)


def astype(x: Any, dtype: np.dtype) -> Any:
    """``x`` in ``dtype``: traceably where ``x`` is traced, a scalar staying a scalar."""
    if isinstance(x, Box):
        return cnp.astype(x, dtype)
    xp = _namespace(x)
    if xp is np:
        return as_scalar_if(np.asarray(x).astype(dtype), x)
    return xp.astype(x, namespace_dtype(xp, dtype))


def cotangent_like(ct: Any, x: Any) -> Any:
    """The cotangent ``ct`` in the shape and dtype of its primal ``x``; ``None`` (the
    input did not reach the output) is a zero of ``x``'s kind."""
    if registered_box_class(x) is not None:  # a user's type: a zero of its own space
        return vspace(x).zeros() if ct is None else ct
    if isinstance(ct, Box):  # traced by an outer transform: fix the dtype, traceably
        target = numpy_dtype(unbox_all(x))
        if numpy_dtype(unbox_all(ct)).kind == "c" and target.kind != "c":
            ct = cnp.real(ct)  # a real input's cotangent is real, at every level
        if numpy_dtype(unbox_all(ct)) != target:
            ct = astype(ct, target)
        return ct
    if isinstance(x, Tensor):  # a Tensor in, a Tensor out (even where no rule ran)
        return Tensor._wrap(np.asarray(cotangent_like(ct, x._value)), None)
    if ct is None:
        return full_like(x, 0)
    value = unbox_all(x)
    xp = _namespace(value)
    if xp is not np:
        return _on_namespace(xp, ct, value)
    ct = np.asarray(ct)
    target = np.result_type(value)
    if ct.dtype != target:
        if ct.dtype.kind == "c" and target.kind != "c":
            ct = ct.real
        ct = ct.astype(target)
    shape = visible_shape(x)
    if ct.shape != shape:
        ct = np.broadcast_to(ct, shape).copy()
    return as_scalar_if(ct, x)


def _on_namespace(xp: Any, ct: Any, value: Any) -> Any:
    """``ct`` as an array of ``value``'s library (not NumPy), dtype and shape. A weak
    cotangent (a Python or NumPy scalar a rule returned) is filled in on the device."""
    target = numpy_dtype(value)
    if _namespace(ct) is not xp:  # weak: a number, a 0-d NumPy array
        ct = np.asarray(ct)[()]
        return xp.full_like(value, ct.real if target.kind != "c" else ct)
    if numpy_dtype(ct).kind == "c" and target.kind != "c":
        ct = xp.real(ct)
    if numpy_dtype(ct) != target:
        ct = xp.astype(ct, value.dtype)
    if tuple(ct.shape) != tuple(value.shape):
        ct = xp.broadcast_to(ct, value.shape) + xp.zeros_like(value)  # a writable copy
    return ct


def tangent_like(t: Any, p: Any, i: int) -> Any:
    """The input tangent ``t`` in its primal ``p``'s dtype (``1.0`` along a float32
    input is float32; an integer tangent is cast). A complex tangent for a real primal
    is an error; ``i`` numbers the tangent in it."""
    if isinstance(t, Box):
        return t
    target = numpy_dtype(unbox_all(p))
    dtype = numpy_dtype(t)
    if dtype == target:
        return t
    if dtype.kind == "c" and target.kind != "c":
        raise TypeError(
            f"jvp: tangent {i} is complex ({dtype}) but its primal is real ({target}); "
            "a real input can only move in real directions"
        )
    if dtype.kind not in "biufc":
        raise TypeError(f"jvp: tangent {i} has dtype {dtype}, not a number")
    return astype(t, target)


def output_tangent(t: Any, value: Any) -> Any:
    """An output tangent as a value of its output's library, shape and floating precision
    (a rule fed Python floats may return one; a float32 output gets a float32 tangent)."""
    if isinstance(t, Box):
        return t
    shape = visible_shape(value)
    value = unbox_all(value)
    xp = _namespace(value)
    if xp is not np:
        return _on_namespace(xp, t, value)
    if not isinstance(t, (float, int, complex, np.ndarray, np.generic)):
        return t
    try:
        target = np.result_type(value)
    except TypeError:
        return t
    arr = np.asarray(t)
    if arr.dtype != target and arr.dtype.kind == target.kind and target.kind in "fc":
        arr = arr.astype(target)
    if arr.shape != shape and arr.ndim == 0:
        arr = np.broadcast_to(arr, shape).copy()
    return arr if isinstance(value, np.ndarray) or arr.ndim else arr[()]
