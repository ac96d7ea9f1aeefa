"""autograd's ``misc`` helpers: ``flatten`` (a pytree as one vector and back, both
differentiable), ``flatten_func``, and ``fixed_point`` (a fixed point whose gradient
comes from the adjoint fixed-point equation, not from unrolling the iterations)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

import chainrule.numpy as cnp
from chainrule.core.trace import visible_shape
from chainrule.functional.extension import defvjp, primitive
from chainrule.functional.modes import vjp
from chainrule.functional.pytree import tree_flatten, tree_unflatten

__all__ = ["fixed_point", "flatten", "flatten_func"]


def flatten(value: Any) -> tuple[Any, Callable[[Any], Any]]:
    """``(vector, unflatten)``: the leaves of ``value`` raveled and joined into one 1-D
    array, and the inverse; both are differentiable."""
    leaves, treedef = tree_flatten(value)
    shapes = [visible_shape(x) for x in leaves]
    sizes = [int(np.prod(s)) for s in shapes]
    vector = cnp.concatenate([cnp.ravel(x) for x in leaves]) if leaves else np.zeros(0)

    def unflatten(vec: Any) -> Any:
        parts, start = [], 0
        for shape, size in zip(shapes, sizes):
            piece = vec[start] if shape == () else cnp.reshape(vec[start : start + size], shape)
            parts.append(piece)
            start += size
        return tree_unflatten(treedef, parts)

    return vector, unflatten


def flatten_func(func: Callable[..., Any], example: Any) -> tuple:
    """``(flat_func, unflatten, flat_example)``: ``func`` of a pytree shaped like
    ``example`` as a function of one flat vector."""
    flat_example, unflatten = flatten(example)

    def flat_func(vec: Any, *args: Any, **kwargs: Any) -> Any:
        return func(unflatten(vec), *args, **kwargs)

    return flat_func, unflatten, flat_example


def fixed_point(f: Callable, a: Any, x0: Any, distance: Callable, tol: float) -> Any:
    """Iterate ``x ← f(a)(x)`` from ``x0`` until ``distance(x, x_prev) <= tol``.
    Differentiable in ``a`` (an array, a number, or a tuple, list or dict of them): the
    cotangent ``w`` of the fixed point ``x*`` solves ``w = g + (∂f/∂x)ᵀ w``, found by
    ``fixed_point`` again from zero, then passes through ``∂f/∂a``."""
    if isinstance(a, tuple | list | dict):  # one vector, so the record sees traced leaves
        flat_a, unflatten = flatten(a)
        return _fixed_point(lambda v: f(unflatten(v)), flat_a, x0, distance, tol)
    return _fixed_point(f, a, x0, distance, tol)


@primitive
def _fixed_point(f: Callable, a: Any, x0: Any, distance: Callable, tol: float) -> Any:
    step = f(a)
    x, x_prev = step(x0), x0
    while distance(x, x_prev) > tol:
        x, x_prev = step(x), x
    return x


def _fixed_point_vjp(ans, f, a, x0, distance, tol):
    _, pull_a = vjp(lambda a_: f(a_)(ans), a)

    def adjoint_step(params):
        a_, x_star, g = params
        _, pull_x = vjp(f(a_), x_star)
        return lambda w: g + pull_x(w)[0]

    def cotangent(g):
        # The cotangent solves w = g + (∂f/∂x)ᵀ w: found by fixed_point itself, from zero,
        # so an outer derivative goes through this same adjoint rule again (rather than
        # through the unrolled iterations), and stops by the same rule as the forward.
        w = fixed_point(adjoint_step, (a, ans, g), 0.0 * g, distance, tol)
        return pull_a(w)[0]

    return cotangent


defvjp(_fixed_point, None, _fixed_point_vjp, None, None, None)
