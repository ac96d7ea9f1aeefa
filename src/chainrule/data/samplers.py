"""Samplers: the order in which a ``DataLoader`` visits a dataset's indices.

PyTorch's names and meanings: a sampler is any iterable of indices (with ``len``); a
batch sampler is an iterable of lists of indices. ``DataLoader(sampler=...)`` batches
a sampler's indices; ``DataLoader(batch_sampler=...)`` takes whole batches from one.
Random samplers draw from the generator they are given (a NumPy ``Generator``), or
from chainrule's global one, which ``cr.manual_seed`` seeds.
"""

from __future__ import annotations

from collections.abc import Iterable, Sized

import numpy as np

from chainrule.tensors.random import default_generator

__all__ = [
    "Sampler",
    "SequentialSampler",
    "RandomSampler",
    "SubsetRandomSampler",
    "BatchSampler",
]


def _positive_int(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
        raise ValueError(f"{name} should be a positive integer, got {value!r}")
    return int(value)


class Sampler:
    """Base class: subclasses define ``__iter__`` (indices) and usually ``__len__``."""

    def __iter__(self):  # pragma: no cover - abstract
        raise NotImplementedError


class SequentialSampler(Sampler):
    """``0, 1, ..., len(data_source) - 1``."""

    def __init__(self, data_source: Sized):
        self.data_source = data_source

    def __iter__(self):
        return iter(range(len(self.data_source)))

    def __len__(self) -> int:
        return len(self.data_source)


class RandomSampler(Sampler):
    """A fresh permutation each pass; with ``replacement``, ``num_samples`` draws."""

    def __init__(
        self, data_source: Sized, replacement: bool = False, num_samples=None, generator=None
    ):
        self.data_source = data_source
        self.replacement = replacement
        if num_samples is not None:
            num_samples = _positive_int(num_samples, "num_samples")
        self._num_samples = num_samples
        self.generator = generator

    @property
    def num_samples(self) -> int:
        return len(self.data_source) if self._num_samples is None else self._num_samples

    def __iter__(self):
        rng = self.generator if self.generator is not None else default_generator()
        n = len(self.data_source)
        if self.replacement:
            return iter(int(i) for i in rng.integers(0, n, size=self.num_samples))
        # without replacement, more samples than items repeat whole permutations
        whole, rest = divmod(self.num_samples, n) if n else (0, 0)
        chunks = [rng.permutation(n) for _ in range(whole)]
        if rest:
            chunks.append(rng.permutation(n)[:rest])
        return iter(int(i) for chunk in chunks for i in chunk)

    def __len__(self) -> int:
        return self.num_samples


class SubsetRandomSampler(Sampler):
    """The given ``indices``, in a fresh random order each pass."""

    def __init__(self, indices: Iterable[int], generator=None):
        self.indices = list(indices)
        self.generator = generator

    def __iter__(self):
        rng = self.generator if self.generator is not None else default_generator()
        return iter(self.indices[int(i)] for i in rng.permutation(len(self.indices)))

    def __len__(self) -> int:
        return len(self.indices)


class BatchSampler(Sampler):
    """Group ``sampler``'s indices into lists of ``batch_size`` (the last one shorter
    unless ``drop_last``)."""

    def __init__(self, sampler: Iterable[int], batch_size: int, drop_last: bool):
        self.sampler = sampler
        self.batch_size = _positive_int(batch_size, "batch_size")
        self.drop_last = drop_last

    def __iter__(self):
        batch: list[int] = []
        for index in self.sampler:
            batch.append(int(index))
            if len(batch) == self.batch_size:
                yield batch
                batch = []
        if batch and not self.drop_last:
            yield batch

    def __len__(self) -> int:
        n = len(self.sampler)  # type: ignore[arg-type]
        return n // self.batch_size if self.drop_last else -(-n // self.batch_size)
