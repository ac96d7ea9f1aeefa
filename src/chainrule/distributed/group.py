"""The process group: which MPI processes take part, and who this one is.

``init_process_group(backend="mpi")`` starts MPI through mpi4py (an optional extra:
``pip install "chainrule[distributed]"``, which brings its own MPI from PyPI). Every other
function of :mod:`chainrule.distributed` needs it to have been called first and says so
otherwise, naming the fix.

A rank that raises an uncaught exception must not leave the others waiting forever in
a collective: once the group is started, such an exception prints the rank and the
traceback and calls ``MPI_Abort``, and ``mpiexec`` then ends every process of the job.
"""

from __future__ import annotations

import sys
import traceback

INSTALL = 'pip install "chainrule[distributed]"'

_state: dict = {"comm": None, "previous_hook": None}


def _mpi():
    """mpi4py's ``MPI`` module, or an ImportError that says how to install it."""
    try:
        from mpi4py import MPI
    except ImportError as exc:
        raise ImportError(
            f"chainrule.distributed needs mpi4py and an MPI library ({exc}); install both "
            f"from PyPI with: {INSTALL}"
        ) from None
    return MPI


def init_process_group(backend: str = "mpi", **unused) -> None:
    """Join the group of processes started by ``mpiexec -n N`` (one process alone is a
    group of one). Only the ``"mpi"`` backend exists; PyTorch's ``init_method``,
    ``world_size`` and ``rank`` arguments are accepted and ignored, as MPI knows them."""
    if backend != "mpi":
        raise ValueError(f"init_process_group: unknown backend {backend!r}; only 'mpi' exists")
    if _state["comm"] is not None:
        raise RuntimeError("init_process_group: the process group is already initialized")
    MPI = _mpi()
    _state["comm"] = MPI.COMM_WORLD.Dup()
    _state["previous_hook"] = sys.excepthook
    sys.excepthook = _abort_on_exception


def _abort_on_exception(kind, value, tb) -> None:
    """An uncaught exception on one rank ends the whole job, naming the rank."""
    comm = _state["comm"]
    rank = comm.Get_rank() if comm is not None else "?"
    text = "".join(traceback.format_exception(kind, value, tb))
    sys.stderr.write(f"chainrule.distributed: rank {rank} failed:\n{text}")
    sys.stderr.flush()
    if comm is not None and comm.Get_size() > 1:
        _mpi().COMM_WORLD.Abort(1)


def is_initialized() -> bool:
    return _state["comm"] is not None


def is_available() -> bool:
    """Whether mpi4py (and so an MPI library) can be imported."""
    try:
        _mpi()
    except ImportError:
        return False
    return True


def comm():
    """The group's communicator; a clear error when the group was never started."""
    c = _state["comm"]
    if c is None:
        _mpi()  # a missing mpi4py is the first thing to fix
        raise RuntimeError(
            "chainrule.distributed: the default process group is not initialized; call "
            'chainrule.distributed.init_process_group(backend="mpi") first'
        )
    return c


def get_rank() -> int:
    return comm().Get_rank()


def get_world_size() -> int:
    return comm().Get_size()


def destroy_process_group() -> None:
    """Leave the group (MPI itself stays up until the process exits, as mpi4py does)."""
    c = comm()
    c.Free()
    _state["comm"] = None
    if _state["previous_hook"] is not None:
        sys.excepthook = _state["previous_hook"]
        _state["previous_hook"] = None
