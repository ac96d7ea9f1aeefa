"""Datasets and batching: TensorDataset, Subset, ConcatDataset, random_split, custom
datasets and collate functions, and DataLoader's batching, shuffling and seeding."""

import numpy as np
import pytest

import chainrule as cr
from chainrule import data


def _ds(n=10):
    x = np.arange(n * 2, dtype=float).reshape(n, 2)
    return data.TensorDataset(cr.tensor(x), cr.tensor(np.arange(n)))


def test_tensor_dataset_items_and_length_checks():
    ds = _ds()
    assert len(ds) == 10
    x, y = ds[3]
    np.testing.assert_array_equal(x.numpy(), [6.0, 7.0])
    assert int(y) == 3
    with pytest.raises(ValueError, match=r"size mismatch.*\(3,\).*\(4,\)"):
        data.TensorDataset(np.zeros(3), np.zeros(4))


def test_dataloader_batches_in_order_and_drop_last():
    loader = data.DataLoader(_ds(), batch_size=4)
    batches = list(loader)
    assert len(loader) == len(batches) == 3
    assert [len(y) for _, y in batches] == [4, 4, 2]
    np.testing.assert_array_equal(np.concatenate([y.numpy() for _, y in batches]), np.arange(10))
    assert batches[0][0].shape == (4, 2)
    loader = data.DataLoader(_ds(), batch_size=4, drop_last=True)
    assert len(loader) == len(list(loader)) == 2


def test_shuffle_is_a_permutation_reproducible_by_seed():
    def epoch_orders(loader, epochs=2):
        return [np.concatenate([y.numpy() for _, y in loader]) for _ in range(epochs)]

    a = epoch_orders(data.DataLoader(_ds(), batch_size=3, shuffle=True, seed=7))
    b = epoch_orders(data.DataLoader(_ds(), batch_size=3, shuffle=True, seed=7))
    assert all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))
    assert sorted(a[0]) == list(range(10))
    assert not np.array_equal(a[0], a[1])  # a fresh order every epoch
    # without a seed: the global generator, seeded by cr.manual_seed
    cr.manual_seed(3)
    c = epoch_orders(data.DataLoader(_ds(), batch_size=3, shuffle=True))
    cr.manual_seed(3)
    d = epoch_orders(data.DataLoader(_ds(), batch_size=3, shuffle=True))
    assert all(np.array_equal(x, y) for x, y in zip(c, d, strict=True))


class Squares(data.Dataset):
    def __len__(self):
        return 5

    def __getitem__(self, i):
        return {"x": np.array([i, i * i], dtype=float), "label": i % 2}


def test_custom_dataset_collate_subset_concat_and_split():
    batch = next(iter(data.DataLoader(Squares(), batch_size=5)))
    np.testing.assert_array_equal(batch["x"].numpy()[:, 1], [0, 1, 4, 9, 16])
    np.testing.assert_array_equal(batch["label"].numpy(), [0, 1, 0, 1, 0])
    sub = data.Subset(_ds(), [9, 0, 4])
    ys = np.concatenate([y.numpy() for _, y in data.DataLoader(sub, batch_size=2)])
    np.testing.assert_array_equal(ys, [9, 0, 4])
    both = Squares() + Squares()
    assert len(both) == 10 and both[7]["label"] == 0 and both[-1]["label"] == 0
    parts = data.random_split(_ds(), [0.7, 0.3], generator=np.random.default_rng(0))
    assert [len(p) for p in parts] == [7, 3]
    assert sorted(parts[0].indices + parts[1].indices) == list(range(10))
    with pytest.raises(ValueError, match="sum of input lengths"):
        data.random_split(_ds(), [3, 3])
    with pytest.raises(ValueError, match="batch_size"):
        data.DataLoader(_ds(), batch_size=0)
    no_batch = list(data.DataLoader(Squares(), batch_size=None))
    assert len(no_batch) == 5 and no_batch[2]["label"] == 0


def test_batch_size_must_be_a_positive_integer_not_a_bool():
    ds = _ds()
    for bad in (0, -1, 2.0, True, "4"):
        with pytest.raises(ValueError, match="batch_size should be a positive integer"):
            data.DataLoader(ds, batch_size=bad)
    loader = data.DataLoader(ds, batch_size=np.int64(4))  # a NumPy integer is fine
    assert len(loader) == 3 and [len(y) for _, y in loader] == [4, 4, 2]
