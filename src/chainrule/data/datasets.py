"""Ready-made datasets: ``load_digits()`` (the UCI 8x8 handwritten digits, shipped with
the package in ``digits.npz``: CC BY 4.0, see ``DIGITS-LICENSE.txt`` beside it) and
``load_mnist(path)`` (the standard IDX files, gzipped or not, from a folder the user
provides; nothing is downloaded).

Both return ``(train, test)`` as :class:`TensorDataset` s of (image, label): images
in the default dtype (float32 unless ``set_default_dtype`` changed it; ``dtype=`` picks
another) with values in [0, 1], flattened unless ``flatten=False`` (then ``(1, H, W)``);
labels int64.
"""

from __future__ import annotations

import gzip
import math
import os
import struct
import zlib

import numpy as np

from chainrule._files import open_regular
from chainrule.data.dataset import TensorDataset
from chainrule.tensors import from_numpy, get_default_dtype

__all__ = ["load_digits", "load_mnist", "read_idx", "IDXError"]

# a fixed permutation seed: the 80/20 split of digits is the same everywhere
_DIGITS_SPLIT_SEED = 0
_DIGITS_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "digits.npz")


def _pack(images: np.ndarray, labels: np.ndarray, flatten: bool, dtype) -> TensorDataset:
    """(image, label) pairs from ``images`` of shape (N, H, W): each image flattened,
    or given a channel axis, (1, H, W); images cast to ``dtype``, labels int64."""
    images = images.astype(get_default_dtype() if dtype is None else dtype)
    images = images.reshape(len(images), -1) if flatten else images[:, None]
    return TensorDataset(from_numpy(images), from_numpy(labels.astype(np.int64)))


def load_digits(flatten: bool = True, dtype=None, test_fraction: float = 0.2):
    """The 1,797 8x8 handwritten digits (UCI optdigits, Alpaydin & Kaynak, CC BY 4.0;
    shipped with chainrule), pixels scaled to [0, 1], split 80/20 by a fixed
    permutation (1,438 train, 359 test)."""
    with np.load(_DIGITS_FILE, allow_pickle=False) as stored:
        images = stored["images"] / 16.0
        labels = stored["labels"].astype(np.int64)
    order = np.random.default_rng(_DIGITS_SPLIT_SEED).permutation(len(labels))
    n_test = int(round(len(labels) * test_fraction))
    test_idx, train_idx = order[:n_test], order[n_test:]
    return (
        _pack(images[train_idx], labels[train_idx], flatten, dtype),
        _pack(images[test_idx], labels[test_idx], flatten, dtype),
    )


# -- MNIST's IDX files -------------------------------------------------------------------------
class IDXError(ValueError):
    """A file that is not a valid IDX file; the message names the file."""


_IDX_TYPES = {
    0x08: np.dtype(np.uint8),
    0x09: np.dtype(np.int8),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}


MAX_IDX_BYTES = 2**30  # data bytes one IDX file may declare (MNIST's largest: 47 MB)
_GZIP_RATIO = 1100  # deflate expands at most ~1032-fold: a bound on what a .gz can hold
_CHUNK = 2**20


def _open_regular(path: str):
    return open_regular(path, IDXError)


def _read_exactly(stream, n: int, path: str, what: str) -> bytes:
    """``n`` bytes from ``stream`` read in chunks (so a short file costs only what it
    holds), or IDXError naming what was cut short."""
    chunks, left = [], n
    while left:
        chunk = stream.read(min(left, _CHUNK))
        if not chunk:
            raise IDXError(f"{path}: truncated {what} (needs {n} bytes, found {n - left})")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def read_idx(path) -> np.ndarray:
    """Read one IDX file (``.gz`` or plain) into an array. The header is read and
    checked first; the data is then read (decompressed) incrementally, never more than
    the header declares, so a crafted file costs no more than its honest size."""
    path = os.fspath(path)
    with _open_regular(path) as raw:
        size = os.fstat(raw.fileno()).st_size
        zipped = raw.read(2) == b"\x1f\x8b"
        raw.seek(0)
        stream = gzip.GzipFile(fileobj=raw, mode="rb") if zipped else raw
        try:
            return _read_idx_stream(stream, path, size * _GZIP_RATIO if zipped else size)
        except (OSError, EOFError, zlib.error) as exc:
            if not zipped:
                raise
            raise IDXError(f"{path}: corrupt gzip data ({exc})") from None


