"""PyTorch's dtype names (``cr.float``, ``cr.long`` ...), ``cr.device`` and the default
floating dtype (``get_default_dtype``/``set_default_dtype``).

The dtypes are NumPy's own types, so ``cr.float64`` is ``numpy.float64``.

Devices: a tensor's values are a NumPy array on the CPU, or an array of the library that
provides another device type. The table of device types maps a name to a provider, an
object with three operations: ``to_device(array, index)`` (a copy on device ``index``),
``to_host(array)`` (a NumPy copy) and ``index_of(array)`` (the device index of one of
its arrays, ``None`` for an array that is not its own). ``"cuda"`` is provided by CuPy,
imported only when a CUDA device is asked for; :func:`register_device_type` replaces a
provider (the tests plug in a stand-in for CUDA built on NumPy).
"""

from __future__ import annotations

import builtins as _builtins
import sys

import numpy as np

from chainrule.core.backend import DeviceMismatchError

# PyTorch's dtype names; ``float`` and ``int`` shadow the builtins only inside this namespace
float16 = half = np.float16
float32 = np.float32
float64 = double = np.float64
int8 = np.int8
int16 = short = np.int16
int32 = np.int32
int64 = long = np.int64
uint8 = np.uint8
complex64 = np.complex64
complex128 = cdouble = np.complex128
bool = np.bool_  # noqa: A001
float = np.float32  # noqa: A001  (torch.float is 32-bit)
int = np.int32  # noqa: A001  (torch.int is 32-bit)

# The default floating dtype of the Tensor world (factories, nn layers, optimizer
# state): float32, as PyTorch's. The functional NumPy API keeps NumPy's float64.
_DEFAULT: dict[str, np.dtype] = {"dtype": np.dtype(np.float32)}
_COMPLEX: dict[np.dtype, np.dtype] = {
    np.dtype(np.float32): np.dtype(np.complex64),
    np.dtype(np.float64): np.dtype(np.complex128),
}


def get_default_dtype() -> np.dtype:
    """The dtype of floating tensors made without ``dtype=`` (float32 unless changed
    with :func:`set_default_dtype`)."""
    return _DEFAULT["dtype"]


def default_complex_dtype() -> np.dtype:
    """The complex dtype that goes with the default floating one (complex64 for float32)."""
    return _COMPLEX[_DEFAULT["dtype"]]


def set_default_dtype(dtype) -> None:
    """Make ``dtype`` (float32 or float64, as PyTorch accepts) the default floating dtype
    of the factories (``tensor([1.0])``, ``zeros``, ``randn`` ...), of ``nn`` layers'
    parameters, and of Python floats in tensor operations (``int_tensor * 2.5``)."""
    try:
        chosen = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"set_default_dtype: {dtype!r} is not a dtype") from None
    if chosen not in _COMPLEX:
        raise TypeError(
            f"set_default_dtype: only floating-point types are supported as the default "
            f"type (float32 or float64), got {chosen}"
        )
    _DEFAULT["dtype"] = chosen


class device:  # noqa: N801  (PyTorch's name)
    """Where a tensor's values live: ``device("cpu")``, ``device("cuda")``,
    ``device("cuda:1")``, ``device("cuda", 1)``. Device types other than the CPU and
    those in the table (``"cuda"``) are refused with an error naming them."""

    __slots__ = ("type", "index")
    type: str
    index: _builtins.int | None

    def __init__(self, type, index=None):  # noqa: A002  (PyTorch's argument name)
        if isinstance(type, device):
            name, index = type.type, type.index if index is None else index
        else:
            name = str(type)
            if ":" in name:
                if index is not None:
                    raise RuntimeError(
                        f"device(): type {name!r} already names an index; don't give index="
                    )
                name, _, number = name.partition(":")
                if not number.isdigit():
                    raise RuntimeError(f"invalid device string: {str(type)!r}")
                index = _builtins.int(number)
        if name != "cpu" and name not in _PROVIDERS:
            known = ", ".join(["cpu", *_PROVIDERS])
            raise RuntimeError(
                f"device type {name!r} is not supported: expected one of {known} "
                "(e.g. device='cpu', 'cuda' or 'cuda:1')"
            )
        if index is not None and (not isinstance(index, _builtins.int) or index < 0):
            raise RuntimeError(f"device index must be a non-negative integer, got {index!r}")
        self.type = name
        self.index = index

    def __repr__(self) -> str:
        extra = "" if self.index is None else f", index={self.index}"
        return f"device(type='{self.type}'{extra})"

    def __str__(self) -> str:
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __eq__(self, other) -> _builtins.bool:  # (bool is np.bool_ in this module)
        if isinstance(other, str):  # "cuda" names cuda:0 too, and "cpu" the CPU
            bare = self.index is None or self.index == 0 or self.type == "cpu"
            return other == str(self) or (bare and other == self.type)
        return isinstance(other, device) and (self.type, self.index) == (other.type, other.index)

    def __hash__(self) -> _builtins.int:
        return hash((self.type, self.index))


