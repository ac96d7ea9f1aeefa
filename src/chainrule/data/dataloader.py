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


class DataLoader:
    """Iterate over ``dataset`` in batches of ``batch_size``.

    ``shuffle`` reorders each epoch; ``seed`` makes that order reproducible independent
    of other random draws; ``drop_last`` drops a final short batch; ``collate_fn``
    replaces :func:`default_collate`.
    """

    def __init__(
        self,
        dataset,
        batch_size: int | None = 1,
        shuffle: bool = False,
        seed: int | None = None,
        drop_last: bool = False,
        collate_fn=None,
        generator=None,
        num_workers: int = 0,
        **unused,
    ):
        if batch_size is not None:
            # (a bool is an int to Python, but True is no batch size; PyTorch refuses it)
            if isinstance(batch_size, bool) or not isinstance(batch_size, int | np.integer):
                raise ValueError(f"batch_size should be a positive integer, got {batch_size!r}")
            batch_size = int(batch_size)
            if batch_size < 1:
                raise ValueError(f"batch_size should be a positive integer, got {batch_size!r}")
        if num_workers:
            raise ValueError("chainrule's DataLoader runs in the main process (num_workers=0)")
        self.dataset = dataset
        self.batch_size = batch_size
        self.shuffle = shuffle
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
        n = len(self.dataset)
        if self.batch_size is None:
            return n
        return n // self.batch_size if self.drop_last else math.ceil(n / self.batch_size)

    def _order(self) -> np.ndarray:
        n = len(self.dataset)
        if not self.shuffle:
            return np.arange(n)
        rng = self.generator if self.generator is not None else default_generator()
        return rng.permutation(n)

    def __iter__(self):
        order = self._order()
        if self.batch_size is None:  # no batching: samples one by one
            for i in order:
                yield self.dataset[int(i)]
            return
        fast = self.collate_fn is None and hasattr(self.dataset, "_batch")
        for start in range(0, len(order), self.batch_size):
            idx = order[start : start + self.batch_size]
            if len(idx) < self.batch_size and self.drop_last:
                return
            if fast:
                yield self.dataset._batch(idx)
            else:
                batch = [self.dataset[int(i)] for i in idx]
                yield (self.collate_fn or default_collate)(batch)
