"""cr.save / cr.load (safetensors): round trips, atomic writes, clear errors for files
that are not safetensors or are truncated, and never unpickling anything."""

import json
import os
import pickle

import numpy as np
import pytest

import chainrule as cr
from chainrule import nn, serialization
from chainrule.tensors.serialization import CheckpointError, load, load_metadata, save

pytest.importorskip("safetensors")


def _model():
    return nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.Linear(4, 2))


def test_one_save_and_load_under_every_public_name():
    assert cr.save is serialization.save is save
    assert cr.load is serialization.load is load


def test_round_trip_restores_a_model_exactly(tmp_path):
    cr.manual_seed(0)
    model = _model()
    model.train()
    model(cr.randn(5, 3))  # move the running statistics and num_batches_tracked
    path = tmp_path / "model.safetensors"
    save(model.state_dict(), path, metadata={"epoch": 3})
    loaded = load(path)
    assert list(loaded) == list(model.state_dict())  # the caller's key order is kept
    assert loaded["1.num_batches_tracked"].dtype == np.int64
    assert loaded["1.num_batches_tracked"].shape == ()
    assert load_metadata(path) == {"epoch": "3"}
    cr.manual_seed(1)
    other = _model()
    other.load_state_dict(loaded)
    for key, value in model.state_dict().items():
        np.testing.assert_array_equal(other.state_dict()[key].numpy(), value.numpy())


def test_dtypes_and_arrays(tmp_path):
    values = {
        "f32": np.arange(6, dtype=np.float32).reshape(2, 3),
        "i64": np.array([1, -2], dtype=np.int64),
        "bool": np.array([True, False]),
        "scalar": 2.5,
        "transposed": np.arange(6.0).reshape(2, 3).T,  # not contiguous
    }
    save(values, tmp_path / "x.safetensors")
    out = load(tmp_path / "x.safetensors")
    for key, value in values.items():
        np.testing.assert_array_equal(out[key].numpy(), np.asarray(value))
        assert out[key].dtype == np.asarray(value).dtype


def test_save_is_atomic_and_leaves_no_temporary_files(tmp_path, monkeypatch):
    path = tmp_path / "ck.safetensors"
    save({"a": np.ones(3)}, path)
    import chainrule.tensors.serialization as S

    def boom(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(S.os, "replace", boom)
    with pytest.raises(OSError, match="disk full"):
        save({"a": np.zeros(3)}, path)
    monkeypatch.undo()
    np.testing.assert_array_equal(load(path)["a"].numpy(), np.ones(3))  # old file intact
    assert os.listdir(tmp_path) == ["ck.safetensors"]


def test_bad_inputs_to_save(tmp_path):
    with pytest.raises(TypeError, match="'opt'.*dict"):
        save({"opt": {"lr": 1}}, tmp_path / "x.safetensors")
    with pytest.raises(TypeError, match="mapping"):
        save([np.ones(2)], tmp_path / "x.safetensors")
    with pytest.raises(FileNotFoundError, match="folder does not exist"):
        save({"a": np.ones(2)}, tmp_path / "missing" / "x.safetensors")


def test_truncated_and_foreign_files_raise_errors_naming_the_path(tmp_path):
    good = tmp_path / "good.safetensors"
    save({"w": np.arange(100.0)}, good)
    raw = good.read_bytes()
    cases = {
        "truncated.safetensors": raw[:-10],
        "header-cut.safetensors": raw[:20],
        "tiny.safetensors": raw[:3],
        "text.safetensors": b"hello, this is not a checkpoint at all",
        "json.safetensors": (5).to_bytes(8, "little") + b"[1,2]",
    }
    for name, content in cases.items():
        path = tmp_path / name
        path.write_bytes(content)
        with pytest.raises(CheckpointError) as info:
            load(path)
        assert str(path) in str(info.value), name
        assert isinstance(info.value, ValueError)
    with pytest.raises(FileNotFoundError):
        load(tmp_path / "nope.safetensors")


def test_a_pickle_is_rejected_and_never_executed(tmp_path):
    marker = tmp_path / "pwned"

    class Evil:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    path = tmp_path / "evil.safetensors"
    path.write_bytes(pickle.dumps(Evil()))
    with pytest.raises(CheckpointError, match="evil.safetensors"):
        load(path)
    assert not marker.exists()


def _with_header(header: dict, body: bytes = b"\0" * 8) -> bytes:
    raw = json.dumps(header).encode()
    return len(raw).to_bytes(8, "little") + raw + body


@pytest.mark.parametrize(
    "metadata", [[1, 2], {"epochs": 3}, "text"], ids=["list", "number", "string"]
)
def test_malformed_metadata_is_a_checkpoint_error_for_load_and_load_metadata(tmp_path, metadata):
    path = tmp_path / "meta.safetensors"
    entry = {"dtype": "F64", "shape": [1], "data_offsets": [0, 8]}
    path.write_bytes(_with_header({"__metadata__": metadata, "w": entry}))
    for read in (load, load_metadata):
        with pytest.raises(CheckpointError, match=r"meta\.safetensors.*__metadata__"):
            read(path)


def test_a_folder_is_named_as_such_for_save_and_load(tmp_path):
    folder = tmp_path / "ck.safetensors"
    folder.mkdir()
    with pytest.raises(IsADirectoryError, match=r"ck\.safetensors is a folder"):
        save({"a": np.ones(2)}, folder)
    with pytest.raises(IsADirectoryError, match=r"ck\.safetensors is a folder"):
        load(folder)
    assert os.listdir(tmp_path) == ["ck.safetensors"]  # no temporary file left behind


def test_a_checkpoint_gets_ordinary_file_permissions(tmp_path):
    """The temporary file is private (0o600); the checkpoint must not be: it gets what
    open() would give, or keeps the permissions of the file it replaces."""
    umask = os.umask(0o022)
    try:
        path = tmp_path / "new.safetensors"
        save({"a": np.ones(2)}, path)
        assert path.stat().st_mode & 0o777 == 0o644
        os.chmod(path, 0o640)
        save({"a": np.zeros(2)}, path)
        assert path.stat().st_mode & 0o777 == 0o640
    finally:
        os.umask(umask)
