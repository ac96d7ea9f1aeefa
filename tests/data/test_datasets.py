"""The ready-made datasets: the digits split, and MNIST's IDX files read from small
files the tests write (gzipped and plain, valid and corrupt)."""

import gzip
import hashlib
import pathlib
import struct
import subprocess
import sys

import numpy as np
import pytest

from chainrule import data
from chainrule.data import datasets
from chainrule.data.datasets import IDXError, load_mnist, read_idx


def test_load_digits_split_and_shapes():
    train, test = data.datasets.load_digits()
    assert (len(train), len(test)) == (1438, 359)
    x, y = train.tensors
    assert x.shape == (1438, 64) and x.dtype == np.float32 and y.dtype == np.int64  # default
    assert 0.0 <= x.numpy().min() and x.numpy().max() == 1.0
    assert set(np.unique(y.numpy())) == set(range(10))
    train2, test2 = data.datasets.load_digits(flatten=False)
    assert train2.tensors[0].shape == (1438, 1, 8, 8)
    # the split is fixed: the same images every time, no overlap
    np.testing.assert_array_equal(train2.tensors[0].numpy().reshape(1438, 64), x.numpy())
    np.testing.assert_array_equal(test2.tensors[1].numpy(), test.tensors[1].numpy())


def _digest(t) -> str:
    return hashlib.sha256(np.ascontiguousarray(t.numpy()).tobytes()).hexdigest()[:16]


def test_load_digits_reads_the_shipped_file_with_the_same_arrays_as_always():
    # fingerprints of the split as scikit-learn's copy of the data gave it (float64
    # pixels / 16, int64 labels): the shipped file must reproduce it bit for bit
    train, test = data.datasets.load_digits(dtype=np.float64)
    digests = [_digest(t) for t in (*train.tensors, *test.tensors)]
    assert digests == [
        "fef6258db37fd3d7",
        "4d0aadf94d39e687",
        "e38b76088fab8f5f",
        "356b82d388a4a048",
    ]


def test_load_digits_needs_no_scikit_learn():
    code = "import sys; from chainrule import data; data.datasets.load_digits(); print('sklearn' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_the_digits_attribution_ships_beside_the_data():
    folder = pathlib.Path(datasets.__file__).parent
    text = (folder / "DIGITS-LICENSE.txt").read_text(encoding="utf-8")
    assert "CC BY 4.0" in text and "Alpaydin" in text and (folder / "digits.npz").is_file()


# -- MNIST IDX ---------------------------------------------------------------------------------
def _idx(array: np.ndarray, code: int = 0x08) -> bytes:
    header = struct.pack(">HBB", 0, code, array.ndim) + struct.pack(
        ">" + "I" * array.ndim, *array.shape
    )
    return header + array.astype(array.dtype.newbyteorder(">")).tobytes()


def _write_mnist(folder, gz: bool, n_train=6, n_test=4):
    rng = np.random.default_rng(0)
    files = {
        "train-images-idx3-ubyte": rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
        "train-labels-idx1-ubyte": rng.integers(0, 10, n_train, dtype=np.uint8),
        "t10k-images-idx3-ubyte": rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
        "t10k-labels-idx1-ubyte": rng.integers(0, 10, n_test, dtype=np.uint8),
    }
    for name, array in files.items():
        raw = _idx(array)
        if gz:
            (folder / (name + ".gz")).write_bytes(gzip.compress(raw))
        else:
            (folder / name).write_bytes(raw)
    return files


@pytest.mark.parametrize("gz", [False, True], ids=["plain", "gzip"])
def test_load_mnist_reads_idx_files(tmp_path, gz):
    files = _write_mnist(tmp_path, gz)
    train, test = load_mnist(tmp_path)
    assert (len(train), len(test)) == (6, 4)
    x, y = train.tensors
    assert x.shape == (6, 784) and y.dtype == np.int64
    np.testing.assert_allclose(x.numpy(), files["train-images-idx3-ubyte"].reshape(6, -1) / 255)
    np.testing.assert_array_equal(test.tensors[1].numpy(), files["t10k-labels-idx1-ubyte"])
    train, _ = load_mnist(tmp_path, flatten=False)
    assert train.tensors[0].shape == (6, 1, 28, 28)


