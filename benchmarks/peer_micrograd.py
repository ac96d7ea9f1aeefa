"""micrograd (Karpathy's scalar engine) on the scalar graph, its only fitting workload.

micrograd's ``Value`` has +, *, ** and relu but no tanh or exp; the two are added here as
``Value`` nodes with their own backward closures, exactly as its own ops are built."""

from __future__ import annotations

import math
from importlib.metadata import version

from micrograd.engine import Value
from peer_workloads import SCALAR_ROUNDS


def versions() -> dict:
    return {"micrograd": version("micrograd")}


def to_numpy(value):
    return value


def tanh(v: Value) -> Value:
    t = math.tanh(v.data)
    out = Value(t, (v,), "tanh")

    def _backward():
        v.grad += (1 - t * t) * out.grad  # d tanh = 1 - tanh²

    out._backward = _backward
    return out


def exp(v: Value) -> Value:
    out = Value(math.exp(v.data), (v,), "exp")

    def _backward():
        v.grad += out.data * out.grad  # d exp = exp

    out._backward = _backward
    return out


def scalar(data):
    def run():
        a, b = Value(data["a"]), Value(data["b"])
        x, y = a, b
        for _ in range(SCALAR_ROUNDS):
            m = x * y
            s = m + b
            x = tanh(s)
            p = x**2
            e = exp(p)
            y = e * a
        (x + y).backward()
        return a.grad, b.grad

    return run


IMPLS = {f"micrograd {version('micrograd')}": {"scalar": scalar}}
