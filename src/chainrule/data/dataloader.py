"""``DataLoader``: batches from a dataset, optionally shuffled, in the main process.

Shuffling draws a fresh permutation every epoch. With ``seed=n`` the loader owns a
generator seeded with ``n`` (epoch k's order is the same in every run); without it,
it draws from chainrule's global generator, which ``cr.manual_seed`` seeds.
Datasets that can index a whole batch at once (``TensorDataset``, and ``Subset`` s of
it) are batched with one fancy-indexing per tensor instead of one item at a time.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

from chainrule.tensors import Tensor, from_numpy
from chainrule.tensors.random import default_generator

__all__ = ["DataLoader", "default_collate"]


def default_collate(batch: list):
    """Stack a list of samples into batched tensors, keeping tuples/dicts structure."""
    first = batch[0]
    if isinstance(first, Tensor):
        return from_numpy(np.stack([np.asarray(b) for b in batch]))
    if isinstance(first, np.ndarray | np.generic):
        return from_numpy(np.stack(batch))
    if isinstance(first, bool | int | float | np.number):
        return from_numpy(np.asarray(batch))
    if isinstance(first, Mapping):
        return {k: default_collate([b[k] for b in batch]) for k in first}
    if isinstance(first, tuple) and hasattr(first, "_fields"):  # namedtuple
        return type(first)(*(default_collate(list(items)) for items in zip(*batch, strict=True)))
    if isinstance(first, Sequence) and not isinstance(first, str):
        return [default_collate(list(items)) for items in zip(*batch, strict=True)]
    return batch


# PyTorch's options that change nothing for a loader in the main process on the CPU
_ACCEPTED = {
    "pin_memory": False,
    "timeout": 0,
    "worker_init_fn": None,
    "multiprocessing_context": None,
    "prefetch_factor": None,
    "persistent_workers": False,
    "pin_memory_device": "",
    "in_order": True,
}


def _check_batch_size(batch_size):
    # (a bool is an int to Python, but True is no batch size; PyTorch refuses it)
    if isinstance(batch_size, bool) or not isinstance(batch_size, int | np.integer):
        raise ValueError(f"batch_size should be a positive integer, got {batch_size!r}")
    if batch_size < 1:
        raise ValueError(f"batch_size should be a positive integer, got {batch_size!r}")
    return int(batch_size)


def _check_options(num_workers, options: dict) -> None:
    unknown = sorted(set(options) - set(_ACCEPTED))
    if unknown:
        raise TypeError(f"DataLoader got unexpected keyword arguments: {', '.join(unknown)}")
    if num_workers:
        raise ValueError("chainrule's DataLoader runs in the main process (num_workers=0)")


class DataLoader:
    """Iterate over ``dataset`` in batches of ``batch_size``.

    ``shuffle`` reorders each epoch; ``seed`` makes that order reproducible independent
    of other random draws; ``drop_last`` drops a final short batch; ``collate_fn``
    replaces :func:`default_collate`. ``sampler`` (an iterable of indices, e.g. a
    :class:`~chainrule.data.DistributedSampler`) replaces the order, and
    ``batch_sampler`` (an iterable of index lists) replaces the batching too; as in
    PyTorch, they exclude ``shuffle`` (and ``batch_sampler`` also ``batch_size`` and
    ``drop_last``). PyTorch's worker and pinning options are accepted and change
    nothing here (``num_workers`` must be 0).
    """

    def __init__(
        self,
        dataset,
        batch_size: int | None = 1,
        shuffle: bool | None = None,
        seed: int | None = None,
        drop_last: bool = False,
        collate_fn=None,
        generator=None,
        num_workers: int = 0,
        *,
        sampler=None,
        batch_sampler=None,
        **options,
    ):
        _check_options(num_workers, options)
        if sampler is not None and shuffle:
            raise ValueError("DataLoader: sampler option is mutually exclusive with shuffle")
        if batch_sampler is not None:
            if batch_size != 1 or shuffle or sampler is not None or drop_last:
                raise ValueError(
                    "DataLoader: batch_sampler option is mutually exclusive with "
                    "batch_size, shuffle, sampler, and drop_last"
                )
            batch_size = None
        elif batch_size is not None:
            batch_size = _check_batch_size(batch_size)
        self.dataset = dataset
        self.batch_size = batch_size
        self.shuffle = bool(shuffle)
        self.sampler = sampler
        self.batch_sampler = batch_sampler
        self.drop_last = drop_last
        self.collate_fn = collate_fn
        self.seed = seed
        if generator is not None:
            self.generator = generator
        elif seed is not None:
            self.generator = np.random.default_rng(seed)
        else:
            self.generator = None

    def __len__(self) -> int:
        if self.batch_sampler is not None:
            return len(self.batch_sampler)
        n = len(self.sampler) if self.sampler is not None else len(self.dataset)
        if self.batch_size is None:
            return n
        return n // self.batch_size if self.drop_last else math.ceil(n / self.batch_size)

    def _order(self) -> np.ndarray:
        if self.sampler is not None:
            return np.fromiter((int(i) for i in self.sampler), dtype=np.int64)
        n = len(self.dataset)
        if not self.shuffle:
            return np.arange(n)
        rng = self.generator if self.generator is not None else default_generator()
        return rng.permutation(n)

    def _batches(self):
        """Index arrays, one per batch."""
        if self.batch_sampler is not None:
            for indices in self.batch_sampler:
                yield np.asarray(list(indices), dtype=np.int64)
            return
        order = self._order()
        for start in range(0, len(order), self.batch_size):
            idx = order[start : start + self.batch_size]
            if len(idx) < self.batch_size and self.drop_last:
                return
            yield idx

    def __iter__(self):
        if self.batch_size is None and self.batch_sampler is None:  # samples one by one
            for i in self._order():
                yield self.dataset[int(i)]
            return
        fast = self.collate_fn is None and hasattr(self.dataset, "_batch")
        for idx in self._batches():
            if fast:
                yield self.dataset._batch(idx)
            else:
                batch = [self.dataset[int(i)] for i in idx]
                yield (self.collate_fn or default_collate)(batch)
