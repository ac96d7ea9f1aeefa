"""Checkpoints: ``cr.save(state_dict, path)`` and ``cr.load(path)`` in the safetensors
format, through the ``safetensors`` package's NumPy API.

Safetensors is a JSON header plus raw little-endian array bytes: loading a file can
never run code (unlike pickle, which chainrule never uses). Saving is atomic: the bytes
go to a temporary file in the same folder, which then replaces ``path`` with
``os.replace``, so a crash mid-write leaves either the old checkpoint or the new one,
never a torn file. A file that isn't safetensors, or is truncated, raises
:class:`CheckpointError` (a ``ValueError``) naming the path.

A checkpoint holds a flat mapping from names to arrays (what ``Module.state_dict()``
gives), plus optional string ``metadata``; :func:`load_metadata` reads it back.
"""

from __future__ import annotations

import json
import os
import stat
import struct
import tempfile
from collections import OrderedDict
from collections.abc import Mapping

import numpy as np

from chainrule.core.trace import Box
from chainrule.tensors.factories import from_numpy
from chainrule.tensors.tensor_class import Tensor

__all__ = ["save", "load", "load_metadata", "CheckpointError"]

# sanity bound on the JSON header (the safetensors library uses 100 MB as well)
_MAX_HEADER = 100_000_000
_ORDER_KEY = "chainrule.key_order"


class CheckpointError(ValueError):
    """A checkpoint file that can't be read as safetensors."""


def _safetensors():
    try:
        from safetensors import numpy as st_numpy
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "cr.save/cr.load need the safetensors package: pip install safetensors "
            "(or pip install 'chainrule[examples]')"
        ) from exc
    return st_numpy


def _to_array(key: str, value) -> np.ndarray:
    if isinstance(value, Tensor):
        arr = value.numpy()
    elif isinstance(value, Box):
        raise TypeError(f"save: entry {key!r} is a traced value; save concrete tensors")
    elif isinstance(value, np.ndarray | np.generic | int | float | bool):
        arr = np.asarray(value)
    else:
        raise TypeError(
            f"save: entry {key!r} is a {type(value).__name__}; a checkpoint holds tensors "
            "and arrays only (put other values in metadata=)"
        )
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"save: entry {key!r} has dtype {arr.dtype}, which safetensors can't store")
    return arr if arr.flags.c_contiguous else arr.copy(order="C")  # (keeps 0-d arrays 0-d)


def _file_mode(path: str) -> int:
    """The permissions the checkpoint should get: those of the file it replaces, else
    what a plain ``open(path, "wb")`` would give (0o666 less the umask). The temporary
    file is created private (0o600), which must not leak into the result."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def save(state_dict: Mapping, path, metadata: Mapping[str, str] | None = None) -> None:
    """Write ``state_dict`` (names to tensors/arrays) to ``path`` as safetensors,
    atomically. ``metadata`` is an optional dict of strings stored in the header."""
    if not isinstance(state_dict, Mapping):
        raise TypeError(
            f"save expects a mapping of names to tensors, got {type(state_dict).__name__}"
        )
    arrays = {}
    for key, value in state_dict.items():
        if not isinstance(key, str):
            raise TypeError(f"save: keys must be strings, got {key!r}")
        arrays[key] = _to_array(key, value)
    meta = {str(k): str(v) for k, v in (metadata or {}).items()}
    # safetensors stores tensors sorted; remember the caller's order
    meta[_ORDER_KEY] = json.dumps(list(arrays))
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise FileNotFoundError(f"save: folder does not exist: {folder}")
    if os.path.isdir(path):
        raise IsADirectoryError(f"save: {path} is a folder; give a file name")
    mode = _file_mode(path)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".safetensors", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(_safetensors().save(arrays, metadata=meta))
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def _read_header(path: str) -> dict:
    """Validate the framing ourselves first, so errors name the file and the problem."""
    if not os.path.exists(path):
        raise FileNotFoundError(f"checkpoint not found: {path}")
    if os.path.isdir(path):
        raise IsADirectoryError(f"{path} is a folder, not a checkpoint file")
    size = os.path.getsize(path)
    with open(path, "rb") as f:
        head = f.read(8)
        if len(head) < 8:
            raise CheckpointError(f"{path}: not a safetensors file (only {size} bytes)")
        (n,) = struct.unpack("<Q", head)
        if n > _MAX_HEADER or 8 + n > size:
            raise CheckpointError(
                f"{path}: not a safetensors file, or truncated (the header length field "
                f"says {n} bytes; the file has {size})"
            )
        raw = f.read(n)
    try:
        header = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise CheckpointError(f"{path}: not a safetensors file (its header is not JSON)") from None
    if not isinstance(header, dict):
        raise CheckpointError(f"{path}: not a safetensors file (its header is not a JSON object)")
    meta = header.get("__metadata__", {})
    if meta is not None and not (
        isinstance(meta, dict) and all(isinstance(v, str) for v in meta.values())
    ):
        raise CheckpointError(
            f"{path}: malformed safetensors header (__metadata__ must map strings to strings)"
        )
    end = 0
    for key, entry in header.items():
        if key == "__metadata__":
            continue
        try:
            end = max(end, int(entry["data_offsets"][1]))
        except (TypeError, KeyError, IndexError, ValueError):
            raise CheckpointError(f"{path}: malformed safetensors header entry {key!r}") from None
    if 8 + n + end > size:
        raise CheckpointError(
            f"{path}: truncated safetensors file (the header promises {8 + n + end} bytes, the "
            f"file has {size})"
        )
    return header


def load(path) -> OrderedDict:
    """Read a safetensors checkpoint into an ordered dict of names to tensors."""
    path = os.fspath(path)
    header = _read_header(path)
    try:
        with open(path, "rb") as f:
            arrays = _safetensors().load(f.read())
    except Exception as exc:  # the safetensors library's own checks
        raise CheckpointError(f"{path}: not a valid safetensors file ({exc})") from None
    order = list(arrays)
    try:
        saved = json.loads((header.get("__metadata__") or {}).get(_ORDER_KEY, "[]"))
        if sorted(saved) == sorted(order):
            order = saved
    except (TypeError, ValueError):
        pass
    return OrderedDict((k, from_numpy(np.array(arrays[k]))) for k in order)


def load_metadata(path) -> dict[str, str]:
    """The string metadata stored with :func:`save` (empty if none)."""
    header = _read_header(os.fspath(path))
    meta = header.get("__metadata__") or {}
    return {str(k): str(v) for k, v in meta.items() if k != _ORDER_KEY}