def test_read_idx_other_types(tmp_path):
    arr = np.arange(12, dtype=np.int32).reshape(3, 4) - 5
    (tmp_path / "a.idx").write_bytes(_idx(arr, 0x0C))
    np.testing.assert_array_equal(read_idx(tmp_path / "a.idx"), arr)
    arr = np.linspace(0, 1, 5).astype(np.float32)
    (tmp_path / "b.idx").write_bytes(_idx(arr, 0x0D))
    np.testing.assert_array_equal(read_idx(tmp_path / "b.idx"), arr)


def _error_for_corrupt_test_images(tmp_path, corrupt) -> IDXError:
    """The error ``load_mnist`` raises once the test images' file holds ``corrupt`` of
    its bytes; it must name that file."""
    _write_mnist(tmp_path, gz=False)
    target = tmp_path / "t10k-images-idx3-ubyte"
    target.write_bytes(corrupt(target.read_bytes()))
    with pytest.raises(IDXError) as info:
        load_mnist(tmp_path)
    assert str(target) in str(info.value)
    return info.value


@pytest.mark.parametrize(
    "corrupt,message",
    [
        (lambda raw: raw[:-7], "truncated"),
        (lambda raw: raw + b"\x00\x00", "trailing bytes"),
        (lambda raw: b"\x01\x02" + raw[2:], "bad magic number"),
        (lambda raw: raw[:2] + b"\x42" + raw[3:], "bad magic number"),
        (lambda raw: raw[:10], "truncated header"),
        (lambda raw: b"", "too short"),
        (lambda raw: gzip.compress(raw)[:-12], "corrupt gzip"),
        (lambda raw: b"\x1f\x8b" + b"garbage" * 5, "corrupt gzip"),
    ],
    ids=["short-data", "extra-data", "magic", "type", "header", "empty", "gz-cut", "gz-bad"],
)
def test_corrupt_files_get_an_error_naming_the_file(tmp_path, corrupt, message):
    error = _error_for_corrupt_test_images(tmp_path, corrupt)
    assert message in str(error) and isinstance(error, ValueError)


def test_inconsistent_or_missing_mnist_files(tmp_path):
    _write_mnist(tmp_path, gz=True)
    labels = tmp_path / "train-labels-idx1-ubyte.gz"
    labels.write_bytes(gzip.compress(_idx(np.zeros(5, np.uint8))))
    with pytest.raises(IDXError, match="holds 5 labels but .* holds 6 images"):
        load_mnist(tmp_path)
    labels.write_bytes(gzip.compress(_idx(np.zeros((6, 2), np.uint8))))
    with pytest.raises(IDXError, match="expected 1-d label data"):
        load_mnist(tmp_path)
    labels.unlink()
    with pytest.raises(FileNotFoundError, match="train-labels-idx1-ubyte"):
        load_mnist(tmp_path)
    with pytest.raises(FileNotFoundError, match="folder not found"):
        load_mnist(tmp_path / "nowhere")


@pytest.mark.parametrize(
    "corrupt,message",
    [
        # a header whose sizes multiply to 2**64: no overflow may make it look consistent
        (lambda raw: struct.pack(">HBBIIII", 0, 8, 4, *(65536,) * 4), "truncated"),
        # MNIST is unsigned bytes: another type code (here float32) is a wrong magic
        (lambda raw: _idx(np.zeros((4, 28, 28), np.float32), 0x0D), "unsigned bytes"),
        (lambda raw: _idx(np.zeros((4, 28, 28), np.int8), 0x09), "unsigned bytes"),
    ],
    ids=["overflowing-sizes", "float-images", "signed-images"],
)
def test_headers_that_lie_about_the_data(tmp_path, corrupt, message):
    assert message in str(_error_for_corrupt_test_images(tmp_path, corrupt))
