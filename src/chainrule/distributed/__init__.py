"""``chainrule.distributed``: data-parallel training over MPI processes, with PyTorch's
``torch.distributed`` names.

Start a group with ``init_process_group(backend="mpi")`` in a program run by
``mpiexec -n N python train.py``; then ``get_rank``/``get_world_size`` say who is who,
and the collectives (``all_reduce``, ``broadcast``, ``all_gather``, ``barrier``) move
arrays, Tensors and pytrees between the processes. ``nn.parallel.DistributedDataParallel``
and ``data.DistributedSampler`` build data-parallel training on these. MPI comes from
pip (``pip install "chainrule[distributed]"``): mpi4py is imported only when a group is
started, so ``import chainrule`` stays NumPy-only. See docs/distributed.md.
"""

from chainrule.distributed.collectives import (
    ReduceOp,
    all_gather,
    all_reduce,
    barrier,
    broadcast,
)
from chainrule.distributed.group import (
    destroy_process_group,
    get_rank,
    get_world_size,
    init_process_group,
    is_available,
    is_initialized,
)

__all__ = [
    "ReduceOp",
    "all_gather",
    "all_reduce",
    "barrier",
    "broadcast",
    "destroy_process_group",
    "get_rank",
    "get_world_size",
    "init_process_group",
    "is_available",
    "is_initialized",
]
