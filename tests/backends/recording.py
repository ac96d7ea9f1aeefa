"""A stand-in for a device array library that is not NumPy, for CPU-only tests.

``DeviceArray`` is an ``ndarray`` subclass standing for an array living on another
device; its namespace (registered with ``chainrule.core.backend``) is a
:class:`RecordingNamespace`, which runs NumPy's function of the same name, returns
``DeviceArray`` results, and records every name it was asked for. A forward that
reached for NumPy instead of ``xp`` leaves no record, and a rule that built a NumPy
constant and mixed it with a device value meets the backend's mismatch error, just as
a NumPy array meeting a CuPy array would.
"""

from __future__ import annotations

import numpy as np


class DeviceArray(np.ndarray):
    """An array on the pretend device. As with CuPy, indexing never hands back a host
    scalar: ``x[0]`` or ``x[()]`` of a device array is a 0-d device array."""

    @property
    def device(self) -> str:
        return "pretend-device"

    def __getitem__(self, index):
        item = super().__getitem__(index)
        return np.asarray(item).view(DeviceArray) if isinstance(item, np.generic) else item


def to_device(x) -> DeviceArray:
    return np.asarray(x).view(DeviceArray)


def _to_device_tree(v):
    if type(v) is np.ndarray or isinstance(v, np.generic):
        return np.asarray(v).view(DeviceArray)
    if isinstance(v, tuple):
        return (
            type(v)(*map(_to_device_tree, v))
            if hasattr(v, "_fields")
            else tuple(map(_to_device_tree, v))
        )
    if isinstance(v, list):
        return [_to_device_tree(x) for x in v]
    return v


class _Recorded:
    """A NumPy submodule (``linalg``) or callable seen through the recorder."""

    def __init__(self, target, prefix, calls):
        self._target = target
        self._prefix = prefix
        self._calls = calls

    def __getattr__(self, name):
        value = getattr(self._target, name)
        full = f"{self._prefix}{name}"
        self._calls.append(full)
        if callable(value) and not isinstance(value, type):
            return _RecordedFunction(value)
        if hasattr(value, "__dict__") and type(value).__name__ == "module":
            return _Recorded(value, f"{full}.", self._calls)
        return value


class _RecordedFunction:
    def __init__(self, fn):
        self._fn = fn

    def __call__(self, *args, **kwargs):
        return _to_device_tree(self._fn(*args, **kwargs))

    def __getattr__(self, name):  # ufunc methods: np.add.at, np.maximum.reduce, ...
        return getattr(self._fn, name)


class RecordingNamespace(_Recorded):
    """NumPy, seen through a recorder; ``calls`` lists every name looked up."""

    __name__ = "recording-numpy"

    def __init__(self):
        super().__init__(np, "", [])

    @property
    def calls(self) -> list:
        return self._calls
