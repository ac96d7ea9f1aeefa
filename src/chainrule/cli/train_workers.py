"""``chainrule train ... --workers N``: the same training over N MPI processes.

Run from a shell, the command starts ``mpiexec -n N`` itself (the ``mpiexec`` that the
``distributed`` extra installs next to Python) on the same command line; run under an
existing ``mpiexec -n N``, each process joins the group directly. Every process builds
the same model (rank 0's weights are broadcast anyway) and walks the same shuffled
batches; each takes its share of every batch (rank ``r`` takes rows ``r, r+N, ...``),
and ``DistributedDataParallel`` averages the gradients, weighted so that the update is
exactly the one-process update on the whole batch (up to rounding). Only rank 0
prints (one progress bar) and writes the checkpoint; an error on any rank ends the
whole job, naming the rank.
"""

from __future__ import annotations

import os
import pathlib
import re
import shutil
import subprocess
import sys
import traceback

from chainrule.cli._common import CLIError
from chainrule.distributed.group import INSTALL

# set by the launchers of MPICH (PMI), Open MPI and PMIx
_LAUNCHER_VARS = ("PMI_RANK", "PMI_SIZE", "OMPI_COMM_WORLD_SIZE", "PMIX_RANK")
_FORWARDED = (
    "model",
    "epochs",
    "hidden",
    "lr",
    "batch_size",
    "seed",
    "dtype",
    "save",
    "resume",
    "data",
)


def dispatch(args, train) -> int:
    """Run ``train(args, workers)`` here (``workers`` None without ``--workers``),
    launch ``mpiexec``, or run as one rank of a group."""
    n = getattr(args, "workers", None)
    if n is not None and n < 1:
        raise CLIError("--workers must be a positive integer")
    if not any(v in os.environ for v in _LAUNCHER_VARS):
        return train(args, None) if n in (None, 1) else _launch(args, n)
    return _as_rank(args, n, train)


def _mpiexec() -> str:
    local = pathlib.Path(sys.executable).parent / "mpiexec"
    found = str(local) if local.exists() else shutil.which("mpiexec")
    if not found:
        raise CLIError(f"training with --workers needs MPI's mpiexec; install it with: {INSTALL}")
    return found


def _command_line(args) -> list[str]:
    argv = ["train", args.dataset, "--workers", str(args.workers)]
    for name in _FORWARDED:
        value = getattr(args, name, None)
        if value is not None:
            argv += [f"--{name.replace('_', '-')}", str(value)]
    return argv + (["--plain"] if args.plain else [])


def _launch(args, n: int) -> int:
    try:
        import mpi4py  # noqa: F401  (fail here, with the install command, not in N ranks)
    except ImportError:
        raise CLIError(
            f"training with --workers needs mpi4py; install it with: {INSTALL}"
        ) from None
    mpiexec = _mpiexec()
    hydra = _is_hydra(mpiexec)
    flags = ["-print-all-exitcodes"] if hydra else []
    cmd = [mpiexec, *flags, "-n", str(n), sys.executable, "-m", "chainrule", *_command_line(args)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    codes = None
    for line in proc.stdout:  # passed on as it comes, but for hydra's exit-code line
        if hydra and "Exit codes:" in line:
            codes = exit_codes(line)
        else:
            sys.stdout.write(line)
            sys.stdout.flush()
    code = proc.wait()
    if code != 0:
        failed = [f"rank {r} ({c})" for r, c in enumerate(codes or []) if c != 0]
        which = f"; exit status by rank: {', '.join(failed)}" if failed else ""
        raise CLIError(f"training over {n} workers failed (mpiexec exit status {code}{which})")
    return 0


def _is_hydra(mpiexec: str) -> bool:
    """Whether ``mpiexec`` is MPICH's (Hydra), which can report each rank's exit code."""
    try:
        out = subprocess.run([mpiexec, "--version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return "HYDRA" in out.stdout


def exit_codes(line: str) -> list[int]:
    """The ranks' exit codes from Hydra's ``[mpiexec@host] Exit codes: [host] 0,9`` line
    (hosts listed in rank order)."""
    listed = re.sub(r"\[[^\]]*\]", " ", line.split("Exit codes:", 1)[1])
    return [int(x) for x in re.findall(r"-?\d+", listed)]


class Workers:
    """This process's place in the group, and what the training loop asks of it."""

    def __init__(self, rank: int, size: int):
        self.rank, self.size = rank, size

    def wrap(self, model):
        from chainrule.nn.parallel import DistributedDataParallel

        return DistributedDataParallel(model)

    def share(self, images, labels):
        """This rank's rows of a batch, and the factor for their summed loss that
        makes the gradient averaged over the ranks the whole batch's mean gradient:
        N / (rows in the batch). A rank may get no rows (a short last batch)."""
        mine = slice(self.rank, len(labels), self.size)
        return images[mine], labels[mine], self.size / len(labels)


def _as_rank(args, n, train) -> int:
    from chainrule import distributed as dist

    try:
        dist.init_process_group(backend="mpi")
    except ImportError as exc:
        raise CLIError(str(exc)) from None
    rank, size = dist.get_rank(), dist.get_world_size()
    try:
        if n is not None and n != size:
            raise CLIError(f"--workers {n} but mpiexec started {size} processes")
        if rank != 0:  # one progress bar and one checkpoint writer: rank 0
            args.save = None
            sys.stdout = open(os.devnull, "w")  # for the rest of the process's life
        else:  # mpiexec's pipe is no terminal: show each line as it comes
            sys.stdout.reconfigure(line_buffering=True)
        code = train(args, Workers(rank, size))
        dist.barrier()
    except BaseException as exc:  # any error must end every rank
        if isinstance(exc, CLIError):
            message = str(exc)
        else:
            message = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        sys.stderr.write(f"chainrule train: rank {rank} of {size} failed: {message}\n")
        sys.stderr.flush()
        from mpi4py import MPI

        MPI.COMM_WORLD.Abort(2)
    dist.destroy_process_group()
    return code
