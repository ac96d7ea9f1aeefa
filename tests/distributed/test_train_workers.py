"""``chainrule train digits --workers 2``: launches mpiexec itself, prints one progress
report, writes one checkpoint, and ends where one process would; a mismatch with an
existing ``mpiexec -n N`` is an error naming the rank."""

import os
import signal
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
    argv += ["--dtype", "float64"]  # compared to 1e-10 below: double precision
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


def test_workers_without_mpi4py_gives_the_install_command(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "mpi4py", None)
    assert main(["train", "digits", "--epochs", "1", "--workers", "2"]) == 2
    err = capsys.readouterr().err
    assert 'pip install "chainrule[distributed]"' in err and err.count("\n") == 1, err


def test_workers_must_be_positive(capsys):
    assert main(["train", "digits", "--workers", "0"]) == 2
    assert "--workers must be a positive integer" in capsys.readouterr().err


def _rank_process(marker: str, rank: int) -> int:
    """The pid of the worker of rank ``rank`` whose command line holds ``marker``."""
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                cmdline = f.read().decode(errors="replace")
            with open(f"/proc/{entry}/environ", "rb") as f:
                environ = f.read().decode(errors="replace").split("\0")
        except OSError:
            continue
        if marker in cmdline and f"PMI_RANK={rank}" in environ:
            return int(entry)
    raise AssertionError(f"no rank {rank} process running {marker}")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="finds the rank through /proc")
def test_a_killed_worker_ends_the_run_naming_its_rank():
    mpiexec()
    argv = ["train", "digits", "--epochs", "200", "--seed", "90417", "--workers", "2", "--plain"]
    env = dict(os.environ, PYTHONPATH=str(SRC))
    launcher = subprocess.Popen(
        [sys.executable, "-m", "chainrule", *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert "training MLP" in launcher.stdout.readline()  # the ranks are up
        os.kill(_rank_process("90417", 1), signal.SIGKILL)
        out, err = launcher.communicate(timeout=60)
    finally:
        launcher.kill()
    assert launcher.returncode == 2
    assert "failed (mpiexec exit status" in err and "rank 1 (9)" in err, err


def test_hydras_exit_code_line_is_read_in_rank_order():
    from chainrule.cli.train_workers import exit_codes

    assert exit_codes("[mpiexec@vm] Exit codes: [vm] 0,9\n") == [0, 9]
    assert exit_codes("[mpiexec@a] Exit codes: [a] 0,0 [b-1] 137,0") == [0, 0, 137, 0]
