"""``chainrule.data``: datasets and batching (PyTorch's ``torch.utils.data`` names),
plus ready-made datasets in :mod:`chainrule.data.datasets`."""

from chainrule.data import datasets
from chainrule.data.dataloader import DataLoader, default_collate
from chainrule.data.dataset import ConcatDataset, Dataset, Subset, TensorDataset, random_split
from chainrule.data.sampler import DistributedSampler
from chainrule.data.samplers import (
    BatchSampler,
    RandomSampler,
    Sampler,
    SequentialSampler,
    SubsetRandomSampler,
)

__all__ = [
    "Dataset",
    "TensorDataset",
    "Subset",
    "ConcatDataset",
    "random_split",
    "DataLoader",
    "default_collate",
    "DistributedSampler",
    "Sampler",
    "SequentialSampler",
    "RandomSampler",
    "SubsetRandomSampler",
    "BatchSampler",
    "datasets",
]
