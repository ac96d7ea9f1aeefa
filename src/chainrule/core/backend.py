"""The array backend: the one place that decides which array library runs a forward.

Every primitive's forward receives ``xp`` (the array namespace) as its first argument,
looked up here from its (unboxed) inputs by :func:`array_namespace`. NumPy arrays,
NumPy scalars and Python numbers mean NumPy. Any other array answers through the array
API standard's ``x.__array_namespace__()`` (CuPy, array-api-strict, ...), or, for a
library that does not implement it, through :func:`register_namespace`. So a CuPy
array runs the same rule table on the GPU: derivative rules are written with
chainrule's own ops, whose forwards look the namespace up again from their inputs.

Python numbers, NumPy scalars and 0-d NumPy arrays are *weak*: they combine with an
array of any library (``2.0 * x``). Two arrays of different libraries, or of one
library on different devices, in one call are an error naming both: chainrule never
copies between devices behind the user's back.

The lookup runs on every primitive call, so the all-NumPy case is a loop of ``type``
checks against a fixed set; everything else takes the slower path.
"""

from __future__ import annotations

import numpy

xp = numpy

# Types that are NumPy or carry no array at all (axes, shapes, names, options).
_NUMPY_OR_PLAIN = frozenset(
    {
        numpy.ndarray,
        numpy.float64,
        numpy.float32,
        numpy.int64,
        numpy.int32,
        numpy.bool_,
        numpy.complex128,
        float,
        int,
        bool,
        complex,
        str,
        type(None),
        slice,
        type(Ellipsis),
        numpy.dtype,
    }
)
_SEQUENCES = (tuple, list)

# Array types whose library predates ``__array_namespace__``: type -> namespace.
_registered: dict[type, object] = {}


class DeviceMismatchError(TypeError):
    """Arrays of two libraries (or two devices) met in one operation."""


def register_namespace(array_type: type, namespace: object) -> None:
    """Make arrays of ``array_type`` run their forwards with ``namespace``."""
    _registered[array_type] = namespace


def array_namespace(args, name: str | None = None) -> object:
    """The array namespace for a primitive's (unboxed) arguments.

    ``name`` (the operation) only improves the error when two libraries or devices meet.
    """
    plain = _NUMPY_OR_PLAIN
    for a in args:
        if type(a) not in plain:
            return _slow_namespace(args, name)
    return numpy


def _slow_namespace(args, name):
    found = None  # (namespace, device, the array that set them)
    for a in _flatten(args):
        ns = _namespace_of(a)
        if ns is None:
            continue
        device = _device_of(a)
        if found is None:
            found = (ns, device, a)
        elif found[0] is not ns or found[1] != device:
            raise DeviceMismatchError(_mismatch(name, found, (ns, device, a)))
    return numpy if found is None else found[0]


def is_foreign_array(x) -> bool:
    """Whether ``x`` is an array of a library other than NumPy (CuPy, array-api-strict,
    a registered type), which NumPy conversions must leave alone."""
    ns = _namespace_of(x)
    return ns is not None and ns is not numpy


def _flatten(args):
    for a in args:
        if isinstance(a, _SEQUENCES):
            yield from _flatten(a)
        else:
            yield a


def _namespace_of(a):
    """The namespace of one strong array argument, or ``None`` for a weak/plain value."""
    t = type(a)
    if t in _NUMPY_OR_PLAIN or isinstance(a, numpy.generic):
        return numpy if t is numpy.ndarray and a.ndim else None
    if t in _registered:
        return _registered[t]
    get = getattr(a, "__array_namespace__", None)
    if get is not None and not isinstance(a, type):
        ns = get()
        if ns is numpy:
            return numpy if numpy.ndim(a) else None
        return ns
    if isinstance(a, numpy.ndarray):  # a subclass without its own namespace
        return numpy if a.ndim else None
    return None  # a Python object the forward handles itself (a callable, a mode)


def _device_of(a) -> str:
    device = getattr(a, "device", "cpu")
    return "cpu" if device is None else str(device)


def _mismatch(name, first, second) -> str:
    where = f"{name}: " if name else ""
    described = [
        f"{_library(ns)} array of shape {tuple(a.shape)} on {device}"
        for ns, device, a in (first, second)
    ]
    return (
        f"{where}arrays of different libraries or devices in one operation "
        f"({described[0]} and {described[1]}); move one of them first "
        "(for CuPy: cupy.asarray(x) to the GPU, x.get() back to NumPy)"
    )


def _library(namespace) -> str:
    return getattr(namespace, "__name__", type(namespace).__name__)


# The array API standard's dtype names: every conforming namespace defines them.
_STANDARD_DTYPES = (
    "bool",
    "int8",
    "int16",
    "int32",
    "int64",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "float32",
    "float64",
    "complex64",
    "complex128",
)


def numpy_dtype(value) -> numpy.dtype:
    """The dtype of ``value`` as a NumPy dtype, for NumPy values and for arrays of any
    library (CuPy uses NumPy's dtypes; array-api-strict has its own, mapped by the
    standard's names). Raises ``TypeError`` for something that is not a number or array."""
    ns = _namespace_of(value)
    if ns is None or ns is numpy:
        try:
            return numpy.result_type(value)
        except ValueError:  # an object NumPy can't read a dtype from
            raise TypeError(f"{type(value).__name__} has no NumPy dtype") from None
    dtype = value.dtype
    if isinstance(dtype, numpy.dtype):
        return dtype
    for name in _STANDARD_DTYPES:
        if getattr(ns, name, None) == dtype:
            return numpy.dtype(name)
    raise TypeError(f"{_library(ns)} dtype {dtype} has no NumPy counterpart")


def namespace_dtype(namespace, dtype: numpy.dtype) -> object:
    """NumPy's ``dtype`` as the namespace's own dtype object (the inverse of
    :func:`numpy_dtype`)."""
    if namespace is numpy:
        return dtype
    return getattr(namespace, numpy.dtype(dtype).name)
