"""``data.DistributedSampler``: each rank's share of a dataset's indices, with
PyTorch's semantics.

The (optionally shuffled) index list is padded by repeating its start until it splits
evenly over ``num_replicas`` ranks (or, with ``drop_last``, cut to a multiple of
``num_replicas``), and rank ``r`` takes every ``num_replicas``-th index from ``r``. All
ranks draw the same permutation: it is seeded by ``seed + epoch``, so call
``set_epoch(epoch)`` at the start of each epoch to get a new order.

The permutation comes from NumPy's ``default_rng(seed + epoch)``, so the orders differ
from PyTorch's (which uses its own generator); the shares and their sizes are the same.
"""

from __future__ import annotations

import math

import numpy as np

from chainrule.distributed import get_rank, get_world_size


class DistributedSampler:
    """Iterate over this rank's indices of ``dataset``; ``len()`` is the share's size.
    ``num_replicas`` and ``rank`` default to the process group's."""

    def __init__(
        self,
        dataset,
        num_replicas: int | None = None,
        rank: int | None = None,
        shuffle: bool = True,
        seed: int = 0,
        drop_last: bool = False,
    ):
        if num_replicas is None:
            num_replicas = get_world_size()
        if rank is None:
            rank = get_rank()
        if isinstance(num_replicas, bool) or not isinstance(num_replicas, int) or num_replicas < 1:
            raise ValueError(f"num_replicas must be a positive integer, got {num_replicas!r}")
        if isinstance(rank, bool) or not isinstance(rank, int) or not 0 <= rank < num_replicas:
            raise ValueError(
                f"Invalid rank {rank!r}, rank should be in the interval [0, {num_replicas - 1}]"
            )
        self.dataset = dataset
        self.num_replicas = num_replicas
        self.rank = rank
        self.shuffle = shuffle
        self.seed = seed
        self.drop_last = drop_last
        self.epoch = 0
        n = len(dataset)
        if drop_last:
            self.num_samples = n // num_replicas
        else:
            self.num_samples = math.ceil(n / num_replicas)
        self.total_size = self.num_samples * num_replicas

    def set_epoch(self, epoch: int) -> None:
        """Reseed the shuffle for ``epoch`` (the same on every rank)."""
        self.epoch = epoch

    def __iter__(self):
        n = len(self.dataset)
        if self.shuffle:
            indices = np.random.default_rng(self.seed + self.epoch).permutation(n)
        else:
            indices = np.arange(n)
        if self.total_size > n:  # pad by repeating from the start (wrapping if needed)
            indices = np.resize(indices, self.total_size)
        else:
            indices = indices[: self.total_size]
        return iter(int(i) for i in indices[self.rank : self.total_size : self.num_replicas])

    def __len__(self) -> int:
        return self.num_samples
