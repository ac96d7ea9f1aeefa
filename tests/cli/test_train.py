"""``chainrule train``: a short run trains and reports accuracy; checkpoints save and
resume exactly; bad input exits 2 with one line."""

import argparse

import numpy as np
import pytest

from chainrule.cli import main
from chainrule.cli import train as T

pytest.importorskip("safetensors")


def test_short_run_reports_accuracy_and_saves(tmp_path, capsys):
    ck = tmp_path / "run.safetensors"
    assert main(["train", "digits", "--epochs", "2", "--save", str(ck), "--plain"]) == 0
    out = capsys.readouterr().out
    assert "epoch   2/2" in out and "images/s" in out
    acc = float(out.split("test accuracy: ")[1].split("%")[0])
    assert acc > 70.0
    assert ck.exists()


def _args(**kw):
    base = dict(
        dataset="digits",
        model="cnn",
        epochs=3,
        hidden=16,
        lr=None,
        batch_size=64,
        seed=0,
        dtype=None,
        save=None,
        resume=None,
        data=None,
        plain=True,
    )
    base.update(kw)
    return argparse.Namespace(**base)


def test_an_interrupted_run_resumes_exactly(tmp_path, monkeypatch, capsys):
    full = tmp_path / "full.safetensors"
    part = tmp_path / "part.safetensors"
    assert T.run(_args(save=str(full))) == 0
    # the same run, interrupted after epoch 2 (the checkpoint is written every epoch)
    real_save = T.save_checkpoint

    def save_then_stop(path, model, optimizer, settings, epochs_done):
        real_save(path, model, optimizer, settings, epochs_done)
        if epochs_done == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr(T, "save_checkpoint", save_then_stop)
    with pytest.raises(KeyboardInterrupt):
        T.run(_args(save=str(part)))
    monkeypatch.undo()
    assert T.run(_args(model=None, hidden=None, resume=str(part), save=str(part))) == 0
    assert "resumed from" in capsys.readouterr().out
    a, b = T.load_checkpoint(str(full)), T.load_checkpoint(str(part))
    assert a[2] == b[2] == 3
    for key, value in a[0].items():
        np.testing.assert_allclose(b[0][key].numpy(), value.numpy(), rtol=1e-12, err_msg=key)


@pytest.mark.parametrize(
    "argv,message",
    [
        (["--epochs", "0"], "--epochs must be a positive integer"),
        (["--lr", "-1"], "--lr must be a positive number"),
        (["--save", "/no/such/folder/x.safetensors"], "folder does not exist"),
        (["--resume", "/no/such/file.safetensors"], "checkpoint not found"),
    ],
)
def test_bad_input_exits_2_with_one_line(argv, message, capsys):
    assert main(["train", "digits", *argv]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


def test_resume_rejects_foreign_or_mismatched_checkpoints(tmp_path, capsys):
    junk = tmp_path / "junk.safetensors"
    junk.write_bytes(b"not a checkpoint")
    assert main(["train", "digits", "--resume", str(junk)]) == 2
    assert "junk.safetensors" in capsys.readouterr().err
    ck = tmp_path / "mlp.safetensors"
    assert (
        main(["train", "digits", "--epochs", "1", "--hidden", "8", "--save", str(ck), "--plain"])
        == 0
    )
    capsys.readouterr()
    assert main(["train", "digits", "--resume", str(ck), "--model", "cnn"]) == 2
    assert "doesn't match the checkpoint's model (mlp)" in capsys.readouterr().err
    assert main(["train", "mnist", "--resume", str(ck)]) == 2
    assert "trained on digits" in capsys.readouterr().err
    assert main(["train", "mnist"]) == 2
    assert "--data" in capsys.readouterr().err


def test_a_diverging_run_stops_with_one_line_naming_the_batch(tmp_path, capsys):
    ck = tmp_path / "c.safetensors"
    argv = ["train", "digits", "--lr", "1e308", "--epochs", "2", "--plain", "--save", str(ck)]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "epoch 1, batch" in err and "smaller --lr" in err
    assert not ck.exists()  # nothing trained on NaNs is saved
