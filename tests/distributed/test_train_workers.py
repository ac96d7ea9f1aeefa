"""``chainrule train digits --workers 2``: launches mpiexec itself, prints one progress
report, writes one checkpoint, and ends where one process would; a mismatch with an
existing ``mpiexec -n N`` is an error naming the rank."""

import os
import subprocess
import sys

import numpy as np
import pytest

import chainrule as cr
from chainrule.cli import main
from tests.distributed._mpi import SRC, mpiexec

pytest.importorskip("safetensors")


def _chainrule(argv, launcher=()):
    env = dict(os.environ, PYTHONPATH=str(SRC))
    cmd = [*launcher, sys.executable, "-m", "chainrule", *argv]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=env)


def test_two_workers_train_like_one_process(tmp_path, capsys):
    mpiexec()  # the distributed extra must be installed
    argv = ["train", "digits", "--epochs", "1", "--hidden", "16", "--batch-size", "33", "--plain"]
    one, two = tmp_path / "one.safetensors", tmp_path / "two.safetensors"
    assert main([*argv, "--save", str(one)]) == 0
    capsys.readouterr()
    done = _chainrule([*argv, "--save", str(two), "--workers", "2"])
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("epoch   1/1") == 1 and done.stdout.count("saved checkpoint") == 1
    a, b = cr.load(str(one)), cr.load(str(two))
    assert set(a) == set(b)
    for key in a:
        assert np.max(np.abs(np.asarray(a[key]) - np.asarray(b[key]))) < 1e-10, key
    assert sorted(p.name for p in tmp_path.iterdir()) == ["one.safetensors", "two.safetensors"]


def test_workers_must_match_the_existing_mpiexec():
    done = _chainrule(
        ["train", "digits", "--epochs", "1", "--workers", "3", "--plain"],
        launcher=(mpiexec(), "-n", "2"),
    )
    assert done.returncode != 0
    assert "failed: --workers 3 but mpiexec started 2 processes" in done.stderr, done.stderr
    assert "rank 0 of 2" in done.stderr or "rank 1 of 2" in done.stderr


def test_workers_must_be_positive(capsys):
    assert main(["train", "digits", "--workers", "0"]) == 2
    assert "--workers must be a positive integer" in capsys.readouterr().err
