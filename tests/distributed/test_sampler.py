"""DistributedSampler: PyTorch's shares (padding, drop_last, set_epoch), without MPI."""

import numpy as np
import pytest

from chainrule import data


def shares(n, replicas, **kw):
    return [list(data.DistributedSampler(range(n), replicas, r, **kw)) for r in range(replicas)]


def test_shares_are_interleaved_and_padded_from_the_start():
    assert shares(10, 3, shuffle=False) == [[0, 3, 6, 9], [1, 4, 7, 0], [2, 5, 8, 1]]
    assert shares(2, 5, shuffle=False) == [[0], [1], [0], [1], [0]]  # padding wraps


def test_drop_last_cuts_to_a_multiple_of_the_ranks():
    got = shares(10, 3, shuffle=False, drop_last=True)
    assert got == [[0, 3, 6], [1, 4, 7], [2, 5, 8]]
    assert [len(data.DistributedSampler(range(10), 3, r, drop_last=True)) for r in range(3)] == [
        3,
        3,
        3,
    ]


@pytest.mark.parametrize("n,replicas", [(17, 4), (16, 2), (5, 8)])
def test_shuffled_shares_cover_the_dataset_and_agree_across_ranks(n, replicas):
    got = shares(n, replicas, seed=3)
    assert all(len(s) == len(got[0]) == -(-n // replicas) for s in got)
    assert set(sum(got, [])) == set(range(n))
    sampler = data.DistributedSampler(range(n), replicas, 0, seed=3)
    first = list(sampler)
    assert list(sampler) == first  # the same epoch, the same order
    sampler.set_epoch(1)
    assert list(sampler) != first or n < 3


def test_bad_rank_or_replicas_are_refused():
    with pytest.raises(ValueError, match=r"Invalid rank 2.*\[0, 1\]"):
        data.DistributedSampler(range(4), num_replicas=2, rank=2)
    with pytest.raises(ValueError, match="num_replicas must be a positive integer"):
        data.DistributedSampler(range(4), num_replicas=0, rank=0)


def test_the_shares_are_pytorchs():
    torch = pytest.importorskip("torch")
    from torch.utils.data import DistributedSampler as TorchSampler

    for n, replicas, drop in [(10, 3, False), (10, 3, True), (7, 4, False), (3, 5, False)]:
        for r in range(replicas):
            ours = list(data.DistributedSampler(range(n), replicas, r, False, drop_last=drop))
            theirs = list(TorchSampler(range(n), replicas, r, False, drop_last=drop))
            assert ours == theirs, (n, replicas, r, drop)
    assert np.asarray(torch.zeros(1)).shape == (1,)
