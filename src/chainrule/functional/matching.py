"""Derivatives in the form of the values they belong to.

A gradient has its input's shape and floating dtype (a real input's cotangent is real,
a float32 input's is float32); a tangent has its primal's dtype, an output tangent its
output's. A plain scalar's derivative is a NumPy scalar (autograd's convention), an
array's an array, a ``Tensor``'s a ``Tensor``. Values traced by an outer transform are
converted with chainrule's own ops, so the outer transform sees the conversion.
"""

from __future__ import annotations

from typing import Any

import numpy as np

import chainrule.numpy as cnp
from chainrule.core.trace import Box, unbox_all, visible_shape
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
    """``arr`` (of ``x``'s shape) as a NumPy scalar where ``x`` is a plain scalar: not
    an array and not traced."""
    if np.ndim(arr) == 0 and not isinstance(x, (np.ndarray, Box)):
        return arr[()]
    return arr


def full_like(x: Any, fill: float) -> Any:
    """``fill`` in the shape and dtype of ``x``, which may be traced (only its shape and
    dtype are read); a NumPy scalar for a plain scalar."""
    value = unbox_all(x)
    return as_scalar_if(np.full(visible_shape(x), fill, np.result_type(value)), x)


def astype(x: Any, dtype: np.dtype) -> Any:
    """``x`` in ``dtype``: traceably where ``x`` is traced, a scalar staying a scalar."""
    if isinstance(x, Box):
        return cnp.astype(x, dtype)
    return as_scalar_if(np.asarray(x).astype(dtype), x)


def cotangent_like(ct: Any, x: Any) -> Any:
    """The cotangent ``ct`` in the shape and dtype of its primal ``x``; ``None`` (the
    input did not reach the output) is a zero of ``x``'s kind."""
    if isinstance(ct, Box):  # traced by an outer transform: fix the dtype, traceably
        target = np.result_type(unbox_all(x))
        if np.result_type(unbox_all(ct)).kind == "c" and target.kind != "c":
            ct = cnp.real(ct)  # a real input's cotangent is real, at every level
        if np.result_type(unbox_all(ct)) != target:
            ct = astype(ct, target)
        return ct
    if isinstance(x, Tensor):  # a Tensor in, a Tensor out (even where no rule ran)
        return Tensor._wrap(np.asarray(cotangent_like(ct, x._value)), None)
    if ct is None:
        return full_like(x, 0)
    ct = np.asarray(ct)
    value = unbox_all(x)
    target = np.result_type(value)
    if ct.dtype != target:
        if ct.dtype.kind == "c" and target.kind != "c":
            ct = ct.real
        ct = ct.astype(target)
    shape = visible_shape(x)
    if ct.shape != shape:
        ct = np.broadcast_to(ct, shape).copy()
    return as_scalar_if(ct, x)


def tangent_like(t: Any, p: Any, i: int) -> Any:
    """The input tangent ``t`` in its primal ``p``'s dtype (``1.0`` along a float32
    input is float32; an integer tangent is cast). A complex tangent for a real primal
    is an error; ``i`` numbers the tangent in it."""
    if isinstance(t, Box):
        return t
    target = np.result_type(unbox_all(p))
    dtype = np.result_type(t)
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
    """An output tangent as a NumPy value of its output's shape and floating precision
    (a rule fed Python floats may return one; a float32 output gets a float32 tangent)."""
    if isinstance(t, Box) or not isinstance(t, (float, int, complex, np.ndarray, np.generic)):
        return t
    shape = visible_shape(value)
    value = unbox_all(value)
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
