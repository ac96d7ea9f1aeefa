"""Samplers and DataLoader's sampler= / batch_sampler= arguments, against PyTorch's
meanings: which indices, in which batches, and which combinations are refused."""

import numpy as np
import pytest

import chainrule as cr
from chainrule import data


def _ds(n=10):
    return data.TensorDataset(cr.tensor(np.arange(n)))


def _labels(loader):
    return [b[0].numpy().tolist() for b in loader]


def test_sequential_and_subset_random_samplers():
    assert list(data.SequentialSampler(_ds(4))) == [0, 1, 2, 3]
    rng = np.random.default_rng(0)
    drawn = list(data.SubsetRandomSampler([7, 3, 5], generator=rng))
    assert sorted(drawn) == [3, 5, 7] and len(data.SubsetRandomSampler([7, 3, 5])) == 3


def test_random_sampler_with_and_without_replacement():
    rng = np.random.default_rng(1)
    order = list(data.RandomSampler(_ds(6), generator=rng))
    assert sorted(order) == list(range(6))
    longer = list(data.RandomSampler(_ds(4), num_samples=10, generator=rng))
    assert len(longer) == 10 and set(longer) == {0, 1, 2, 3}
    # without replacement, each whole pass is a permutation
    assert sorted(longer[:4]) == [0, 1, 2, 3] and sorted(longer[4:8]) == [0, 1, 2, 3]
    drawn = list(data.RandomSampler(_ds(3), replacement=True, num_samples=50, generator=rng))
    assert len(drawn) == 50 and set(drawn) <= {0, 1, 2}
    with pytest.raises(ValueError, match="num_samples"):
        data.RandomSampler(_ds(3), num_samples=0)


def test_batch_sampler_groups_indices():
    sampler = data.BatchSampler(range(7), batch_size=3, drop_last=False)
    assert list(sampler) == [[0, 1, 2], [3, 4, 5], [6]] and len(sampler) == 3
    sampler = data.BatchSampler(range(7), batch_size=3, drop_last=True)
    assert list(sampler) == [[0, 1, 2], [3, 4, 5]] and len(sampler) == 2


def test_dataloader_follows_the_sampler_order():
    loader = data.DataLoader(_ds(), batch_size=3, sampler=[9, 0, 4, 4, 2])
    assert _labels(loader) == [[9, 0, 4], [4, 2]] and len(loader) == 2
    loader = data.DataLoader(_ds(), batch_size=None, sampler=[5, 1])
    assert [int(x[0]) for x in loader] == [5, 1]


def test_dataloader_takes_whole_batches_from_a_batch_sampler():
    batches = data.BatchSampler([8, 1, 2, 3, 0], batch_size=2, drop_last=True)
    loader = data.DataLoader(_ds(), batch_sampler=batches)
    assert _labels(loader) == [[8, 1], [2, 3]] and len(loader) == 2


def test_dataloader_with_a_distributed_sampler_takes_one_share():
    share = data.DistributedSampler(_ds(), num_replicas=2, rank=1, shuffle=False)
    loader = data.DataLoader(_ds(), batch_size=2, sampler=share)
    assert _labels(loader) == [[1, 3], [5, 7], [9]]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"sampler": [0, 1], "shuffle": True}, "mutually exclusive with shuffle"),
        ({"batch_sampler": [[0]], "batch_size": 4}, "mutually exclusive"),
        ({"batch_sampler": [[0]], "drop_last": True}, "mutually exclusive"),
        ({"shufle": True}, "unexpected keyword arguments: shufle"),
    ],
)
def test_conflicting_or_unknown_options_are_refused(kwargs, message):
    with pytest.raises((ValueError, TypeError), match=message):
        data.DataLoader(_ds(), **kwargs)


def test_pytorch_worker_options_are_accepted_as_no_ops():
    loader = data.DataLoader(_ds(4), batch_size=2, pin_memory=True, persistent_workers=False)
    assert _labels(loader) == [[0, 1], [2, 3]]
