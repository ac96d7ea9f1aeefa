"""Crafted checkpoint and IDX files are refused with the subsystem's error in a
fraction of a second and without allocating what they claim (traced peak < 100 MB)."""

import gzip
import json
import os
import struct

import pytest

pytest.importorskip("safetensors")

from chainrule.data.datasets import IDXError, read_idx  # noqa: E402
from chainrule.tensors.serialization import CheckpointError, load, load_metadata, save  # noqa: E402

from ._measure import cost  # noqa: E402

LIMIT = 100 * 2**20


def _checkpoint(path, header: bytes, data: bytes = b""):
    path.write_bytes(struct.pack("<Q", len(header)) + header + data)
    return path


CHECKPOINT_HEADERS = {
    "deep-brackets": b"[" * 100_000 + b"]" * 100_000,
    "infinite-offset": b'{"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, Infinity]}}',
    "duplicate-metadata": b'{"__metadata__": {}, "__metadata__": {"k": "v"}}',
    "huge-shape": b'{"a": {"dtype": "F64", "shape": [4294967296, 4294967296], '
    b'"data_offsets": [0, 8]}}',
    "many-empty-tensors": b"{"
    + b",".join(
        b'"t%d": {"dtype": "F32", "shape": [0], "data_offsets": [0, 0]}' % i for i in range(70_000)
    )
    + b"}",
}


@pytest.mark.parametrize("name", sorted(CHECKPOINT_HEADERS))
def test_crafted_checkpoints_are_refused_cheaply(tmp_path, name):
    path = _checkpoint(tmp_path / "ck.safetensors", CHECKPOINT_HEADERS[name], b"\0" * 8)
    for reader in (load, load_metadata):
        outcome, cpu, _, peak = cost(reader, path)
        assert isinstance(outcome, CheckpointError), outcome
        assert cpu < 1.0 and peak < LIMIT


def test_a_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "ck.safetensors"
    os.mkfifo(fifo)
    with pytest.raises(CheckpointError, match="not a regular file"):
        load(fifo)
    with pytest.raises(IDXError, match="not a regular file"):
        read_idx(fifo)


def test_reserved_names_are_refused_at_save_time(tmp_path):
    with pytest.raises(ValueError, match="reserved"):
        save({"__metadata__": __import__("numpy").ones(2)}, tmp_path / "x.safetensors")
    assert os.listdir(tmp_path) == []


def test_a_save_removes_the_temporaries_of_an_interrupted_one(tmp_path):
    path = tmp_path / "ck.safetensors"
    stale = tmp_path / ".ck.safetensors.tmp-killed.safetensors"
    stale.write_bytes(b"half a checkpoint")
    save({"a": __import__("numpy").ones(2)}, path)
    assert sorted(os.listdir(tmp_path)) == ["ck.safetensors"]
    assert json.dumps(list(load(path))) == '["a"]'


def test_an_idx_bomb_is_refused_before_it_is_decompressed(tmp_path):
    # claims 60000 images of 60000x60000 pixels, then 8 MB of zeros that gzip to 8 KB
    header = struct.pack(">HBBIII", 0, 8, 3, 60000, 60000, 60000)
    path = tmp_path / "bomb.gz"
    path.write_bytes(gzip.compress(header + b"\0" * 8 * 2**20))
    outcome, cpu, _, peak = cost(read_idx, path)
    assert isinstance(outcome, IDXError) and cpu < 1.0 and peak < LIMIT
    # an honest-looking small header with the same bomb behind it: read no further
    path.write_bytes(gzip.compress(struct.pack(">HBBI", 0, 8, 1, 4) + b"\0" * 64 * 2**20))
    outcome, cpu, _, peak = cost(read_idx, path)
    assert isinstance(outcome, IDXError) and "trailing" in str(outcome) and peak < LIMIT
