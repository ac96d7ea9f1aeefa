"""Run under ``mpiexec -n 2``: every collective on arrays, Tensors and pytrees; each
check raises AssertionError on failure (and so ends the job with an error)."""

import numpy as np

import chainrule as cr
from chainrule import distributed as dist


def main():
    dist.init_process_group(backend="mpi")
    rank, world = dist.get_rank(), dist.get_world_size()
    assert world == 2 and dist.is_initialized()
    ranks = np.arange(world, dtype=float)

    x = np.array([1.0, 2.0]) * (rank + 1)
    for op, want in [("sum", 3.0), ("mean", 1.5), ("max", 2.0), ("min", 1.0)]:
        got = dist.all_reduce(x, op=op)
        np.testing.assert_array_equal(got, np.array([1.0, 2.0]) * want)
    np.testing.assert_array_equal(x, np.array([1.0, 2.0]) * (rank + 1))  # arrays: new result
    assert dist.all_reduce(np.arange(3) + rank, op=dist.ReduceOp.SUM).dtype == np.int64

    t = cr.tensor([[1.0, 2.0]], dtype=cr.float64, requires_grad=True) * (rank + 1)
    leaf = cr.tensor([float(rank)], dtype=cr.float32)
    assert dist.all_reduce(leaf) is leaf  # in place on a Tensor, as PyTorch
    np.testing.assert_array_equal(leaf.numpy(), [ranks.sum()])
    assert leaf.dtype == cr.float32
    dist.all_reduce(t, op="max")
    np.testing.assert_array_equal(t.detach().numpy(), [[2.0, 4.0]])

    tree = {"w": np.full((2, 2), rank + 1.0), "b": [np.float32(rank), 3.0 * rank]}
    out = dist.all_reduce(tree, op="mean")
    np.testing.assert_array_equal(out["w"], np.full((2, 2), 1.5))
    assert out["b"][0] == np.float32(0.5) and out["b"][1] == 1.5

    big = {"big": np.full(140_000, rank + 1.0), "small": np.full(3, rank + 1.0)}
    out = dist.all_reduce(big, op="sum")  # a large leaf travels alone, small ones packed
    np.testing.assert_array_equal(out["big"], np.full(140_000, 3.0))
    np.testing.assert_array_equal(out["small"], np.full(3, 3.0))
    np.testing.assert_array_equal(big["big"], np.full(140_000, rank + 1.0))

    value = {"a": np.full(3, 10.0 * rank), "t": cr.tensor([rank + 5.0])}
    got = dist.broadcast(value, src=1)
    np.testing.assert_array_equal(got["a"], np.full(3, 10.0))
    np.testing.assert_array_equal(value["t"].numpy(), [6.0])

    gathered = dist.all_gather(np.array([rank, rank * 10]))
    np.testing.assert_array_equal(np.stack(gathered), [[0, 0], [1, 10]])
    slots = [cr.zeros(2), cr.zeros(2)]
    dist.all_gather(slots, cr.tensor([rank + 1.0, rank + 2.0]))
    np.testing.assert_array_equal(slots[1].numpy(), [2.0, 3.0])

    for call, words in [
        (lambda: dist.all_reduce(x, op="median"), "unknown op"),
        (lambda: dist.all_reduce(np.arange(2), op="mean"), "floating"),
        (lambda: dist.broadcast(x, src=5), "not a rank"),
        (lambda: dist.all_gather(np.zeros(rank + 1)), "shapes differ"),
    ]:
        try:
            call()
        except (ValueError, TypeError) as exc:
            assert words in str(exc), exc
        else:
            raise AssertionError(f"no error for {words}")
    dist.barrier()
    dist.destroy_process_group()
    assert not dist.is_initialized()
    print(f"rank {rank} ok")


if __name__ == "__main__":
    main()
