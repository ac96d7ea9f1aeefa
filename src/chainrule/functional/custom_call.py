"""One call of a function with hand-made derivative rules, as a one-off primitive.

``custom_vjp``, ``custom_jvp`` and ``checkpoint`` all work the same way: a call's
arguments are split into differentiable leaves (floating or complex) and a static rest
(:class:`SplitCall`); :func:`bind` applies a fresh primitive to the differentiable
leaves whose forward runs the function and whose ``vjp_joint``/``jvp_joint`` are the
caller's. Rules are re-traced at the level where they run, so they nest to any order.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np

from chainrule.core.primitive import Primitive
from chainrule.core.trace import Box, unbox_all
from chainrule.functional.matching import full_like
from chainrule.functional.modes import jvp, vjp
from chainrule.functional.pytree import TreeDef, tree_flatten, tree_unflatten
from chainrule.primitives._helpers import split_results

__all__ = [
    "SplitCall",
    "bind",
    "by_differentiating",
    "check_static",
    "is_array_leaf",
    "none_to_zeros",
    "pullback",
    "resolve_args",
]

# The rules a one-off primitive is given: ``pull(argnums, ans, *diff_values)`` returns
# the pullback ``g -> cotangents of argnums``; ``push(diff_values, tangents, ans)``
# returns the output tangents, every input tangent given (zeros for the untraced).
Pull = Callable[..., Callable[[Sequence[Any]], list]]
Push = Callable[[Sequence[Any], list, Any], Sequence[Any]]


def resolve_args(fun: Callable[..., Any], args: tuple, kwargs: dict, kind: str) -> tuple:
    """``args`` and ``kwargs`` as positional arguments by ``fun``'s signature, defaults
    filled in (JAX's rule), so that rules can be written for positions."""
    name = getattr(fun, "__name__", "fun")
    try:
        sig = inspect.signature(fun)
    except (TypeError, ValueError):
        if kwargs:
            raise TypeError(
                f"{kind} function {name!r} was called with keyword arguments, but its "
                "signature can't be read to place them; pass them positionally"
            ) from None
        return args
    try:
        bound = sig.bind(*args, **kwargs)
    except TypeError as e:
        raise TypeError(f"{kind} function {name!r}: {e}") from None
    bound.apply_defaults()
    passed = [k for k in bound.kwargs if k in kwargs]
    if passed:
        raise TypeError(
            f"{kind} function {name!r}: keyword-only arguments {passed} can't be given a "
            "position for the derivative rules; make them positional, or close over "
            "them (functools.partial)"
        )
    return tuple(bound.args)


def is_array_leaf(x: Any) -> bool:
    """Whether a leaf is differentiated: floating or complex, not a bool."""
    value = unbox_all(x)
    if isinstance(value, (bool, np.bool_)):
        return False
    try:
        return np.result_type(value).kind in "fc"
    except TypeError:
        return False


class SplitCall:
    """A call ``fun(*args)`` split into differentiable leaves and a static rest; the
    arguments at positions ``static`` are static whatever their type."""

    def __init__(self, args: Sequence[Any], static: Iterable[int] = ()):
        static = frozenset(static)
        self.leaves, self.treedef = tree_flatten(args)
        self.diff: list[int] = []  # indices into leaves of the differentiated ones
        start = 0
        for pos, a in enumerate(args):
            end = start + len(tree_flatten(a)[0])
            if pos not in static:
                self.diff.extend(i for i in range(start, end) if is_array_leaf(self.leaves[i]))
            start = end

    def rebuild(self, diff_values: Sequence[Any]) -> Any:
        """The arguments with the differentiable leaves replaced by ``diff_values``."""
        leaves = list(self.leaves)
        for i, v in zip(self.diff, diff_values):
            leaves[i] = v
        return tree_unflatten(self.treedef, leaves)

    def diff_leaves(self) -> list:
        return [self.leaves[i] for i in self.diff]

    def is_traced(self) -> bool:
        """Whether any transform differentiates this call (else it can just run)."""
        return any(isinstance(self.leaves[i], Box) for i in self.diff)


def check_static(
    args: Sequence[Any], positions: Iterable[int], kind: str, name: str, what: str
) -> None:
    """A static argument must not be traced: its derivative would be dropped silently."""
    for n in positions:
        if any(isinstance(leaf, Box) for leaf in tree_flatten(args[n])[0]):
            raise TypeError(
                f"{kind} function {name!r}: argument {n} is in {what} but is being "
                "differentiated (it holds a traced value); its derivative would be lost. "
                f"Remove it from {what}, or don't differentiate with respect to it."
            )


def none_to_zeros(gs: Iterable[Any], like: Iterable[Any]) -> list:
    """``gs`` with each ``None`` (no derivative reached it) a zero of its value in ``like``."""
    return [full_like(x, 0) if g is None else g for g, x in zip(gs, like)]


def _leaves_of(run: Callable[..., Any]) -> Callable[..., tuple]:
    return lambda *d: tuple(tree_flatten(run(*d))[0])


def by_differentiating(run: Callable[..., Any]) -> Push:
    """The forward rule that differentiates ``run`` itself (forward mode)."""

    def push(diff_values: Sequence[Any], tangents: list, ans: Any) -> Sequence[Any]:
        return jvp(_leaves_of(run), tuple(diff_values), tuple(tangents))[1]

    return push


def pullback(
    f: Callable[..., tuple], primals: Sequence[Any], outputs: Sequence[Any], argnums: list[int]
) -> Callable[[Sequence[Any]], list]:
    """The pullback of ``f`` (returning the output leaves, shaped like ``outputs``) at
    ``primals``, for the cotangents of ``argnums``; a ``None`` output cotangent is 0."""
    _, f_vjp = vjp(f, *primals)

    def pull(g: Sequence[Any]) -> list:
        cts = f_vjp(tuple(none_to_zeros(g, outputs)))
        return [cts[i] for i in argnums]

    return pull


def recompute(run: Callable[..., Any]) -> Pull:
    """The reverse rule that differentiates ``run`` itself, recomputing it."""

    def pull(argnums: list[int], ans: Any, *diff_values: Any) -> Callable[[Sequence[Any]], list]:
        return pullback(_leaves_of(run), diff_values, unbox_all(ans), argnums)

    return pull


def bind(name: str, call: SplitCall, run: Callable[..., Any], pull: Pull, push: Push) -> Any:
    """Apply a one-off primitive named ``name`` to the differentiable leaves of ``call``.

    ``run(*diff_values)`` computes the output (a pytree); its structure is recorded
    from the innermost evaluation, the one on plain values.
    """
    out_defs: list[TreeDef] = []

    def impl(xp: Any, *diff_values: Any) -> tuple:
        leaves, out_def = tree_flatten(run(*diff_values))
        if not out_defs:
            out_defs.append(out_def)
        return tuple(leaves)

    def jvp_joint(tangents: list, ans: Any, *diff_values: Any) -> Sequence[Any]:
        return push(diff_values, none_to_zeros(tangents, diff_values), ans)

    prim = Primitive(name, impl, multiple_results=True)
    # Primitive annotates its optional joint rules as None (unset); these set them.
    prim.vjp_joint = pull  # type: ignore[assignment]
    prim.jvp_joint = jvp_joint  # type: ignore[assignment]
    res = prim(*call.diff_leaves())
    if not out_defs:
        raise RuntimeError(f"{name}: internal error, output structure unknown")
    return tree_unflatten(out_defs[0], split_results(res, out_defs[0].num_leaves))
