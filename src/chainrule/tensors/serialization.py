"""Checkpoints: ``cr.save(state_dict, path)`` and ``cr.load(path)`` in the safetensors
format, through the ``safetensors`` package's NumPy API.

Safetensors is a JSON header plus raw little-endian array bytes: loading a file can
never run code (unlike pickle, which chainrule never uses). Saving is atomic: the bytes
go to a temporary file in the same folder, which then replaces ``path`` with
``os.replace``, so a crash mid-write leaves either the old checkpoint or the new one,
never a torn file. The temporary is created exclusively (never through a symlink) and
locked while written; a later save to the same path removes the unlocked ones that an
interrupted save left. A file that isn't safetensors, is truncated or is crafted (see
:mod:`.safetensors_header`, which checks the header before anything is allocated)
raises :class:`CheckpointError` (a ``ValueError``) naming the path.

A checkpoint holds a flat mapping from names to arrays (what ``Module.state_dict()``
gives), plus optional string ``metadata``; :func:`load_metadata` reads it back.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import tempfile
import time
import types
from collections import OrderedDict
from collections.abc import Mapping

import numpy as np

from chainrule.core.trace import Box
from chainrule.tensors.device import to_host
from chainrule.tensors.factories import from_numpy
from chainrule.tensors.safetensors_header import (
    RESERVED,
    CheckpointError,
    open_regular,
    read_header,
)
from chainrule.tensors.tensor_class import Tensor

fcntl: types.ModuleType | None
try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX
    fcntl = None

__all__ = ["save", "load", "load_metadata", "CheckpointError"]

_ORDER_KEY = "chainrule.key_order"


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
        arr = to_host(value._value)  # a device tensor is saved from a host copy
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
    arrays = _arrays_of(state_dict)
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
    prefix = f".{os.path.basename(path)}.tmp-"
    # mkstemp creates the file exclusively (O_EXCL: never through a symlink); the lock
    # tells a later save that this temporary is in use, not left by a killed process
    fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=".safetensors", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            if fcntl is not None:
                fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            f.write(_safetensors().save(arrays, metadata=meta))
            f.flush()
            os.fsync(f.fileno())
            os.chmod(tmp, mode)
            os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    _remove_stale(folder, prefix)


def _arrays_of(state_dict) -> dict:
    if not isinstance(state_dict, Mapping):
        raise TypeError(
            f"save expects a mapping of names to tensors, got {type(state_dict).__name__}"
        )
    arrays = {}
    for key, value in state_dict.items():
        if not isinstance(key, str):
            raise TypeError(f"save: keys must be strings, got {key!r}")
        if key == RESERVED:
            raise ValueError(f"save: {RESERVED!r} is reserved by the format; rename the entry")
        arrays[key] = _to_array(key, value)
    return arrays


def _remove_stale(folder: str, prefix: str) -> None:
    """Remove the temporaries that interrupted saves to the same path left behind (a
    killed process): those no running save holds a lock on. Without ``fcntl`` (not
    POSIX), only those untouched for an hour."""
    try:
        names = [n for n in os.listdir(folder) if n.startswith(prefix)]
    except OSError:
        return
    for name in names:
        stale = os.path.join(folder, name)
        try:
            fd = os.open(stale, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            continue
        try:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # fails while a save runs
            elif time.time() - os.fstat(fd).st_mtime < 3600:
                continue
            os.unlink(stale)
        except OSError:
            pass
        finally:
            os.close(fd)


def load(path) -> OrderedDict:
    """Read a safetensors checkpoint into an ordered dict of names to tensors."""
    path = os.fspath(path)
    with open_regular(path) as f:
        header, _ = read_header(f, path)  # checked before the data is read
        f.seek(0)
        data = f.read()
    try:
        arrays = _safetensors().load(data)
    except Exception as exc:  # the safetensors library's own checks
        raise CheckpointError(f"{path}: not a valid safetensors file ({exc})") from None
    order = list(arrays)
    try:
        saved = json.loads((header.get(RESERVED) or {}).get(_ORDER_KEY, "[]"))
        if sorted(saved) == sorted(order):
            order = saved
    except (TypeError, ValueError):
        pass
    return OrderedDict((k, from_numpy(np.array(arrays[k]))) for k in order)


def load_metadata(path) -> dict[str, str]:
    """The string metadata stored with :func:`save` (empty if none)."""
    path = os.fspath(path)
    with open_regular(path) as f:
        header, _ = read_header(f, path)
    meta = header.get(RESERVED) or {}
    return {str(k): str(v) for k, v in meta.items() if k != _ORDER_KEY}
