"""Jacobians and Hessians: ``jacrev`` (one VJP per output element), ``jacfwd`` (one
JVP per input element) and ``hessian`` (forward-over-reverse). Results have shape
``out.shape + in.shape`` and follow pytrees on both sides, as in JAX.
"""

from __future__ import annotations

import functools

import numpy as np

from chainrule.core.trace import unbox_all
from chainrule.functional.pytree import tree_flatten, tree_unflatten
from chainrule.functional.transforms import (
    _check_callable,
    _repeat,
    _resolve_argnums,
    _select,
    jvp,
    vjp,
)

__all__ = ["jacrev", "jacfwd", "jacobian", "hessian"]


def _basis(shape, dtype):
    size = int(np.prod(shape, dtype=np.int64))
    eye = np.eye(size, dtype=dtype)
    return [eye[i].reshape(shape) for i in range(size)]


def _stack(pieces, lead_shape, tail_shape, dtype):
    """Stack ``pieces`` (each of ``tail_shape``) into ``lead_shape + tail_shape``;
    ``dtype`` is that of the (empty) result when there are no pieces."""
    import chainrule.numpy as cnp

    if not pieces:
        return np.zeros(tuple(lead_shape) + tuple(tail_shape), dtype)
    stacked = cnp.stack(pieces) if len(pieces) > 1 else cnp.expand_dims(pieces[0], 0)
    return cnp.reshape(stacked, tuple(lead_shape) + tuple(tail_shape))


def _move_lead_to_tail(x, lead_ndim: int, total_ndim: int):
    import chainrule.numpy as cnp

    if lead_ndim == 0 or lead_ndim == total_ndim:
        return x
    axes = tuple(range(lead_ndim, total_ndim)) + tuple(range(lead_ndim))
    return cnp.transpose(x, axes)


def jacrev(fun, argnums=0, has_aux: bool = False, *, argnum=None):
    """Jacobian by reverse mode: one VJP per output element. Shape: out.shape + in.shape."""
    _check_callable(fun, "jacrev")
    argnums = _resolve_argnums(argnums, argnum)

    @functools.wraps(fun)
    def jac_fun(*args, **kwargs):
        single, nums, uniq, partial_fun, primals = _select(fun, argnums, args, kwargs)

        res = vjp(partial_fun, *primals, has_aux=has_aux)
        out, vjp_fn = res[0], res[1]
        out_leaves, out_def = tree_flatten(out)
        in_leaves, in_def = tree_flatten(primals)
        per_out = []
        for k, o in enumerate(out_leaves):
            o_shape = np.shape(unbox_all(o))
            dtype = np.result_type(unbox_all(o))
            rows = []
            for e in _basis(o_shape, dtype):
                ct = [
                    np.zeros(np.shape(unbox_all(x)), np.result_type(unbox_all(x)))
                    for x in out_leaves
                ]
                ct[k] = e
                rows.append(tree_flatten(vjp_fn(tree_unflatten(out_def, ct)))[0])
            blocks = []
            for j, x in enumerate(in_leaves):
                x_shape = np.shape(unbox_all(x))
                x_dtype = np.result_type(unbox_all(x))  # cotangents take the input's dtype
                blocks.append(_stack([r[j] for r in rows], o_shape, x_shape, x_dtype))
            tree = tree_unflatten(in_def, blocks)
            per_out.append(tree[0] if single else _repeat(tree, uniq, nums))
        result = tree_unflatten(out_def, per_out)
        return (result, res[2]) if has_aux else result

    return jac_fun


def jacfwd(fun, argnums=0, has_aux: bool = False, *, argnum=None):
    """Jacobian by forward mode: one JVP per input element. Shape: out.shape + in.shape."""
    _check_callable(fun, "jacfwd")
    argnums = _resolve_argnums(argnums, argnum)

    @functools.wraps(fun)
    def jac_fun(*args, **kwargs):
        single, nums, uniq, partial_fun, primals = _select(fun, argnums, args, kwargs)

        in_leaves, in_def = tree_flatten(primals)
        zero_tangents = [
            np.zeros(np.shape(unbox_all(x)), np.result_type(unbox_all(x))) for x in in_leaves
        ]
        columns = []  # columns[j] = list of output-leaf tangents, one per basis element of input j
        out = aux = None
        for j, x in enumerate(in_leaves):
            x_shape = np.shape(unbox_all(x))
            cols = []
            for e in _basis(x_shape, np.result_type(unbox_all(x))):
                t = list(zero_tangents)
                t[j] = e
                res = jvp(partial_fun, primals, tree_unflatten(in_def, t), has_aux=has_aux)
                out = res[0]
                if has_aux:
                    aux = res[2]
                cols.append(tree_flatten(res[1])[0])
            columns.append(cols)
        if out is None:  # no inputs with elements: evaluate once for the output structure
            out = partial_fun(*primals)
            if has_aux:
                out, aux = out
        out_leaves, out_def = tree_flatten(out)
        per_out = []
        for k, o in enumerate(out_leaves):
            o_shape = np.shape(unbox_all(o))
            blocks = []
            o_dtype = np.result_type(unbox_all(o))  # tangents take the output's dtype
            for j, x in enumerate(in_leaves):
                x_shape = np.shape(unbox_all(x))
                stacked = _stack([c[k] for c in columns[j]], x_shape, o_shape, o_dtype)
                blocks.append(
                    _move_lead_to_tail(stacked, len(x_shape), len(x_shape) + len(o_shape))
                )
            tree = tree_unflatten(in_def, blocks)
            per_out.append(tree[0] if single else _repeat(tree, uniq, nums))
        result = tree_unflatten(out_def, per_out)
        return (result, aux) if has_aux else result

    return jac_fun


jacobian = jacrev


def hessian(fun, argnums=0, has_aux: bool = False, *, argnum=None):
    """Second derivatives, forward-over-reverse: ``jacfwd(jacrev(fun))``. With a tuple
    ``argnums`` the result is a nested tuple, ``H[i][j] = d²f / d args[i] d args[j]``
    (as in JAX); with ``has_aux``, ``(H, aux)``."""
    _check_callable(fun, "hessian")
    argnums = _resolve_argnums(argnums, argnum)
    return jacfwd(jacrev(fun, argnums, has_aux=has_aux), argnums, has_aux=has_aux)
