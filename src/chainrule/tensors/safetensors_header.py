"""Reading a checkpoint's safetensors header with limits, before anything is allocated.

A safetensors file is an 8-byte little-endian header length, a JSON header naming each
tensor's dtype, shape and byte range, then the bytes. A crafted file can claim a
100 MB header of a million empty tensors, nest brackets 100,000 deep, write offsets
as ``Infinity``, repeat a key, or be a FIFO that never ends. This module opens regular
files only (without blocking on a FIFO), bounds the header's size and its count of
tensors before parsing it, parses it without NaN/Infinity or duplicate keys, and
checks every entry (dtype, shape, offsets that are finite integers, in the file, of the
size the shape needs), so that a bad file is refused in milliseconds with a
:class:`CheckpointError` naming the file and the problem.
"""

from __future__ import annotations

import json
import math
import os
import struct

from chainrule._files import open_regular as _open_regular

MAX_HEADER = 16 * 2**20  # bytes of JSON header
MAX_TENSORS = 65_536  # entries in one checkpoint
MAX_DIMS = 32  # dimensions of one tensor
RESERVED = "__metadata__"  # the header key that holds the string metadata
_ITEMSIZE = {
    "BOOL": 1,
    "U8": 1,
    "I8": 1,
    "U16": 2,
    "I16": 2,
    "F16": 2,
    "BF16": 2,
    "U32": 4,
    "I32": 4,
    "F32": 4,
    "U64": 8,
    "I64": 8,
    "F64": 8,
}


class CheckpointError(ValueError):
    """A checkpoint file that can't be read as safetensors (the message names it)."""


def open_regular(path: str):
    """``path`` opened for reading in binary, if it is a regular file. A FIFO or a
    device is refused without blocking (it is opened non-blocking, then checked)."""
    if os.path.isdir(path):
        raise IsADirectoryError(f"{path} is a folder, not a checkpoint file")
    if not os.path.exists(path):
        raise FileNotFoundError(f"checkpoint not found: {path}")
    return _open_regular(path, CheckpointError)


def read_header(f, path: str) -> tuple[dict, int]:
    """The checked header of the open file ``f``, and where its data begins."""
    size = os.fstat(f.fileno()).st_size
    head = f.read(8)
    if len(head) < 8:
        raise CheckpointError(f"{path}: not a safetensors file (only {size} bytes)")
    (n,) = struct.unpack("<Q", head)
    if 8 + n > size:
        raise CheckpointError(
            f"{path}: not a safetensors file, or truncated (the header length field "
            f"says {n} bytes; the file has {size})"
        )
    if n > MAX_HEADER:
        raise CheckpointError(f"{path}: header of {n} bytes is over the limit of {MAX_HEADER}")
    raw = f.read(n)
    count = raw.count(b'"data_offsets"')  # counted at C speed, before any parsing
    if count > MAX_TENSORS:
        raise CheckpointError(f"{path}: {count} tensors is over the limit of {MAX_TENSORS}")
    header = _parse_json(raw, path)
    data_size = size - 8 - n
    for key, entry in header.items():
        if key == RESERVED:
            _check_metadata(entry, path)
        else:
            _check_entry(key, entry, data_size, path)
    return header, 8 + n


def _parse_json(raw: bytes, path: str) -> dict:
    def no_constants(name):
        raise ValueError(f"{name} is not a number a header may hold")

    def no_duplicates(pairs):
        seen = {}
        for key, value in pairs:
            if key in seen:
                raise ValueError(f"the key {key!r} appears twice")
            seen[key] = value
        return seen

    try:
        header = json.loads(
            raw.decode("utf-8"), parse_constant=no_constants, object_pairs_hook=no_duplicates
        )
    except UnicodeDecodeError:
        raise CheckpointError(f"{path}: not a safetensors file (its header is not UTF-8)") from None
    except RecursionError:
        raise CheckpointError(f"{path}: malformed header (nested too deeply)") from None
    except ValueError as exc:  # JSONDecodeError included
        raise CheckpointError(f"{path}: not a safetensors file (bad JSON header: {exc})") from None
    if not isinstance(header, dict):
        raise CheckpointError(f"{path}: not a safetensors file (its header is not a JSON object)")
    return header


def _check_metadata(meta, path: str) -> None:
    if meta is not None and not (
        isinstance(meta, dict) and all(isinstance(v, str) for v in meta.values())
    ):
        raise CheckpointError(
            f"{path}: malformed safetensors header (__metadata__ must map strings to strings)"
        )


def _check_entry(key: str, entry, data_size: int, path: str) -> None:
    def bad(why: str) -> CheckpointError:
        return CheckpointError(f"{path}: malformed safetensors header entry {key!r} ({why})")

    if not isinstance(entry, dict):
        raise bad("not an object")
    dtype, shape, offsets = entry.get("dtype"), entry.get("shape"), entry.get("data_offsets")
    if dtype not in _ITEMSIZE:
        raise bad(f"unknown dtype {dtype!r}")
    if not (isinstance(shape, list) and len(shape) <= MAX_DIMS and all(map(_count, shape))):
        raise bad("shape must be a list of at most 32 whole numbers >= 0")
    if not (isinstance(offsets, list) and len(offsets) == 2 and all(map(_count, offsets))):
        raise bad("data_offsets must be two whole numbers >= 0")
    begin, end = offsets
    if not begin <= end <= data_size:
        raise bad(f"bytes {begin}..{end} are not within the {data_size} bytes of data")
    if math.prod(shape) * _ITEMSIZE[dtype] != end - begin:
        raise bad(f"shape {shape} of {dtype} does not take {end - begin} bytes")


def _count(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0
