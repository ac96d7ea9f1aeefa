"""Checkpoints of ``chainrule train``: the model's state_dict, Adam's state and the
run's settings in one safetensors file (written atomically by :func:`save_checkpoint`),
read back and checked by :func:`load_checkpoint`, and put back into a rebuilt model and
optimizer by :func:`restore`."""

from __future__ import annotations

import json
import math

from chainrule.cli._common import CLIError
from chainrule.serialization import load, load_metadata, save

# measured on digits (seeds 0-4): MLP 97.77-98.05%, CNN 98.05-98.89% test accuracy
DEFAULT_LR = {"mlp": 3e-3, "cnn": 3e-3}
MAX_HIDDEN = 100_000  # also the bound on --epochs and --batch-size


def save_checkpoint(path: str, model, optimizer, settings: dict, epochs_done: int) -> None:
    """Model and optimizer state in one safetensors file; settings as metadata."""
    tensors = {f"model.{k}": v for k, v in model.state_dict().items()}
    state = optimizer.state_dict()
    for index, entries in state["state"].items():
        for name, value in entries.items():
            tensors[f"optim.state.{index}.{name}"] = value
    meta = {
        "format": "chainrule-train-v1",
        "settings": json.dumps(settings),
        "epochs_done": str(epochs_done),
        "param_groups": json.dumps(state["param_groups"]),
    }
    save(tensors, path, metadata=meta)


def load_checkpoint(path: str):
    """(tensors, settings, epochs_done, param_groups) from a ``--save`` file."""
    try:
        tensors = load(path)
        meta = load_metadata(path)
    except FileNotFoundError:
        raise CLIError(f"checkpoint not found: {path}") from None
    except ValueError as exc:
        raise CLIError(str(exc)) from None
    if meta.get("format") != "chainrule-train-v1":
        raise CLIError(f"{path}: not a checkpoint written by `chainrule train --save`")
    try:
        settings = json.loads(meta["settings"])
        done = int(meta["epochs_done"])
        param_groups = json.loads(meta["param_groups"])
        missing = [k for k in _SETTINGS if k not in settings]
    except (KeyError, TypeError, ValueError) as exc:
        raise CLIError(f"{path}: damaged checkpoint metadata ({exc!r})") from None
    if missing:
        raise CLIError(f"{path}: damaged checkpoint metadata (no {', '.join(missing)})")
    _check_saved(path, settings, done, param_groups)
    return tensors, settings, done, param_groups


def _check_saved(path: str, settings: dict, done, param_groups) -> None:
    """The checkpoint's settings within what the command line would accept."""
    whole = {k: settings[k] for k in ("hidden", "batch_size", "seed")} | {"epochs done": done}
    bad = [k for k, v in whole.items() if type(v) is not int or not 0 <= v <= MAX_HIDDEN]
    lr = settings["lr"]
    if not isinstance(lr, float | int) or isinstance(lr, bool) or not 0 < lr < math.inf:
        bad.append("lr")
    if settings.get("dtype", "float64") not in ("float32", "float64"):
        bad.append("dtype")
    if settings["model"] not in DEFAULT_LR or not (
        isinstance(param_groups, list) and all(isinstance(g, dict) for g in param_groups)
    ):
        bad.append("model or param_groups")
    if bad:
        raise CLIError(f"{path}: damaged checkpoint metadata (bad {', '.join(bad)})")


_SETTINGS = ("dataset", "model", "hidden", "lr", "batch_size", "seed")


def restore(path, model, optimizer, tensors, param_groups) -> None:
    model_state = {k[len("model.") :]: v for k, v in tensors.items() if k.startswith("model.")}
    try:
        model.load_state_dict(model_state)
    except RuntimeError as exc:
        raise CLIError(f"{path}: {exc}".replace("\n\t", " ")) from None
    state: dict = {}
    for key, value in tensors.items():
        if key.startswith("optim.state."):
            index, name = key[len("optim.state.") :].split(".", 1)
            state.setdefault(int(index), {})[name] = value
    for group in param_groups:
        if "betas" in group:
            group["betas"] = tuple(group["betas"])
    optimizer.load_state_dict({"state": state, "param_groups": param_groups})
