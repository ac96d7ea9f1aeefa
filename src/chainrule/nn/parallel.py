"""``nn.parallel.DistributedDataParallel``: data-parallel training over the processes
of a :mod:`chainrule.distributed` group, with PyTorch's name and behaviour.

Wrapping a model broadcasts rank 0's parameters and buffers to every rank, so all
ranks start equal. Each rank then runs the model on its own share of the batch; during
``loss.backward()`` the gradients are averaged over the ranks, so that after
``backward()`` every rank holds the gradient of the mean loss over the whole batch and
the optimizer steps keep the replicas identical.

How the averaging overlaps the backward pass: for each forward pass under grad mode,
every parameter reaches the model through an identity step made with
:func:`chainrule.custom_vjp`. The reverse sweep calls that step's backward rule once the
parameter's gradient for this pass is complete: that is the "gradient ready" signal.
The gradient is copied into its bucket (a flat buffer of about ``bucket_cap_mb``
megabytes; buckets are filled in reverse parameter order, the order in which backward
usually finishes them), and a full bucket starts a nonblocking ``MPI_Iallreduce``
while the sweep carries on. When the last parameter is ready, the requests are waited
for and the averages added into the ``.grad`` fields (the identity step itself hands
zero to ``.grad``, so nothing is counted twice).

Every parameter must take part in each forward pass whose loss is backpropagated (a
parameter left out would never be ready); the next forward pass raises an error naming
the parameters that got no gradient, as PyTorch does without
``find_unused_parameters``.
"""

from __future__ import annotations

import numpy as np

from chainrule.distributed import broadcast, get_world_size
from chainrule.distributed.collectives import progress, start_all_reduce_sum
from chainrule.functional.custom import custom_vjp
from chainrule.nn.module import Module
from chainrule.tensors import is_grad_enabled, no_grad, tensor


class _Bucket:
    """A flat buffer for the gradients of a few parameters of one dtype."""

    def __init__(self, indices, params):
        self.indices = indices
        self.offsets = {}
        start = 0
        for i in indices:
            self.offsets[i] = (start, start + params[i].numel())
            start += params[i].numel()
        self.buffer = np.zeros(start, dtype=np.asarray(params[indices[0]].detach()).dtype)
        self.remaining = len(indices)
        self.request = None


class DistributedDataParallel(Module):
    """Wrap ``module`` for data-parallel training; see the module docstring. The
    wrapped model is ``self.module`` (so state_dict keys start with ``module.``, as
    PyTorch's). ``device_ids`` and ``output_device`` are accepted for PyTorch's
    signature and unused (the processes work on the CPU)."""

    def __init__(
        self,
        module: Module,
        device_ids=None,
        output_device=None,
        bucket_cap_mb: float = 25.0,
        find_unused_parameters: bool = False,
    ):
        super().__init__()
        if not isinstance(module, Module):
            raise TypeError(
                f"DistributedDataParallel wraps an nn.Module, got {type(module).__name__}"
            )
        if not bucket_cap_mb > 0:
            raise ValueError(f"bucket_cap_mb must be positive, got {bucket_cap_mb}")
        if find_unused_parameters:
            raise NotImplementedError(
                "DistributedDataParallel: find_unused_parameters=True is not supported; "
                "every parameter must be used in each forward pass"
            )
        self.module = module
        self._world = get_world_size()
        with no_grad():  # one message for all of rank 0's weights and buffers
            broadcast(list(module.parameters()) + list(module.buffers()), src=0)
        self._params = [p for p in module.parameters() if p.requires_grad]
        self._names = {id(p): n for n, p in module.named_parameters()}
        self._slots = [
            (owner, name, p)
            for owner in module.modules()
            for name, p in owner._parameters.items()
            if p is not None and p.requires_grad
        ]
        self._buckets = self._make_buckets(int(bucket_cap_mb * 2**20))
        self._ready_fns = [self._identity(i) for i in range(len(self._params))]
        self._pending: set | None = None

    def _make_buckets(self, cap_bytes: int) -> list:
        buckets, current, size, dtype = [], [], 0, None
        for i in reversed(range(len(self._params))):
            p = self._params[i]
            nbytes = p.numel() * np.asarray(p.detach()).itemsize
            p_dtype = np.asarray(p.detach()).dtype
            if current and (size + nbytes > cap_bytes or p_dtype != dtype):
                buckets.append(_Bucket(current, self._params))
                current, size = [], 0
            current.append(i)
            size += nbytes
            dtype = p_dtype
        if current:
            buckets.append(_Bucket(current, self._params))
        self._bucket_of = {i: b for b in buckets for i in b.indices}
        return buckets

    def _identity(self, index: int):
        @custom_vjp
        def ready(x):
            return x

        def fwd(x):
            return x, None

        def bwd(_, g):
            self._gradient_ready(index, g)
            return (np.zeros_like(np.asarray(g)),)

        ready.defvjp(fwd, bwd)
        return ready

    def forward(self, *args, **kwargs):
        if not is_grad_enabled():
            return self.module(*args, **kwargs)
        self._check_previous_backward()
        self._pending = set(range(len(self._params)))
        for bucket in self._buckets:
            bucket.remaining, bucket.request = len(bucket.indices), None
        index = {id(p): i for i, p in enumerate(self._params)}
        stand_ins = {id(p): self._ready_fns[index[id(p)]](p) for p in self._params}
        for owner, name, p in self._slots:
            owner._parameters[name] = stand_ins[id(p)]
        try:
            return self.module(*args, **kwargs)
        finally:
            for owner, name, p in self._slots:
                owner._parameters[name] = p

    def _check_previous_backward(self) -> None:
        """A backward pass that reached only some parameters leaves them pending."""
        pending = self._pending
        if pending and len(pending) < len(self._params):
            names = ", ".join(sorted(self._names[id(self._params[i])] for i in pending))
            self._pending = None
            raise RuntimeError(
                "DistributedDataParallel: the last backward pass produced no gradient for "
                f"{names}; every parameter must be used in the forward pass (gradients "
                "were not averaged across ranks, so the replicas may now differ)"
            )

    def _gradient_ready(self, index: int, g) -> None:
        if self._pending is None or index not in self._pending:
            raise RuntimeError(
                "DistributedDataParallel: a parameter's gradient arrived twice for one "
                "forward pass (backward through the same graph twice is not supported)"
            )
        self._pending.discard(index)
        bucket = self._bucket_of[index]
        start, stop = bucket.offsets[index]
        bucket.buffer[start:stop] = np.asarray(g).ravel()
        bucket.remaining -= 1
        if bucket.remaining == 0:
            bucket.request = start_all_reduce_sum(bucket.buffer)
        progress([b.request for b in self._buckets if b.request is not None])
        if not self._pending:
            self._finish()

    def _finish(self) -> None:
        """Wait for every bucket and add the averages into ``.grad``."""
        for bucket in self._buckets:
            bucket.request.Wait()
            bucket.buffer /= self._world
            for i in bucket.indices:
                p = self._params[i]
                start, stop = bucket.offsets[i]
                mean = bucket.buffer[start:stop].reshape(p.shape).copy()
                if p.grad is None:
                    p.grad = tensor(mean, dtype=mean.dtype)
                else:
                    with no_grad():
                        p.grad += tensor(mean, dtype=mean.dtype)
        self._pending = None