def _read_idx_stream(stream, path: str, most: int) -> np.ndarray:
    start = stream.read(4)
    if len(start) < 4:
        raise IDXError(f"{path}: too short to be an IDX file ({len(start)} bytes)")
    zero, code, ndim = struct.unpack(">HBB", start)
    if zero != 0 or code not in _IDX_TYPES:
        raise IDXError(
            f"{path}: not an IDX file (bad magic number 0x{start.hex()}; expected "
            "0x0000 then a type code such as 0x08 and the number of dimensions)"
        )
    if ndim == 0:
        raise IDXError(f"{path}: IDX header declares 0 dimensions")
    dims = struct.unpack(">" + "I" * ndim, _read_exactly(stream, 4 * ndim, path, "header"))
    dtype = _IDX_TYPES[code]
    expected = math.prod(dims) * dtype.itemsize  # Python ints: no overflow
    if expected > most:
        raise IDXError(
            f"{path}: truncated: the header declares shape {dims} ({expected} data bytes) "
            f"but the file can hold at most {most}"
        )
    if expected > MAX_IDX_BYTES:
        raise IDXError(
            f"{path}: the header declares shape {dims} ({expected} data bytes), over the "
            f"limit of {MAX_IDX_BYTES}"
        )
    body = _read_exactly(stream, expected, path, f"data for shape {dims}")
    if stream.read(1):
        raise IDXError(
            f"{path}: has trailing bytes after the {expected} data bytes of shape {dims}"
        )
    return np.frombuffer(body, dtype=dtype).reshape(dims).astype(dtype.newbyteorder("="))


_MNIST_NAMES = {
    "train_images": ("train-images-idx3-ubyte", "train-images.idx3-ubyte"),
    "train_labels": ("train-labels-idx1-ubyte", "train-labels.idx1-ubyte"),
    "test_images": ("t10k-images-idx3-ubyte", "t10k-images.idx3-ubyte"),
    "test_labels": ("t10k-labels-idx1-ubyte", "t10k-labels.idx1-ubyte"),
}


def _find(folder: str, stems: tuple) -> str:
    for stem in stems:
        for name in (stem, stem + ".gz"):
            candidate = os.path.join(folder, name)
            if os.path.isfile(candidate):
                return candidate
    raise FileNotFoundError(
        f"MNIST file {stems[0]}[.gz] not found in {folder} (looked for "
        + ", ".join(f"{s}, {s}.gz" for s in stems)
        + ")"
    )


_MIN_SIDE, _MAX_SIDE = 4, 1024  # pixels per image side (MNIST: 28); 4 fits the small CNN


def _mnist_split(images_path: str, labels_path: str, flatten: bool, dtype):
    images = read_idx(images_path)
    labels = read_idx(labels_path)
    for path, arr in ((images_path, images), (labels_path, labels)):
        if arr.dtype != np.uint8:  # MNIST's magic numbers are 0x00000803 and 0x00000801
            raise IDXError(f"{path}: expected unsigned bytes (IDX type 0x08), got {arr.dtype} data")
    if images.ndim != 3:
        raise IDXError(
            f"{images_path}: expected 3-d image data (N, rows, cols), got shape {images.shape}"
        )
    if labels.ndim != 1:
        raise IDXError(f"{labels_path}: expected 1-d label data, got shape {labels.shape}")
    if len(images) != len(labels):
        raise IDXError(
            f"{labels_path}: holds {len(labels)} labels but {images_path} holds "
            f"{len(images)} images"
        )
    if len(images) == 0:
        raise IDXError(f"{images_path}: holds no images")
    if not (
        _MIN_SIDE <= images.shape[1] <= _MAX_SIDE and _MIN_SIDE <= images.shape[2] <= _MAX_SIDE
    ):
        raise IDXError(
            f"{images_path}: images of {images.shape[1]}x{images.shape[2]} pixels; "
            f"each side must be {_MIN_SIDE} to {_MAX_SIDE}"
        )
    if labels.size and labels.max() > 9:
        raise IDXError(f"{labels_path}: labels must be digits 0-9, found {int(labels.max())}")
    return _pack(images / 255.0, labels, flatten, dtype)


def load_mnist(path, flatten: bool = True, dtype=None):
    """MNIST (or any dataset in its layout, e.g. Fashion-MNIST) from the four standard
    IDX files in folder ``path``, each gzipped or not. Pixels are scaled to [0, 1].

    A missing file raises ``FileNotFoundError``; a corrupt one raises :class:`IDXError`
    (a ``ValueError``) naming the file and what is wrong with it.
    """
    folder = os.fspath(path)
    if not os.path.isdir(folder):
        raise FileNotFoundError(f"MNIST folder not found: {folder}")
    files = {key: _find(folder, stems) for key, stems in _MNIST_NAMES.items()}
    train = _mnist_split(files["train_images"], files["train_labels"], flatten, dtype)
    test = _mnist_split(files["test_images"], files["test_labels"], flatten, dtype)
    return train, test
