"""Collective operations with PyTorch's names, on NumPy arrays, ``Tensor`` s and
pytrees (nested lists, tuples and dicts of those).

* ``all_reduce(x, op)``: every rank ends with the reduction over ranks. A ``Tensor`` is
  changed in place (as PyTorch does) and returned; arrays and pytrees get a new result
  (an array, like a pytree, might be read-only or shared, so it is not overwritten).
* ``broadcast(x, src)``: rank ``src``'s values everywhere (Tensors in place again).
* ``all_gather(x)``: the list of every rank's ``x``, in rank order (PyTorch fills a
  list it is given; ``all_gather(out_list, x)`` works that way too).
* ``barrier()``: wait until every rank gets here.

The work is done by mpi4py's buffer-based calls (``Allreduce``, ``Bcast``,
``Allgather``) on contiguous buffers: the small leaves of a pytree are packed into one
flat buffer per dtype, so that many small gradients cost one message, while large
leaves travel alone, without a packing copy.
"""

from __future__ import annotations

import numpy as np

from chainrule.distributed.group import _mpi, comm
from chainrule.functional.pytree import tree_flatten, tree_unflatten
from chainrule.tensors import Tensor, no_grad


class ReduceOp:
    """The reductions of :func:`all_reduce` (PyTorch's ``dist.ReduceOp`` names)."""

    SUM = "sum"
    AVG = "mean"
    MAX = "max"
    MIN = "min"


_OPS = {"sum": "SUM", "mean": "SUM", "avg": "SUM", "max": "MAX", "min": "MIN"}


def _mpi_op(op):
    key = str(op).lower()
    if key not in _OPS:
        raise ValueError(f"all_reduce: unknown op {op!r}; use one of sum, mean, max, min")
    return getattr(_mpi(), _OPS[key]), key in ("mean", "avg")


def _values(leaf, what: str) -> np.ndarray:
    """A leaf's values as a NumPy array (Tensors by value; Python numbers as arrays)."""
    if isinstance(leaf, Tensor):
        return leaf.detach().numpy()
    arr = np.asarray(leaf)
    if arr.dtype == object:
        raise TypeError(f"{what}: can't send a value of type {type(leaf).__name__}")
    return arr


def _set_tensor(tensor: Tensor, value: np.ndarray) -> None:
    with no_grad():
        tensor[...] = value


# leaves of 1 MiB or more travel alone (no packing copy); smaller ones are packed
# together, one message per dtype, so that many small leaves cost one latency
_ALONE_BYTES = 1 << 20


def _chunks(arrays) -> list:
    """Leaf indices grouped into messages: each large leaf alone, the small ones of
    one dtype together."""
    small: dict = {}
    chunks = []
    for i, a in enumerate(arrays):
        if a.nbytes >= _ALONE_BYTES:
            chunks.append([i])
        else:
            small.setdefault(a.dtype, []).append(i)
    return chunks + list(small.values())


def _send_buffer(arrays, chunk, copy: bool) -> np.ndarray:
    if len(chunk) == 1 and not copy:
        return np.ascontiguousarray(arrays[chunk[0]]).reshape(-1)
    return np.concatenate([arrays[i].reshape(-1) for i in chunk])


def _unpack(leaves, out, arrays, chunk, buffer) -> None:
    """Put a message's results in ``out``: Tensors updated in place, others as views of
    the (new, private) buffer."""
    start = 0
    for i in chunk:
        n = arrays[i].size
        value = buffer[start : start + n].reshape(arrays[i].shape)
        start += n
        if isinstance(leaves[i], Tensor):
            _set_tensor(leaves[i], value)
        else:
            out[i] = value if arrays[i].ndim else value[()]


def _collective(tensor, what: str, send) -> object:
    """Run ``send(buffer, chunk) -> result buffer`` on each message of ``tensor``'s
    leaves and rebuild the tree from the results."""
    leaves, treedef = tree_flatten(tensor)
    arrays = [_values(x, what) for x in leaves]
    out = list(leaves)
    for chunk in _chunks(arrays):
        _unpack(leaves, out, arrays, chunk, send(arrays, chunk))
    return tensor if isinstance(tensor, Tensor) else tree_unflatten(treedef, out)


