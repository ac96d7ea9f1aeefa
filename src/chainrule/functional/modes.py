"""The two modes every other transform composes: ``vjp`` (reverse) and ``jvp`` (forward).

``vjp`` opens a :class:`ReverseTrace`, boxes the inputs, runs the function and keeps
the recorded graph; its ``vjp_fn`` sweeps that graph backward. ``jvp`` opens a
:class:`JVPTrace` whose boxes carry tangents. Because each call opens its own trace,
they nest to any order.

Arguments and results may be pytrees (:mod:`chainrule.functional.pytree`); derivatives
come back with the structure, shape and floating dtype of the values they belong to
(:mod:`chainrule.functional.matching`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from chainrule.core.forward import JVPBox, JVPTrace
from chainrule.core.reverse import ReverseBox, ReverseTrace, RootNode, backward_pass
from chainrule.core.trace import Box, Trace, new_trace, visible_shape
from chainrule.functional.arguments import check_callable, check_differentiable
from chainrule.functional.matching import (
    cotangent_like,
    full_like,
    output_tangent,
    tangent_like,
)
from chainrule.functional.pytree import TreeDef, tree_flatten, tree_unflatten

__all__ = ["vjp", "jvp", "linearize"]

B = TypeVar("B", bound=Box)


def _traced_result(
    result: Any, trace: Trace, box_type: type[B], has_aux: bool
) -> tuple[list, TreeDef, list[B | None], Any]:
    """Split what the traced function returned: ``(leaves, out_def, mine, aux)`` where
    ``mine[k]`` is output leaf ``k``'s box of ``trace`` (a ``box_type``), or ``None``
    where the leaf is a constant to it (``aux`` is ``None`` without ``has_aux``)."""
    aux = None
    if has_aux:
        result, aux = _split_aux(result, trace)
    leaves, out_def = tree_flatten(result)
    mine = [o if isinstance(o, box_type) and o._trace is trace else None for o in leaves]
    return leaves, out_def, mine, aux


def _split_aux(result: Any, trace: Trace) -> tuple[Any, Any]:
    """``(output, aux)`` from a ``has_aux`` function's result. ``aux`` is not
    differentiated by ``trace``, so its boxes are removed; boxes of outer transforms
    stay, so that an enclosing ``grad`` still sees how ``aux`` depends on its input."""
    if not (isinstance(result, (tuple, list)) and len(result) == 2):
        raise TypeError("with has_aux=True the function must return a pair (output, aux)")
    out, aux = result
    leaves, treedef = tree_flatten(aux)
    return out, tree_unflatten(treedef, [_strip(x, trace) for x in leaves])


def _strip(x: Any, trace: Trace) -> Any:
    while isinstance(x, Box) and x._trace is trace:
        x = x._value
    return x


def vjp(fun: Callable[..., Any], *primals: Any, has_aux: bool = False) -> tuple:
    """Run ``fun(*primals)``; return ``(out, vjp_fn)`` (plus ``aux`` with ``has_aux``).

    ``vjp_fn(cotangent)`` takes a cotangent shaped like ``out`` and returns a tuple
    with one cotangent per primal, each shaped like its primal.
    """
    check_callable(fun, "vjp")
    leaves, in_def = tree_flatten(primals)
    for i, leaf in enumerate(leaves):
        check_differentiable(leaf, f"input leaf {i} of the primals")
    with new_trace(ReverseTrace) as trace:
        boxes = [trace.new_input(leaf) for leaf in leaves]
        out_leaves, out_def, mine, aux = _traced_result(
            fun(*tree_unflatten(in_def, boxes)), trace, ReverseBox, has_aux
        )
    out_values = [o if box is None else box._value for o, box in zip(out_leaves, mine)]
    out_nodes = [None if box is None else box._node for box in mine]
    in_nodes = [b._node for b in boxes]

    def vjp_fn(cotangent: Any) -> tuple:
        parents, cts = [], []
        for node, ct in zip(out_nodes, _cotangent_leaves(cotangent, out_def, out_values)):
            if node is not None:
                parents.append(node)
                cts.append(ct)
        found = {}

        def visit(node, ct):
            if not node.parents:
                found[node] = ct

        if parents:
            backward_pass(RootNode(parents), cts, visit=visit)
        grads = [cotangent_like(found.get(n), x) for n, x in zip(in_nodes, leaves)]
        return tuple(tree_unflatten(in_def, grads))

    out = tree_unflatten(out_def, out_values)
    return (out, vjp_fn, aux) if has_aux else (out, vjp_fn)


def _cotangent_leaves(cotangent: Any, out_def: TreeDef, out_values: list) -> list:
    """The leaves of the cotangent given to ``vjp_fn``, checked against the output's
    structure and shapes."""
    ct_leaves, ct_def = tree_flatten(cotangent)
    if ct_def != out_def:
        raise ValueError(
            f"vjp_fn: the cotangent's structure {ct_def} does not match the output's {out_def}"
        )
    for ct, value in zip(ct_leaves, out_values):
        if visible_shape(ct) != visible_shape(value):
            raise ValueError(
                f"vjp_fn: cotangent shape {visible_shape(ct)} does not match "
                f"the output shape {visible_shape(value)}"
            )
    return ct_leaves


def jvp(
    fun: Callable[..., Any],
    primals: Sequence[Any],
    tangents: Sequence[Any],
    has_aux: bool = False,
) -> tuple:
    """Forward mode: ``(fun(*primals), J @ tangents)`` (plus ``aux`` with ``has_aux``);
    ``primals`` and ``tangents`` are tuples of the same structure."""
    check_callable(fun, "jvp")
    p_leaves, p_def, t_leaves = _primals_and_tangents(primals, tangents)
    with new_trace(JVPTrace) as trace:
        boxes = [trace.new_input(p, t) for p, t in zip(p_leaves, t_leaves)]
        out_leaves, out_def, mine, aux = _traced_result(
            fun(*tree_unflatten(p_def, boxes)), trace, JVPBox, has_aux
        )
        values, out_tangents = [], []
        for o, box in zip(out_leaves, mine):
            if box is None:
                values.append(o)
                out_tangents.append(full_like(o, 0))
            else:
                values.append(box._value)
                out_tangents.append(output_tangent(box._tangent, box._value))
    out = tree_unflatten(out_def, values), tree_unflatten(out_def, out_tangents)
    return (*out, aux) if has_aux else out


def _primals_and_tangents(primals: Sequence[Any], tangents: Sequence[Any]):
    """``(primal leaves, their structure, tangent leaves)``, checked: the same
    structure, floating primals, tangents of their primal's shape and dtype."""
    if not isinstance(primals, (tuple, list)) or not isinstance(tangents, (tuple, list)):
        raise TypeError("jvp expects primals and tangents as tuples, e.g. jvp(f, (x,), (v,))")
    p_leaves, p_def = tree_flatten(tuple(primals))
    t_leaves, t_def = tree_flatten(tuple(tangents))
    if p_def != t_def:
        raise ValueError(f"jvp: tangents' structure {t_def} does not match primals' {p_def}")
    for i, (p, t) in enumerate(zip(p_leaves, t_leaves)):
        check_differentiable(p, f"primal leaf {i}")
        if visible_shape(p) != visible_shape(t):
            raise ValueError(
                f"jvp: tangent {i} has shape {visible_shape(t)} but its primal has "
                f"shape {visible_shape(p)}"
            )
    t_leaves = [tangent_like(t, p, i) for i, (p, t) in enumerate(zip(p_leaves, t_leaves))]
    return p_leaves, p_def, t_leaves


def linearize(fun: Callable[..., Any], *primals: Any) -> tuple[Any, Callable[..., Any]]:
    """``(out, f_jvp)`` where ``f_jvp(*tangents)`` is the JVP at ``primals`` (re-traced)."""
    check_callable(fun, "linearize")
    out = fun(*primals)
    return out, lambda *tangents: jvp(fun, primals, tangents)[1]
