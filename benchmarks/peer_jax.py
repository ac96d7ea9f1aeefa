"""JAX on the peer workloads, twice: eager (``jax.grad`` / ``jax.hessian`` run op by op)
and compiled (the same functions under ``jax.jit``, compiled during the warm-up and
excluded from the times). Results are waited for (``block_until_ready``) inside the
timed call, since JAX dispatches asynchronously. float64 is enabled for the float64
workloads; float32 inputs stay float32."""

from __future__ import annotations

import jax

jax.config.update("jax_enable_x64", True)

import jax.numpy as jnp  # noqa: E402  (after the float64 switch)
import numpy as np  # noqa: E402
from peer_workloads import MLP_LR, numpy_like_graphs  # noqa: E402


def versions() -> dict:
    return {"jax": jax.__version__}


def to_numpy(value):
    return np.asarray(value)


scalar_graph, elementwise_graph = numpy_like_graphs(jnp)


def mlp_loss(params, x, labels):
    w1, b1, w2, b2, w3, b3 = params
    h = jax.nn.relu(x @ w1.T + b1)
    h = jax.nn.relu(h @ w2.T + b2)
    logp = jax.nn.log_softmax(h @ w3.T + b3, axis=1)
    return -jnp.mean(logp[jnp.arange(labels.shape[0]), labels])


def mlp_step(params, x, labels):
    grads = jax.grad(mlp_loss)(params, x, labels)
    return [p - MLP_LR * g for p, g in zip(params, grads)], grads


def matmul_graph(a, b):
    return jnp.sum(jnp.tanh(a @ b))


def hessian_f(m):
    return lambda x: jnp.sum(jax.nn.logsumexp(m * x, axis=1)) + 0.5 * jnp.dot(x, x)


def _grad(graph, names, jit):
    def factory(data):
        args = [jnp.asarray(data[n]) for n in names]
        g = jax.grad(graph, argnums=tuple(range(len(args))))
        g = jax.jit(g) if jit else g
        return lambda: jax.block_until_ready(g(*args))

    return factory


def _mlp(jit):
    def factory(data):
        state = {"params": [jnp.asarray(p) for p in data["params"]]}
        x, labels = jnp.asarray(data["x"]), jnp.asarray(data["labels"])
        step = jax.jit(mlp_step) if jit else mlp_step

        def run():
            state["params"], grads = jax.block_until_ready(step(state["params"], x, labels))
            return grads

        return run

    return factory


def _hessian(jit):
    def factory(data):
        h = jax.hessian(hessian_f(jnp.asarray(data["m"])))
        h = jax.jit(h) if jit else h
        x = jnp.asarray(data["x"])
        return lambda: (jax.block_until_ready(h(x)),)

    return factory


def _impls(jit):
    return {
        "scalar": _grad(scalar_graph, ("a", "b"), jit),
        "elementwise": _grad(elementwise_graph, ("x", "y"), jit),
        "mlp": _mlp(jit),
        "matmul": _grad(matmul_graph, ("a", "b"), jit),
        "hessian": _hessian(jit),
    }


EAGER, JIT = f"JAX {jax.__version__} eager", f"JAX {jax.__version__} jit"
IMPLS = {EAGER: _impls(False), JIT: _impls(True)}
FULL_ONLY = {EAGER}  # a second per scalar-graph call: too slow for --quick
