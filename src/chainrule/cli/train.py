"""``chainrule train digits``: train a classifier with ``nn`` + ``optim`` + ``data``.

Examples::

    chainrule train digits                       # MLP 64-128-10, Adam, 20 epochs
    chainrule train digits --model cnn           # a small CNN (two conv blocks), 30 epochs
    chainrule train digits --epochs 5 --save run.safetensors
    chainrule train digits --epochs 10 --resume run.safetensors   # 5 more epochs
    chainrule train mnist --data ~/mnist --model cnn              # IDX files you have
    chainrule train digits --dtype float64       # double precision (default: float32)

Shows a progress bar (``rich`` when installed and writing to a terminal, else one plain
line per epoch) with the loss, accuracies and speed, then the final test accuracy.

Training uses Adam with a cosine decay of the learning rate over ``--epochs``.

A checkpoint (``--save``, rewritten atomically after every epoch) is one safetensors file
holding the model's state_dict under ``model.*``, Adam's state under ``optim.*`` and,
as metadata, the settings and the number of epochs done. ``--resume`` rebuilds the same
model, restores all of that and continues up to ``--epochs`` in total. Each epoch's
shuffle is seeded by (seed, epoch) and the learning rate is a function of (epoch,
total), so a run interrupted and resumed with the same ``--epochs`` ends exactly where
the uninterrupted run would; resuming with a larger ``--epochs`` continues training
on the cosine schedule of the new total.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import tempfile
import time

import numpy as np

import chainrule as cr
from chainrule import data, nn, optim
from chainrule.cli import train_workers
from chainrule.cli._common import CLIError
from chainrule.cli.train_checkpoint import (
    DEFAULT_LR,
    MAX_HIDDEN,
    load_checkpoint,
    restore,
    save_checkpoint,
)
from chainrule.nn import functional as F

DEFAULT_EPOCHS = {"mlp": 20, "cnn": 30}


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "train",
        help="train an MLP or a small CNN on handwritten digits",
        description="Train a classifier on the 8x8 handwritten digits shipped with "
        "chainrule (or on MNIST IDX files you have), with a progress bar.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("dataset", choices=("digits", "mnist"), help="the dataset to train on")
    p.add_argument("--model", choices=("mlp", "cnn"), default=None, help="default: mlp")
    p.add_argument(
        "--epochs", type=int, default=None, help="total epochs (default: 20 mlp, 30 cnn)"
    )
    p.add_argument("--hidden", type=int, default=None, help="hidden units (default: 128)")
    p.add_argument(
        "--lr", type=float, default=None, help="Adam's peak learning rate (default: 3e-3)"
    )
    p.add_argument("--batch-size", type=int, default=32, help="default: 32")
    p.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    p.add_argument(
        "--dtype",
        choices=("float32", "float64"),
        default=None,
        help="precision of the data and the model (default: float32, as PyTorch's)",
    )
    p.add_argument(
        "--save", metavar="PATH", help="write a checkpoint (safetensors) after every epoch"
    )
    p.add_argument("--resume", metavar="PATH", help="continue from a checkpoint")
    p.add_argument("--data", metavar="DIR", help="folder with the MNIST IDX files (mnist only)")
    p.add_argument("--plain", action="store_true", help="plain progress lines even in a terminal")
    p.add_argument(
        "--workers",
        type=int,
        default=None,
        metavar="N",
        help="train over N MPI processes (see docs/distributed.md)",
    )
    p.set_defaults(func=run)


# -- models --
def build_model(kind: str, hidden: int, image_shape: tuple, classes: int = 10, dtype=None):
    """``mlp``: Linear-ReLU-Linear. ``cnn``: two (conv 3x3, ReLU, max-pool 2) blocks,
    then Linear-ReLU-Linear. Parameters in ``dtype`` (default: the default dtype)."""
    c, h, w = image_shape
    if kind == "mlp":
        return nn.Sequential(
            nn.Linear(c * h * w, hidden, dtype=dtype),
            nn.ReLU(),
            nn.Linear(hidden, classes, dtype=dtype),
        )
    return nn.Sequential(
        nn.Conv2d(c, 16, 3, padding=1, dtype=dtype),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1, dtype=dtype),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(32 * (h // 4) * (w // 4), hidden, dtype=dtype),
        nn.ReLU(),
        nn.Linear(hidden, classes, dtype=dtype),
    )


def _load_data(args, flatten: bool, dtype):
    if args.dataset == "digits":
        try:
            return data.datasets.load_digits(flatten=flatten, dtype=dtype), (1, 8, 8)
        except ImportError as exc:
            raise CLIError(str(exc)) from None
    if not args.data:
        raise CLIError("mnist needs --data DIR, the folder holding the four IDX files")
    train, test = data.datasets.load_mnist(args.data, flatten=flatten, dtype=dtype)
    shape = tuple(train.tensors[0].shape[1:])
    return (train, test), (1, 1, shape[0]) if flatten else shape


# -- progress --
class _Progress:
    """Per-batch progress: a rich bar in a terminal, else one plain line per epoch."""

    def __init__(self, plain: bool):
        self._rich = None
        if not plain and sys.stdout.isatty():
            try:
                from rich.progress import (
                    BarColumn,
                    MofNCompleteColumn,
                    Progress,
                    TextColumn,
                    TimeElapsedColumn,
                )
            except ImportError:
                pass
            else:
                self._rich = Progress(
                    TextColumn("{task.description}"),
                    BarColumn(),
                    MofNCompleteColumn(),
                    TextColumn("{task.fields[status]}"),
                    TimeElapsedColumn(),
                )

    def __enter__(self):
        if self._rich is not None:
            self._rich.__enter__()
        return self

    def __exit__(self, *exc):
        if self._rich is not None:
            self._rich.__exit__(*exc)
        return False

    def start_epoch(self, label: str, batches: int) -> None:
        if self._rich is not None:
            self._task = self._rich.add_task(label, total=batches, status="")

    def batch(self, status: str) -> None:
        if self._rich is not None:
            self._rich.update(self._task, advance=1, status=status)

    def end_epoch(self, line: str) -> None:
        if self._rich is not None:  # the finished bar becomes a summary line
            self._rich.remove_task(self._task)
            self._rich.console.print(line, highlight=False)
        else:
            print(line, flush=True)


def _accuracy(model, dataset, batch_size: int = 512) -> float:
    images, labels = dataset.tensors
    model.eval()
    correct = 0
    with cr.no_grad():
        for start in range(0, len(dataset), batch_size):
            logits = model(images[start : start + batch_size]).numpy()
            correct += int(
                (np.argmax(logits, axis=1) == labels.numpy()[start : start + batch_size]).sum()
            )
    return correct / max(len(dataset), 1)


# -- the command --
def _check(args) -> None:
    for name in ("epochs", "hidden", "batch_size"):
        if getattr(args, name) is not None and not 1 <= getattr(args, name) <= MAX_HIDDEN:
            raise CLIError(
                f"--{name.replace('_', '-')} must be a positive integer, at most {MAX_HIDDEN}"
            )
    if args.lr is not None and not (args.lr > 0 and math.isfinite(args.lr)):
        raise CLIError(f"--lr must be a positive number, got {args.lr}")
    if args.seed < 0:
        raise CLIError(f"--seed must be 0 or more, got {args.seed}")
    if args.save:
        _check_writable(args.save)
    if args.resume and os.path.isdir(args.resume):
        raise CLIError(f"--resume: {args.resume} is a folder, not a checkpoint file")
    if args.resume and not os.path.isfile(args.resume):
        raise CLIError(f"--resume: checkpoint not found: {args.resume}")


def _check_writable(path: str) -> None:
    """Fail before training, not after the first epoch, when ``--save`` can't be
    written: a missing folder, a folder given as the file, or no permission."""
    folder = os.path.dirname(os.path.abspath(path))
    if os.path.exists(folder) and not os.path.isdir(folder):
        raise CLIError(f"--save: {folder} is not a folder")
    if not os.path.isdir(folder):
        raise CLIError(f"--save: folder does not exist: {folder}")
    if os.path.isdir(path):
        raise CLIError(f"--save: {path} is a folder; give a file name")
    try:  # the checkpoint is written through a temporary file in the same folder
        fd, probe = tempfile.mkstemp(prefix=".tmp-", dir=folder)
    except OSError as exc:
        raise CLIError(f"--save: can't write to {folder}: {exc.strerror or exc}") from None
    os.close(fd)
    os.unlink(probe)


def run(args: argparse.Namespace) -> int:
    _check(args)
    return train_workers.dispatch(args, _train)


def _train(args: argparse.Namespace, workers) -> int:
    """The training; ``workers`` (None for one process) shares each batch out among
    the MPI ranks (see :mod:`chainrule.cli.train_workers`)."""
    settings, total, done, checkpoint = _settings(args)
    dtype = np.dtype(settings["dtype"])
    (train, test), shape = _load_data(args, settings["model"] == "mlp", dtype)
    cr.manual_seed(settings["seed"])
    model = build_model(settings["model"], settings["hidden"], shape, dtype=dtype)
    net = model if workers is None else workers.wrap(model)
    opt = optim.Adam(model.parameters(), lr=settings["lr"])
    if checkpoint is not None:
        restore(args.resume, model, opt, *checkpoint)
        print(f"resumed from {args.resume} after {done} epoch(s)")
    settings["epochs"] = total
    name = f"{settings['model'].upper()} on {settings['dataset']}"
    what = f"epochs {done + 1}-{total}" if done < total else f"all {total} epochs already done"
    print(
        f"training {name}: {len(train)} train / {len(test)} test images, "
        f"{sum(p.numel() for p in model.parameters()):,} parameters, {what}"
    )
    with _Progress(args.plain) as progress:
        for epoch in range(done, total):
            _train_epoch((model, net, workers), opt, (train, test), settings, epoch, progress)
            if args.save:
                save_checkpoint(args.save, model, opt, settings, epoch + 1)
    acc = _accuracy(model, test)
    print(f"test accuracy: {100 * acc:.2f}% ({round(acc * len(test))}/{len(test)})")
    if args.save:
        if done >= total:  # nothing trained in this run: still write the checkpoint
            save_checkpoint(args.save, model, opt, settings, done)
        print(f"saved checkpoint to {args.save}")
    return 0


def _settings(args) -> tuple[dict, int, int, tuple | None]:
    """``(settings, total epochs, epochs done, checkpoint)``: from the command line, or
    from ``--resume``'s checkpoint (then ``checkpoint`` is its tensors and Adam's
    param_groups, else None)."""
    model_kind = args.model or "mlp"
    settings = {
        "dataset": args.dataset,
        "model": model_kind,
        "hidden": args.hidden or 128,
        "lr": args.lr if args.lr is not None else DEFAULT_LR[model_kind],
        "batch_size": args.batch_size,
        "seed": args.seed,
        "dtype": args.dtype or "float32",
    }
    if not args.resume:
        return settings, args.epochs or DEFAULT_EPOCHS[model_kind], 0, None
    tensors, saved, done, param_groups = load_checkpoint(args.resume)
    if saved["dataset"] != args.dataset:
        raise CLIError(f"the checkpoint was trained on {saved['dataset']}, not {args.dataset}")
    saved.setdefault("dtype", "float64")  # checkpoints from before --dtype were float64
    for key in ("model", "hidden", "dtype"):
        given = getattr(args, key)
        if given is not None and given != saved[key]:
            raise CLIError(f"--{key} {given} doesn't match the checkpoint's {key} ({saved[key]})")
    total = args.epochs or max(saved.get("epochs", done), done)
    return saved, total, done, (tensors, param_groups)


def _train_epoch(models, opt, datasets, settings: dict, epoch: int, progress) -> None:
    """One epoch of Adam over the shuffled training set, then a line with the loss,
    the accuracies and the speed. The learning rate follows a cosine decay over all
    epochs, as a function of the epoch (so that a resumed run continues the same
    schedule), and the shuffle is seeded by (seed, epoch). ``models`` is the model,
    what runs the forward pass (the model, or its DistributedDataParallel wrapper) and
    the workers sharing each batch (None in one process)."""
    model, net, workers = models
    train, test = datasets
    total = settings["epochs"]
    for group in opt.param_groups:
        group["lr"] = settings["lr"] * 0.5 * (1 + math.cos(math.pi * epoch / total))
    loader = data.DataLoader(
        train,
        batch_size=settings["batch_size"],
        shuffle=True,
        generator=np.random.default_rng([settings["seed"], epoch]),
    )
    progress.start_epoch(f"epoch {epoch + 1}/{total}", len(loader))
    model.train()
    t0 = time.perf_counter()
    seen = correct = 0
    loss_sum = 0.0
    for batch, (images, labels) in enumerate(loader, 1):
        scale = 1 / len(labels)  # of the summed loss: the batch mean's gradient
        if workers is not None:
            images, labels, scale = workers.share(images, labels)
        # a diverging run overflows inside the ops: it is stopped below in words, not
        # with NumPy's warnings
        with np.errstate(all="ignore"):
            logits = net(images)
            loss = F.cross_entropy(logits, labels, reduction="sum")
        if not math.isfinite(float(loss)):
            raise CLIError(
                f"the loss is {float(loss)} at epoch {epoch + 1}, batch {batch}: training "
                f"diverged; try a smaller --lr (this run used {settings['lr']:g})"
            )
        opt.zero_grad()
        with np.errstate(all="ignore"):
            (loss * scale).backward()
            opt.step()
        n = len(labels)
        seen += n
        loss_sum += float(loss)
        correct += int((np.argmax(logits.detach().numpy(), axis=1) == labels.numpy()).sum())
        rate = seen / max(time.perf_counter() - t0, 1e-9)
        progress.batch(f"loss {loss_sum / seen:.4f}  {rate:,.0f} images/s")
    elapsed = time.perf_counter() - t0
    test_acc = _accuracy(model, test)
    progress.end_epoch(
        f"epoch {epoch + 1:>3}/{total}  loss {loss_sum / seen:.4f}  "
        f"train acc {100 * correct / seen:5.1f}%  test acc {100 * test_acc:5.1f}%  "
        f"{seen / elapsed:,.0f} images/s"
    )
