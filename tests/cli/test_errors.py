"""The command line's contract for bad input, across subcommands: one line on stderr,
status 2, no traceback. Covers argparse's own errors (unknown flag, a value of the
wrong type), OS errors (unwritable or missing paths), messages that span lines, and
``chainrule train``'s checks that run before any training."""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from chainrule.cli import main
from chainrule.cli import train as T

SRC = Path(__file__).resolve().parents[2] / "src"


def _one_error_line(err: str, start: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(start) and "Traceback" not in err
    return lines[0]


@pytest.mark.parametrize(
    "argv,start,message",
    [
        (["train", "digits", "--epochs", "abc"], "chainrule train: error:", "invalid int"),
        (["train", "cifar"], "chainrule train: error:", "invalid choice: 'cifar'"),
        (["train", "digits", "--lr", "fast"], "chainrule train: error:", "invalid float"),
        (["diff", "x^2", "--format", "html"], "chainrule diff: error:", "invalid choice"),
        (["graph"], "chainrule graph: error:", "required"),
        (["demo", "--epochs", "1.5"], "chainrule demo: error:", "invalid int"),
        (["diff", "x^2", "--bogus"], "chainrule: error:", "unrecognized arguments: --bogus"),
        (["nope"], "chainrule: error:", "invalid choice: 'nope'"),
    ],
)
def test_malformed_command_lines_are_one_line_with_status_2(argv, start, message, capsys):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    captured = capsys.readouterr()
    line = _one_error_line(captured.err, start)
    assert message in line and "--help" in line
    assert captured.out == ""


def test_help_and_python_dash_m(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(SRC), "NO_COLOR": "1"}

    def run(*argv):
        return subprocess.run(
            [sys.executable, "-m", "chainrule", *argv],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
        )

    ok = run("train", "--help")
    assert ok.returncode == 0 and "--epochs" in ok.stdout and ok.stderr == ""
    bad = run("train", "digits", "--epochs", "abc")
    assert bad.returncode == 2 and bad.stdout == ""
    _one_error_line(bad.stderr, "chainrule train: error: argument --epochs")


@pytest.mark.parametrize(
    "exc,message",
    [
        (PermissionError(13, "Permission denied", "/out/run.safetensors"), "Permission denied"),
        (IsADirectoryError(21, "Is a directory", "/out"), "Is a directory: /out"),
        (OSError("No space left on device"), "No space left on device"),
        (ValueError("first line\n\tsecond line"), "first line second line"),
        (KeyError("settings"), "settings"),
    ],
    ids=["permission", "folder", "disk-full", "multi-line", "key"],
)
def test_errors_from_the_library_or_the_os_are_one_line(exc, message, monkeypatch, capsys):
    def fail(args):
        raise exc

    monkeypatch.setattr(T, "run", fail)
    assert main(["train", "digits"]) == 2
    line = _one_error_line(capsys.readouterr().err, "chainrule train: error: ")
    assert message in line


@pytest.mark.parametrize(
    "make_argv,message",
    [
        (lambda tmp: ["--save", str(tmp)], "is a folder; give a file name"),
        (lambda tmp: ["--save", str(tmp / "file.txt" / "x.safetensors")], "is not a folder"),
        (lambda tmp: ["--resume", str(tmp)], "is a folder, not a checkpoint file"),
        (lambda tmp: ["--seed", "-1"], "--seed must be 0 or more"),
    ],
    ids=["save-folder", "save-under-a-file", "resume-folder", "negative-seed"],
)
def test_train_checks_paths_and_values_before_training(make_argv, message, tmp_path, capsys):
    (tmp_path / "file.txt").write_text("x")
    assert main(["train", "digits", "--epochs", "1", *make_argv(tmp_path)]) == 2
    captured = capsys.readouterr()
    assert message in _one_error_line(captured.err, "chainrule train: error: ")
    assert captured.out == ""  # refused before loading data or training


def test_train_refuses_an_unwritable_save_folder_up_front(tmp_path, monkeypatch, capsys):
    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(T.tempfile, "mkstemp", denied)
    assert main(["train", "digits", "--save", str(tmp_path / "run.safetensors")]) == 2
    captured = capsys.readouterr()
    line = _one_error_line(captured.err, "chainrule train: error: --save: can't write to")
    assert "Permission denied" in line and captured.out == ""


def test_resume_from_a_checkpoint_with_damaged_settings(tmp_path, capsys):
    pytest.importorskip("safetensors")
    from chainrule.tensors.serialization import save

    path = tmp_path / "run.safetensors"
    meta = {
        "format": "chainrule-train-v1",
        "settings": '{"dataset": "digits"}',
        "param_groups": "[]",
    }
    save({"model.w": np.zeros(1)}, path, metadata={**meta, "epochs_done": "1"})
    assert main(["train", "digits", "--resume", str(path)]) == 2
    line = _one_error_line(capsys.readouterr().err, "chainrule train: error: ")
    assert "run.safetensors: damaged checkpoint metadata" in line and "model" in line
    save({"model.w": np.zeros(1)}, path, metadata={**meta, "epochs_done": "one"})
    assert main(["train", "digits", "--resume", str(path)]) == 2
    assert "damaged checkpoint metadata" in capsys.readouterr().err


def test_at_refuses_a_variable_given_twice():
    from chainrule.cli._common import CLIError, parse_assignments

    assert parse_assignments(["x=1", "y=2.5"]) == {"x": 1.0, "y": 2.5}
    assert parse_assignments(["x=1,y=2"]) == {"x": 1.0, "y": 2.0}
    with pytest.raises(CLIError, match="x twice"):
        parse_assignments(["x=1", "x=2"])
