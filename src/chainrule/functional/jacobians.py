"""Jacobians and Hessians: ``jacrev`` (the VJP of every unit cotangent), ``jacfwd``
(the JVP of every unit tangent) and ``hessian`` (forward-over-reverse). Each runs its
basis as one batch through ``vmap``: one traced pass, not one per element. Results have shape
``out.shape + in.shape`` and follow pytrees on both sides, as in JAX: the output's
structure outside, each leaf holding the selected arguments' structure.
"""

from __future__ import annotations

from collections.abc import Callable
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
from chainrule.functional.vmap import vmap

__all__ = ["jacrev", "jacfwd", "jacobian", "hessian"]


def _shape(x: Any) -> tuple[int, ...]:
    return visible_shape(x)


def _dtype(x: Any) -> np.dtype:
    return np.result_type(unbox_all(x))


def _basis(x: Any) -> np.ndarray:
    """The unit directions of ``x``'s elements, stacked: shape ``(x.size,) + x.shape``,
    in ``x``'s dtype."""
    shape = _shape(x)
    size = int(np.prod(shape, dtype=np.int64))
    return np.eye(size, dtype=_dtype(x)).reshape((size, *shape))


def _batched(fun: Callable[..., Any], basis: np.ndarray, out_axes: Any = 0) -> Any:
    """``vmap(fun, out_axes=out_axes)(basis)``; a basis of one direction is one plain
    call (its result reshapes the same way, without a batch of one)."""
    if basis.shape[0] == 1:
        return fun(basis[0])
    return vmap(fun, out_axes=out_axes)(basis)


def _unstack(batch: Any, lead_shape: tuple, tail_shape: tuple, dtype: np.dtype) -> Any:
    """A batch of ``prod(lead_shape)`` results (each of ``tail_shape``) as one array of
    ``lead_shape + tail_shape``; zeros of ``dtype`` when the batch is empty."""
    shape = tuple(lead_shape) + tuple(tail_shape)
    if batch is None:
        return np.zeros(shape, dtype)
    return cnp.reshape(batch, shape)


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
    """Jacobian by reverse mode: the VJPs of all output elements, in one batch.
    Shape: out.shape + in.shape. With ``has_aux``, ``(jacobian, aux)``."""

    def jacobian_at(sel: Selection) -> Any:
        res = vjp(sel.fun, *sel.primals, has_aux=has_aux)
        out_leaves, out_def = tree_flatten(res[0])
        in_leaves, in_def = tree_flatten(sel.primals)
        zeros = [full_like(o, 0) for o in out_leaves]

        def rows(k: int) -> list:
            """Input cotangents for each unit cotangent of output leaf ``k``, in one
            batched pass: one batch entry per element of the output leaf."""
            basis = _basis(out_leaves[k])
            if basis.shape[0] == 0:
                return [None] * len(in_leaves)

            def pull(e: Any) -> list:
                ct = list(zeros)
                ct[k] = e
                return tree_flatten(res[1](tree_unflatten(out_def, ct)))[0]

            return _batched(pull, basis)

        per_out = [rows(k) for k in range(len(out_leaves))]

        def block(k: int, j: int) -> Any:
            x = in_leaves[j]  # cotangents take the input's dtype
            return _unstack(per_out[k][j], _shape(out_leaves[k]), _shape(x), _dtype(x))

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
    """Jacobian by forward mode: the JVPs of all input elements, in one batch.
    Shape: out.shape + in.shape. With ``has_aux``, ``(jacobian, aux)``."""

    def jacobian_at(sel: Selection) -> Any:
        in_leaves, in_def = tree_flatten(sel.primals)
        zeros = [full_like(x, 0) for x in in_leaves]
        last: list = []  # a jvp's (out, tangents[, aux]), the primal parts unbatched

        def columns(j: int) -> list | None:
            """Output tangents along each unit direction of input leaf ``j``, in one
            batched pass: one batch entry per element of the input leaf."""
            basis = _basis(in_leaves[j])
            if basis.shape[0] == 0:
                return None

            def push(e: Any) -> tuple:
                t = list(zeros)
                t[j] = e
                return jvp(sel.fun, sel.primals, tree_unflatten(in_def, t), has_aux=has_aux)

            out_axes = (None, 0, None) if has_aux else (None, 0)
            last[:] = _batched(push, basis, out_axes)
            return tree_flatten(last[1])[0]

        per_in = [columns(j) for j in range(len(in_leaves))]
        if last:
            out, aux = last[0], last[2] if has_aux else None
        else:  # no inputs with elements: evaluate once for the output structure
            out = sel.fun(*sel.primals)
            out, aux = out if has_aux else (out, None)
        out_leaves, out_def = tree_flatten(out)

        def block(k: int, j: int) -> Any:
            o, x_shape = out_leaves[k], _shape(in_leaves[j])  # tangents take o's dtype
            column = per_in[j]
            batch = None if column is None else column[k]
            stacked = _unstack(batch, x_shape, _shape(o), _dtype(o))
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