def all_reduce(tensor, op=ReduceOp.SUM, group=None, async_op: bool = False):
    """Reduce ``tensor`` (a Tensor, array or pytree) over all ranks with ``op`` (sum,
    mean, max or min, as strings or :class:`ReduceOp`); see the module docstring."""
    _no_group_or_async("all_reduce", group, async_op)
    c = comm()
    mpi_op, mean = _mpi_op(op)

    def send(arrays, chunk):
        dtype = arrays[chunk[0]].dtype
        if mean and not np.issubdtype(dtype, np.inexact):
            raise TypeError(f"all_reduce: op='mean' needs floating values, got {dtype}")
        if len(chunk) == 1:  # one large leaf: MPI writes the result into a new array
            buf = np.ascontiguousarray(arrays[chunk[0]]).reshape(-1)
            result = np.empty_like(buf)
            c.Allreduce(buf, result, op=mpi_op)
        else:  # the packed copy is ours: reduce it in place
            result = _send_buffer(arrays, chunk, copy=True)
            c.Allreduce(_mpi().IN_PLACE, result, op=mpi_op)
        if mean:
            result /= c.Get_size()
        return result

    return _collective(tensor, "all_reduce", send)


def broadcast(tensor, src: int = 0, group=None, async_op: bool = False):
    """Rank ``src``'s ``tensor`` (Tensor, array or pytree of the same structure on every
    rank) on every rank."""
    _no_group_or_async("broadcast", group, async_op)
    c = comm()
    if not 0 <= src < c.Get_size():
        raise ValueError(f"broadcast: src={src} is not a rank (world size {c.Get_size()})")

    def send(arrays, chunk):
        buf = _send_buffer(arrays, chunk, copy=True)
        c.Bcast(buf, root=src)
        return buf

    return _collective(tensor, "broadcast", send)


def all_gather(tensor_list, tensor=None, group=None, async_op: bool = False):
    """Every rank's value in rank order. ``all_gather(x)`` returns the list;
    PyTorch's ``all_gather(out_list, x)`` fills ``out_list`` (Tensors in place)."""
    _no_group_or_async("all_gather", group, async_op)
    if tensor is None:
        tensor, tensor_list = tensor_list, None
    c = comm()
    local = np.ascontiguousarray(_values(tensor, "all_gather"))
    shapes = c.allgather(local.shape)
    if any(s != local.shape for s in shapes):
        raise ValueError(f"all_gather: the ranks' shapes differ: {shapes}")
    gathered = np.empty((c.Get_size(),) + local.shape, dtype=local.dtype)
    c.Allgather(local, gathered)
    if tensor_list is None:
        if isinstance(tensor, Tensor):
            return [Tensor._wrap(g.copy(), None) for g in gathered]
        return [g.copy() for g in gathered]
    if len(tensor_list) != c.Get_size():
        raise ValueError(
            f"all_gather: tensor_list has {len(tensor_list)} entries, world size is {c.Get_size()}"
        )
    for i, g in enumerate(gathered):
        if isinstance(tensor_list[i], Tensor):
            _set_tensor(tensor_list[i], g)
        else:
            tensor_list[i] = g.copy()
    return tensor_list


def barrier(group=None, async_op: bool = False) -> None:
    _no_group_or_async("barrier", group, async_op)
    comm().Barrier()


def _no_group_or_async(who: str, group, async_op: bool) -> None:
    if group is not None:
        raise NotImplementedError(f"{who}: only the default group (group=None) exists")
    if async_op:
        raise NotImplementedError(f"{who}: async_op=True is not supported")


def start_all_reduce_sum(buffer: np.ndarray):
    """Begin summing ``buffer`` (a contiguous NumPy array) over all ranks in place,
    without waiting: returns an MPI request (``.Test()``, ``.Wait()``). This is the
    building block of the overlapped gradient averaging in
    ``nn.parallel.DistributedDataParallel``."""
    MPI = _mpi()
    return comm().Iallreduce(MPI.IN_PLACE, buffer, op=MPI.SUM)


def progress(requests) -> None:
    """Let MPI advance the pending ``requests`` (MPI moves nonblocking collectives
    forward mostly while the program is inside an MPI call)."""
    if requests:
        _mpi().Request.Testall(requests)