class CupyDevices:
    """The ``"cuda"`` device type, provided by CuPy (imported when first needed)."""

    def _cupy(self, index: _builtins.int):
        try:
            import cupy
        except ImportError:
            raise RuntimeError(
                "device 'cuda' needs CuPy, which is not installed: pip install 'chainrule[gpu]'"
            ) from None
        try:
            count = cupy.cuda.runtime.getDeviceCount()
        except cupy.cuda.runtime.CUDARuntimeError:
            count = 0
        if count == 0:
            raise RuntimeError(
                "no CUDA device is available: CuPy is installed but found no GPU (use device='cpu')"
            )
        if index >= count:
            raise RuntimeError(f"CUDA device {index} is not available: there are {count}")
        return cupy

    def to_device(self, array, index: _builtins.int):
        cupy = self._cupy(index)
        with cupy.cuda.Device(index):
            return cupy.array(array, copy=True)

    def to_host(self, array) -> np.ndarray:
        return array.get()

    def index_of(self, array) -> _builtins.int | None:
        cupy = sys.modules.get("cupy")  # no CuPy imported: no CuPy array exists
        if cupy is None or not isinstance(array, cupy.ndarray):
            return None
        return array.device.id


# PyTorch's refusal to hand out a device tensor's values as NumPy ones
HOST_ONLY = (
    "can't {name} a {device} device type tensor to numpy: use tensor.cpu() to copy the "
    "tensor to host memory first (tensor.cpu().numpy())"
)

_PROVIDERS: dict[str, object] = {"cuda": CupyDevices()}
CPU = device("cpu")


def register_device_type(name: str, provider):
    """Make ``provider`` (``to_device``, ``to_host``, ``index_of``; see the module
    docstring) the library behind device type ``name``; ``None`` removes it. Returns the
    provider it replaces (``None`` if there was none), so a test can put it back. An
    internal hook: the tests use it to stand in for CUDA on machines without a GPU."""
    if name == "cpu":
        raise ValueError("the CPU's device type (NumPy) can't be replaced")
    old = _PROVIDERS.pop(name, None)
    if provider is not None:
        _PROVIDERS[name] = provider
    return old


def as_device(where) -> device | None:
    """``None`` for ``None``, else ``where`` (a string or :class:`device`) as a device;
    an unknown device type raises an error naming it."""
    if where is None or isinstance(where, device):
        return where
    if not isinstance(where, str):
        raise TypeError(
            f"expected a device (a string such as 'cuda' or a cr.device), got {where!r}"
        )
    return device(where)


def device_of(array) -> device:
    """The device an array lives on (the CPU for NumPy arrays and Python numbers)."""
    if type(array) is np.ndarray or not _PROVIDERS:
        return CPU
    for name, provider in _PROVIDERS.items():
        index = provider.index_of(array)  # type: ignore[attr-defined]
        if index is not None:
            return device(name, index)
    return CPU


def move(array, target: device):
    """``array`` on device ``target``: the same array if it is there already, else a copy
    (between two devices of one type directly, between two types through the host)."""
    source = device_of(array)
    if target.type == "cpu":
        return array if source.type == "cpu" else _provider(source).to_host(array)
    index = 0 if target.index is None else target.index
    if source.type == target.type and source.index == index:
        return array
    if source.type not in ("cpu", target.type):
        array = _provider(source).to_host(array)
    return _provider(target).to_device(array, index)


def to_host(array) -> np.ndarray:
    """A NumPy array of ``array``'s values (the array itself if it is on the CPU)."""
    return move(array, CPU)


class TensorDeviceError(DeviceMismatchError, RuntimeError):
    """Tensors on two devices met in one operation (a ``RuntimeError``, as PyTorch's,
    and the backend's ``DeviceMismatchError``)."""


def two_devices(name: str, vals, err: Exception) -> str:
    """PyTorch's words for an operation given tensors on two devices (or ``err``'s own,
    the backend's, when the arrays' libraries differ on one device)."""
    found: list = []
    for v in vals:
        if hasattr(v, "shape") and len(v.shape):  # (0-d arrays join any device)
            where = device_of(v)
            if where not in found:
                found.append(where)
    if len(found) < 2:
        return str(err)
    pair = " and ".join(str(d) for d in found[:2])
    return (
        f"Expected all tensors to be on the same device, but found at least two devices, "
        f"{pair}! (in {name}; move one of them with .to(device))"
    )


def _provider(where: device):
    try:
        return _PROVIDERS[where.type]
    except KeyError:
        raise RuntimeError(f"device type {where.type!r} is not available") from None


def unsupported(feature: str):
    """The error for a PyTorch feature outside chainrule's scope."""
    return NotImplementedError(f"{feature} is not supported by chainrule (dense CPU tensors only)")
