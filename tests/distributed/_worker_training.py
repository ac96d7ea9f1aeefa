"""Run under ``mpiexec -n 2``: 20 steps of data-parallel training of an MLP and a CNN,
with DistributedDataParallel and with the functional pattern (value_and_grad on each
rank's shard, then all_reduce of the gradient tree), each compared in float64 with the
same 20 steps on the full batch in one process. Prints one line per check."""

import numpy as np

import chainrule as cr
from chainrule import distributed as dist
from chainrule import nn, optim
from chainrule.nn import functional as F

STEPS, BATCH, LR = 20, 24, 0.1
cr.set_default_dtype(cr.float64)  # the layers' parameters: compared in double precision


def mlp():
    return nn.Sequential(nn.Linear(64, 16), nn.Tanh(), nn.Linear(16, 10))


def cnn():
    return nn.Sequential(
        nn.Conv2d(1, 4, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(4 * 16, 10),
    )


def fresh(make, seed):
    cr.manual_seed(seed)
    return make()


def train_modules(model, x, y):
    opt = optim.SGD(model.parameters(), lr=LR, momentum=0.9)
    for _ in range(STEPS):
        opt.zero_grad()
        F.cross_entropy(model(x), y).backward()
        opt.step()
    return [p.detach().numpy() for p in model.parameters()]


def train_functional(params, x, y, reduce):
    forward = params.pop("forward")

    def loss(p):
        return F.cross_entropy(forward(p, x), y)

    for _ in range(STEPS):
        _, g = cr.value_and_grad(loss)(params)
        g = reduce(g)
        params = {k: params[k] - LR * g[k] for k in params}
    return [params[k] for k in sorted(params)]


def functional_params(make):
    model = fresh(make, 0)
    params = {k: v.detach().numpy().copy() for k, v in model.state_dict().items()}
    if make is mlp:
        params["forward"] = lambda p, x: F.linear(
            cr.numpy.tanh(F.linear(x, p["0.weight"], p["0.bias"])), p["2.weight"], p["2.bias"]
        )
    else:
        params["forward"] = lambda p, x: F.linear(
            F.max_pool2d(F.relu(F.conv2d(x, p["0.weight"], p["0.bias"], padding=1)), 2).reshape(
                x.shape[0], -1
            ),
            p["4.weight"],
            p["4.bias"],
        )
    return params


def gap(a, b):
    return max(float(np.max(np.abs(u - v))) for u, v in zip(a, b))


def main():
    dist.init_process_group(backend="mpi")
    rank, world = dist.get_rank(), dist.get_world_size()
    rng = np.random.default_rng(7)
    images = rng.normal(size=(BATCH, 1, 8, 8))
    labels = rng.integers(0, 10, BATCH)
    share = slice(rank * BATCH // world, (rank + 1) * BATCH // world)
    for make in (mlp, cnn):
        x = images.reshape(BATCH, 64) if make is mlp else images
        xt, yt = cr.tensor(x), cr.tensor(labels)
        full = train_modules(fresh(make, 0), xt, yt)
        # every rank starts from different weights: DDP must broadcast rank 0's
        ddp = nn.parallel.DistributedDataParallel(fresh(make, rank), bucket_cap_mb=0.002)
        parallel = train_modules(ddp, xt[share], yt[share])
        alone = train_modules(fresh(make, 0), xt[share], yt[share])
        print(
            f"rank {rank} {make.__name__} ddp {gap(full, parallel):.3e} "
            f"alone {gap(full, alone):.3e} buckets {len(ddp._buckets)}"
        )

        full_f = train_functional(functional_params(make), x, labels, lambda g: g)
        part_f = train_functional(
            functional_params(make),
            x[share],
            labels[share],
            lambda g: dist.all_reduce(g, op="mean"),
        )
        alone_f = train_functional(functional_params(make), x[share], labels[share], lambda g: g)
        print(
            f"rank {rank} {make.__name__} functional {gap(full_f, part_f):.3e} "
            f"alone {gap(full_f, alone_f):.3e}"
        )
    check_unused_parameter_is_named(rank)
    dist.destroy_process_group()


class TwoHeads(nn.Module):
    def __init__(self):
        super().__init__()
        self.used, self.spare = nn.Linear(4, 2), nn.Linear(4, 2)

    def forward(self, x):
        return self.used(x)


def check_unused_parameter_is_named(rank):
    ddp = nn.parallel.DistributedDataParallel(TwoHeads())
    x = cr.tensor(np.ones((3, 4)))
    ddp(x).sum().backward()
    try:
        ddp(x)
    except RuntimeError as exc:
        assert "spare.bias, spare.weight" in str(exc), exc
        print(f"rank {rank} unused parameters named")
    else:
        raise AssertionError("an unused parameter went unnoticed")


if __name__ == "__main__":
    main()
