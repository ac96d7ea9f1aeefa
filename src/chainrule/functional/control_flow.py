"""``cond``: a choice between two functions on a traced condition, kept by ``jit``.

``if x > 0:`` inside ``jit`` is refused, because a program can only repeat the branch
taken while tracing. ``cond(pred, true_fn, false_fn, *operands)`` is the same choice
as one primitive: its forward calls ``true_fn(*operands)`` or ``false_fn(*operands)``
on the values of each call, so a jitted program takes the branch that the values of
that call select. It is differentiable in both modes, to any order: the tangent of a
``cond`` is a ``cond`` of the branches' tangents, its cotangent a ``cond`` of the
branches' cotangents (JAX's ``lax.cond`` does the same), so only the taken branch runs.

Each branch returns one array or a tuple of arrays, with the same shapes and dtypes
for both; ``pred`` is a scalar (its derivative is zero).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import numpy as np

from chainrule.core.primitive import Primitive
from chainrule.core.trace import unbox_all
from chainrule.functional.arguments import check_callable
from chainrule.functional.modes import jvp, vjp
from chainrule.numpy import zeros_like
from chainrule.primitives._helpers import split_results

__all__ = ["cond"]


def _as_tuple(out: Any) -> tuple:
    return tuple(out) if isinstance(out, (tuple, list)) else (out,)


def _cond_impl(xp, pred, *operands, true_fn, false_fn):
    if np.ndim(pred) != 0:
        raise ValueError(f"cond: pred must be a scalar, got shape {np.shape(pred)}")
    return _as_tuple(true_fn(*operands) if bool(pred) else false_fn(*operands))


def _pushed(fn: Callable, n: int) -> Callable:
    """``fn``'s tangent map: (operands, tangents) -> output tangents."""

    def push(*args):
        return _as_tuple(jvp(lambda *ops: _as_tuple(fn(*ops)), args[:n], args[n:])[1])

    return push


def _pulled(fn: Callable, n: int) -> Callable:
    """``fn``'s cotangent map: (operands, output cotangents) -> operand cotangents."""

    def pull(*args):
        out, f_vjp = vjp(lambda *ops: _as_tuple(fn(*ops)), *args[:n])
        return _as_tuple(f_vjp(tuple(args[n:])))

    return pull


def _cond_jvp(tangents, ans, pred, *operands, true_fn, false_fn):
    n = len(operands)
    tans = [zeros_like(op) if t is None else t for t, op in zip(tangents[1:], operands)]
    res = cond_p(pred, *operands, *tans, true_fn=_pushed(true_fn, n), false_fn=_pushed(false_fn, n))
    return split_results(res, len(unbox_all(ans)))


def _cond_vjp(argnums, ans, pred, *operands, true_fn, false_fn):
    n = len(operands)
    outs = split_results(ans, len(unbox_all(ans)))

    def pull(g):
        gs = [zeros_like(out) if gi is None else gi for gi, out in zip(g, outs)]
        res = cond_p(
            pred, *operands, *gs, true_fn=_pulled(true_fn, n), false_fn=_pulled(false_fn, n)
        )
        cts = split_results(res, n)
        return [cts[i - 1] for i in argnums]

    return pull


# Not in the registry: its rules call the functional transforms, a layer above the
# rule table, and its forward calls the user's branch functions.
cond_p = Primitive("cond", _cond_impl, multiple_results=True)
cond_p.nondiff = frozenset({0})
cond_p.vjp_joint = _cond_vjp  # type: ignore[assignment]
cond_p.jvp_joint = _cond_jvp  # type: ignore[assignment]


def cond(pred: Any, true_fn: Callable, false_fn: Callable, *operands: Any) -> Any:
    """``true_fn(*operands)`` if ``pred`` else ``false_fn(*operands)``, as one primitive
    that ``jit`` keeps (see the module docstring)."""
    check_callable(true_fn, "cond")
    check_callable(false_fn, "cond")
    single: list[bool] = []

    def branch(fn):
        @functools.wraps(fn)
        def run(*ops):
            out = fn(*ops)
            if not single:
                single.append(not isinstance(out, (tuple, list)))
            return out

        return run

    res = cond_p(pred, *operands, true_fn=branch(true_fn), false_fn=branch(false_fn))
    outs = split_results(res, len(unbox_all(res)))
    return outs[0] if single[0] else outs
