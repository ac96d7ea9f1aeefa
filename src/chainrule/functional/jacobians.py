"""Jacobians and Hessians: ``jacrev`` (one VJP per output element), ``jacfwd`` (one
JVP per input element) and ``hessian`` (forward-over-reverse). Results have shape
``out.shape + in.shape`` and follow pytrees on both sides, as in JAX: the output's
structure outside, each leaf holding the selected arguments' structure.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

import chainrule.numpy as cnp
from chainrule.core.trace import unbox_all, visible_shape
from chainrule.functional.arguments import (
    Argnums,
    Selection,
    check_callable,
    pick_argnums,
    transform_over,
)
from chainrule.functional.matching import full_like
from chainrule.functional.modes import jvp, vjp
from chainrule.functional.pytree import TreeDef, tree_flatten, tree_unflatten

__all__ = ["jacrev", "jacfwd", "jacobian", "hessian"]


def _shape(x: Any) -> tuple[int, ...]:
    return visible_shape(x)


def _dtype(x: Any) -> np.dtype:
    return np.result_type(unbox_all(x))


def _basis(x: Any) -> list[np.ndarray]:
    """The unit directions of ``x``'s elements, each shaped and typed like ``x``."""
    shape = _shape(x)
    size = int(np.prod(shape, dtype=np.int64))
    eye = np.eye(size, dtype=_dtype(x))
    return [eye[i].reshape(shape) for i in range(size)]


def _stack(pieces: Sequence[Any], lead_shape: tuple, tail_shape: tuple, dtype: np.dtype) -> Any:
    """Stack ``pieces`` (each of ``tail_shape``) into ``lead_shape + tail_shape``;
    ``dtype`` is that of the (empty) result when there are no pieces."""
    if not pieces:
        return np.zeros(tuple(lead_shape) + tuple(tail_shape), dtype)
    stacked = cnp.stack(pieces) if len(pieces) > 1 else cnp.expand_dims(pieces[0], 0)
    return cnp.reshape(stacked, tuple(lead_shape) + tuple(tail_shape))


def _move_lead_to_tail(x: Any, lead_ndim: int, total_ndim: int) -> Any:
    if lead_ndim == 0 or lead_ndim == total_ndim:
        return x
    axes = tuple(range(lead_ndim, total_ndim)) + tuple(range(lead_ndim))
    return cnp.transpose(x, axes)


def _jacobian_tree(
    sel: Selection,
    out_def: TreeDef,
    in_def: TreeDef,
    block: Callable[[int, int], Any],
) -> Any:
    """The Jacobian as a pytree whose block for output leaf ``k`` and input leaf ``j``
    is ``block(k, j)``."""
    n_in = in_def.num_leaves
    per_out = [
        sel.arrange(tree_unflatten(in_def, [block(k, j) for j in range(n_in)]))
        for k in range(out_def.num_leaves)
    ]
    return tree_unflatten(out_def, per_out)


def jacrev(
    fun: Callable[..., Any],
    argnums: Argnums = 0,
    has_aux: bool = False,
    *,
    argnum: Argnums | None = None,
) -> Callable[..., Any]:
    """Jacobian by reverse mode: one VJP per output element. Shape: out.shape + in.shape.
    With ``has_aux``, ``(jacobian, aux)``."""

    def jacobian_at(sel: Selection) -> Any:
        res = vjp(sel.fun, *sel.primals, has_aux=has_aux)
        out_leaves, out_def = tree_flatten(res[0])
        in_leaves, in_def = tree_flatten(sel.primals)
        zeros = [full_like(o, 0) for o in out_leaves]

        def row(k: int, e: np.ndarray) -> list:
            """The input cotangents for the unit cotangent ``e`` of output leaf ``k``."""
            ct = list(zeros)
            ct[k] = e
            return tree_flatten(res[1](tree_unflatten(out_def, ct)))[0]

        rows = [[row(k, e) for e in _basis(o)] for k, o in enumerate(out_leaves)]

        def block(k: int, j: int) -> Any:
            x = in_leaves[j]  # cotangents take the input's dtype
            return _stack([r[j] for r in rows[k]], _shape(out_leaves[k]), _shape(x), _dtype(x))

        result = _jacobian_tree(sel, out_def, in_def, block)
        return (result, res[2]) if has_aux else result

    return transform_over(fun, "jacrev", argnums, argnum, jacobian_at)


def jacfwd(
    fun: Callable[..., Any],
    argnums: Argnums = 0,
    has_aux: bool = False,
    *,
    argnum: Argnums | None = None,
) -> Callable[..., Any]:
    """Jacobian by forward mode: one JVP per input element. Shape: out.shape + in.shape.
    With ``has_aux``, ``(jacobian, aux)``."""

    def jacobian_at(sel: Selection) -> Any:
        in_leaves, in_def = tree_flatten(sel.primals)
        zeros = [full_like(x, 0) for x in in_leaves]
        last: list = []  # the latest jvp's (out, tangents[, aux])

        def column(j: int, e: np.ndarray) -> list:
            """The output tangents along the unit direction ``e`` of input leaf ``j``."""
            t = list(zeros)
            t[j] = e
            last[:] = jvp(sel.fun, sel.primals, tree_unflatten(in_def, t), has_aux=has_aux)
            return tree_flatten(last[1])[0]

        columns = [[column(j, e) for e in _basis(x)] for j, x in enumerate(in_leaves)]
        if last:
            out, aux = last[0], last[2] if has_aux else None
        else:  # no inputs with elements: evaluate once for the output structure
            out = sel.fun(*sel.primals)
            out, aux = out if has_aux else (out, None)
        out_leaves, out_def = tree_flatten(out)

        def block(k: int, j: int) -> Any:
            o, x_shape = out_leaves[k], _shape(in_leaves[j])  # tangents take o's dtype
            stacked = _stack([c[k] for c in columns[j]], x_shape, _shape(o), _dtype(o))
            return _move_lead_to_tail(stacked, len(x_shape), len(x_shape) + len(_shape(o)))

        result = _jacobian_tree(sel, out_def, in_def, block)
        return (result, aux) if has_aux else result

    return transform_over(fun, "jacfwd", argnums, argnum, jacobian_at)


jacobian = jacrev


def hessian(
    fun: Callable[..., Any],
    argnums: Argnums = 0,
    has_aux: bool = False,
    *,
    argnum: Argnums | None = None,
) -> Callable[..., Any]:
    """Second derivatives, forward-over-reverse: ``jacfwd(jacrev(fun))``. With a tuple
    ``argnums`` the result is a nested tuple, ``H[i][j] = d²f / d args[i] d args[j]``
    (as in JAX); with ``has_aux``, ``(H, aux)``."""
    check_callable(fun, "hessian")
    argnums = pick_argnums(argnums, argnum)
    inner = jacfwd(jacrev(fun, argnums, has_aux=has_aux), argnums, has_aux=has_aux)

    def hessian_fun(*args, **kwargs):
        out = inner(*args, **kwargs)
        if has_aux:
            return _numpy_scalars(out[0]), out[1]
        return _numpy_scalars(out)

    return hessian_fun


def _numpy_scalars(tree):
    """0-d arrays as NumPy scalars, as ``grad`` returns them (a scalar function of a
    scalar has a scalar second derivative); nested tuples keep their structure."""
    leaves, treedef = tree_flatten(tree)
    fixed = [x[()] if isinstance(x, np.ndarray) and x.ndim == 0 else x for x in leaves]
    return tree_unflatten(treedef, fixed)
