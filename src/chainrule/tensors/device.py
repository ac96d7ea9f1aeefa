"""PyTorch's dtype names (``cr.float``, ``cr.long`` ...), ``cr.device`` and the default
floating dtype (``get_default_dtype``/``set_default_dtype``).

chainrule tensors live in NumPy arrays on the CPU, so ``device("cpu")`` (or the string
``"cpu"``) is the only device accepted; any other is refused with an error naming it.
The dtypes are NumPy's own types, so ``cr.float64`` is ``numpy.float64``.
"""

from __future__ import annotations

import builtins as _builtins

import numpy as np

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
    """A device: only the CPU (``device("cpu")``, ``device("cpu", 0)``)."""

    __slots__ = ("type", "index")
    type: str
    index: _builtins.int | None

    def __init__(self, type, index=None):  # noqa: A002  (PyTorch's argument name)
        if isinstance(type, device):
            name, index = "cpu", type.index
        else:
            name = str(type)
        check_device(name)
        self.type = "cpu"
        self.index = index

    def __repr__(self) -> str:
        extra = "" if self.index is None else f", index={self.index}"
        return f"device(type='cpu'{extra})"

    def __str__(self) -> str:
        return "cpu" if self.index is None else f"cpu:{self.index}"

    def __eq__(self, other) -> _builtins.bool:  # (bool is np.bool_ in this module)
        if isinstance(other, str):
            return other in ("cpu", str(self))
        return isinstance(other, device) and (self.type, self.index) == (other.type, other.index)

    def __hash__(self) -> _builtins.int:
        return hash((self.type, self.index))


def check_device(where) -> None:
    """Accept ``None``, ``"cpu"``, ``"cpu:N"`` or a CPU :class:`device`; refuse others."""
    if where is None or isinstance(where, device):
        return
    name = str(where)
    if name == "cpu" or name.startswith("cpu:"):
        return
    raise RuntimeError(
        f"device {name!r} is not supported: chainrule runs on the CPU only (NumPy arrays); "
        "use device='cpu' or leave device= out"
    )


def unsupported(feature: str):
    """The error for a PyTorch feature outside chainrule's scope."""
    return NotImplementedError(f"{feature} is not supported by chainrule (dense CPU tensors only)")
