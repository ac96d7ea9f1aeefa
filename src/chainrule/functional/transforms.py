"""The functional transforms: ``vjp``, ``jvp`` and everything built from them.

``vjp`` opens a :class:`ReverseTrace`, boxes the inputs, runs the function and keeps
the recorded graph; its ``vjp_fn`` sweeps that graph backward. ``jvp`` opens a
:class:`JVPTrace` whose boxes carry tangents. ``grad``, ``jacrev``, ``jacfwd``,
``hessian`` and the rest compose these two. Because each call opens its own trace,
they nest to any order.

Arguments and results may be pytrees (:mod:`chainrule.functional.pytree`); gradients come back
with the structure, shape and floating dtype of the inputs.
"""

from __future__ import annotations

import functools
import operator

import numpy as np

from chainrule.core.forward import JVPTrace
from chainrule.core.reverse import ReverseTrace, RootNode, backward_pass
from chainrule.core.trace import Box, new_trace, unbox_all
from chainrule.functional.pytree import tree_flatten, tree_unflatten
from chainrule.tensors import Tensor

__all__ = [
    "vjp",
    "jvp",
    "grad",
    "value_and_grad",
    "elementwise_grad",
    "jacfwd",
    "jacrev",
    "jacobian",
    "hessian",
    "hvp",
    "linearize",
]


# -- helpers ------------------------------------------------------------------------------
def _check_differentiable(x, where: str) -> None:
    value = unbox_all(x)
    if isinstance(value, tuple):
        return
    if isinstance(value, bool) or isinstance(value, (int, np.integer, np.bool_)):
        kind = type(value).__name__
    else:
        try:
            dtype = np.result_type(value)
        except TypeError:  # a string, an arbitrary object: not an array at all
            dtype = None
        if dtype is not None and dtype.kind in "fc":
            return
        kind = f"dtype {dtype}" if dtype is not None else f"type {type(value).__name__}"
    raise TypeError(
        f"can't differentiate with respect to {where}: it has {kind}, but "
        "differentiation needs floating-point (or complex) inputs. Convert it, e.g. "
        "x.astype(float), or leave it out of argnums."
    )


def _check_callable(fun, name: str) -> None:
    if not callable(fun):
        raise TypeError(f"{name} expects a callable (the function to differentiate), got {fun!r}")


def _check_args(args, nums) -> None:
    """Every leaf of the differentiated arguments must be floating (or complex)."""
    for n in nums:
        for leaf in tree_flatten(args[n])[0]:
            _check_differentiable(leaf, f"argument {n}")


def _zeros_like(x):
    """Zeros with the shape and dtype of ``x``; a NumPy scalar for a Python scalar."""
    value = unbox_all(x)
    zeros = np.zeros(np.shape(value), np.result_type(value))
    if np.ndim(value) == 0 and not isinstance(x, (np.ndarray, Box)):
        return zeros[()]
    return zeros


def _match_input(ct, x):
    """Give a cotangent the shape and dtype of its primal ``x``."""
    if isinstance(ct, Box):  # traced by an outer transform: fix the dtype, traceably
        import chainrule.numpy as cnp

        target = np.result_type(unbox_all(x))
        have = np.result_type(unbox_all(ct))
        if have.kind == "c" and target.kind != "c":
            ct = cnp.real(ct)  # a real input's cotangent is real, at every level
        if np.result_type(unbox_all(ct)) != target:
            ct = cnp.astype(ct, target)
        return ct
    if isinstance(x, Tensor):  # a Tensor in, a Tensor out (even where no rule ran)
        plain = _match_input(ct, x._value)
        return Tensor._wrap(np.asarray(plain), None)
    if ct is None:  # the input did not reach the output: a zero of its own kind
        return _zeros_like(x)
    ct = np.asarray(ct)
    target = np.result_type(unbox_all(x))
    if ct.dtype != target:
        if ct.dtype.kind == "c" and target.kind != "c":
            ct = ct.real
        ct = ct.astype(target)
    shape = np.shape(unbox_all(x))
    if ct.shape != shape:
        ct = np.broadcast_to(ct, shape).copy()
    if not isinstance(x, np.ndarray) and np.ndim(unbox_all(x)) == 0 and not isinstance(x, Box):
        return ct[()]  # a scalar in, a NumPy scalar out (autograd's convention)
    return ct


def _restrict(fun, args, kwargs, nums):
    """``fun`` as a function of the arguments at positions ``nums`` only."""

    def partial_fun(*diff_args):
        full = list(args)
        for n, a in zip(nums, diff_args):
            full[n] = a
        return fun(*full, **kwargs)

    return partial_fun


def _argnums_tuple(argnums, nargs: int):
    """``(single, nums)``: whether ``argnums`` is one int, and the positions it names
    (negative ones counted from the end; repeats kept, see :func:`_unique`)."""
    single = not isinstance(argnums, (tuple, list))
    try:
        nums = (operator.index(argnums),) if single else tuple(map(operator.index, argnums))
    except TypeError:
        raise TypeError(f"argnums must be an int or a tuple of ints, got {argnums!r}") from None
    for n in nums:
        if not -nargs <= n < nargs:
            raise ValueError(
                f"argnums {n} is out of range for a function called with {nargs} arguments"
            )
    return single, tuple(n % nargs for n in nums)


def _unique(nums):
    """The distinct positions of ``nums``, first occurrence first. A position named twice
    is differentiated once; :func:`_repeat` hands its result to both places."""
    return tuple(dict.fromkeys(nums))


def _select(fun, argnums, args, kwargs):
    """Resolve ``argnums`` for a call: ``(single, nums, uniq, partial_fun, primals)``,
    where ``partial_fun`` is ``fun`` of the distinct selected arguments ``primals``."""
    single, nums = _argnums_tuple(argnums, len(args))
    _check_args(args, nums)
    uniq = _unique(nums)
    partial_fun = _restrict(fun, args, kwargs, uniq)
    return single, nums, uniq, partial_fun, tuple(args[n] for n in uniq)


def _repeat(results, uniq, nums):
    """Results computed for ``uniq`` laid out as asked for in ``nums``."""
    return tuple(results[uniq.index(n)] for n in nums)


# -- vjp / jvp ----------------------------------------------------------------------------
def vjp(fun, *primals, has_aux: bool = False):
    """Run ``fun(*primals)``; return ``(out, vjp_fn)`` (plus ``aux`` with ``has_aux``).

    ``vjp_fn(cotangent)`` takes a cotangent shaped like ``out`` and returns a tuple
    with one cotangent per primal, each shaped like its primal.
    """
    _check_callable(fun, "vjp")
    leaves, in_def = tree_flatten(primals)
    for i, leaf in enumerate(leaves):
        _check_differentiable(leaf, f"input leaf {i} of the primals")
    with new_trace(ReverseTrace) as trace:
        boxes = [trace.new_input(leaf) for leaf in leaves]
        result = fun(*tree_unflatten(in_def, boxes))
        if has_aux:
            result, aux = _split_aux(result, trace)
        out_leaves, out_def = tree_flatten(result)
        out_values, out_nodes = [], []
        for o in out_leaves:
            if isinstance(o, Box) and o._trace is trace:
                out_values.append(o._value)
                out_nodes.append(o._node)
            else:
                out_values.append(o)
                out_nodes.append(None)
    in_nodes = [b._node for b in boxes]
    out = tree_unflatten(out_def, out_values)

    def vjp_fn(cotangent):
        ct_leaves, ct_def = tree_flatten(cotangent)
        if ct_def != out_def:
            raise ValueError(
                f"vjp_fn: the cotangent's structure {ct_def} does not match the output's {out_def}"
            )
        parents, cts = [], []
        for node, ct, value in zip(out_nodes, ct_leaves, out_values):
            if np.shape(unbox_all(ct)) != np.shape(unbox_all(value)):
                raise ValueError(
                    f"vjp_fn: cotangent shape {np.shape(unbox_all(ct))} does not match "
                    f"the output shape {np.shape(unbox_all(value))}"
                )
            if node is not None:
                parents.append(node)
                cts.append(ct)
        found = {}

        def visit(node, ct):
            if not node.parents:
                found[node] = ct

        if parents:
            backward_pass(RootNode(parents), cts, visit=visit)
        grads = [_match_input(found.get(n), x) for n, x in zip(in_nodes, leaves)]
        return tuple(tree_unflatten(in_def, grads))

    if has_aux:
        return out, vjp_fn, aux
    return out, vjp_fn


def _split_aux(result, trace):
    """``(output, aux)`` from a ``has_aux`` function's result. ``aux`` is not
    differentiated by ``trace``, so its boxes are removed; boxes of outer transforms
    stay, so that an enclosing ``grad`` still sees how ``aux`` depends on its input."""
    if not (isinstance(result, (tuple, list)) and len(result) == 2):
        raise TypeError("with has_aux=True the function must return a pair (output, aux)")
    out, aux = result
    leaves, treedef = tree_flatten(aux)
    return out, tree_unflatten(treedef, [_strip(x, trace) for x in leaves])


def _strip(x, trace):
    while isinstance(x, Box) and x._trace is trace:
        x = x._value
    return x


def jvp(fun, primals, tangents, has_aux: bool = False):
    """Forward mode: ``(fun(*primals), J @ tangents)``; primals/tangents are tuples."""
    _check_callable(fun, "jvp")
    if not isinstance(primals, (tuple, list)) or not isinstance(tangents, (tuple, list)):
        raise TypeError("jvp expects primals and tangents as tuples, e.g. jvp(f, (x,), (v,))")
    p_leaves, p_def = tree_flatten(tuple(primals))
    t_leaves, t_def = tree_flatten(tuple(tangents))
    if p_def != t_def:
        raise ValueError(f"jvp: tangents' structure {t_def} does not match primals' {p_def}")
    for i, (p, t) in enumerate(zip(p_leaves, t_leaves)):
        _check_differentiable(p, f"primal leaf {i}")
        if np.shape(unbox_all(p)) != np.shape(unbox_all(t)):
            raise ValueError(
                f"jvp: tangent {i} has shape {np.shape(unbox_all(t))} but its primal has "
                f"shape {np.shape(unbox_all(p))}"
            )
    t_leaves = [_match_tangent(t, p, i) for i, (p, t) in enumerate(zip(p_leaves, t_leaves))]
    with new_trace(JVPTrace) as trace:
        boxes = [trace.new_input(p, t) for p, t in zip(p_leaves, t_leaves)]
        result = fun(*tree_unflatten(p_def, boxes))
        if has_aux:
            result, aux = _split_aux(result, trace)
        out_leaves, out_def = tree_flatten(result)
        values, out_tangents = [], []
        for o in out_leaves:
            if isinstance(o, Box) and o._trace is trace:
                values.append(o._value)
                out_tangents.append(_match_output(o._tangent, o._value))
            else:
                values.append(o)
                out_tangents.append(_zeros_like(o))
    out = tree_unflatten(out_def, values), tree_unflatten(out_def, out_tangents)
    return (*out, aux) if has_aux else out


def _match_output(t, value):
    """An output tangent as a NumPy value of its output's shape and floating precision
    (a rule fed Python floats may return one; a float32 output gets a float32 tangent)."""
    if isinstance(t, Box) or not isinstance(t, (float, int, complex, np.ndarray, np.generic)):
        return t
    value = unbox_all(value)
    try:
        target = np.result_type(value)
    except TypeError:
        return t
    arr = np.asarray(t)
    if arr.dtype != target and arr.dtype.kind == target.kind and target.kind in "fc":
        arr = arr.astype(target)
    shape = np.shape(value)
    if arr.shape != shape and arr.ndim == 0:
        arr = np.broadcast_to(arr, shape).copy()
    return arr if isinstance(value, np.ndarray) or arr.ndim else arr[()]


def _match_tangent(t, p, i: int):
    """A tangent in its primal's dtype (``1.0`` along a float32 input is float32; an
    integer tangent is cast). A complex tangent for a real primal is an error."""
    if isinstance(t, Box):
        return t
    target = np.result_type(unbox_all(p))
    dtype = np.result_type(t)
    if dtype == target:
        return t
    if dtype.kind == "c" and target.kind != "c":
        raise TypeError(
            f"jvp: tangent {i} is complex ({dtype}) but its primal is real ({target}); "
            "a real input can only move in real directions"
        )
    if dtype.kind not in "biufc":
        raise TypeError(f"jvp: tangent {i} has dtype {dtype}, not a number")
    cast = np.asarray(t).astype(target)
    return cast if isinstance(t, np.ndarray) else cast[()]


def linearize(fun, *primals):
    """``(out, f_jvp)`` where ``f_jvp(*tangents)`` is the JVP at ``primals`` (re-traced)."""
    _check_callable(fun, "linearize")
    out = fun(*primals)
    return out, lambda *tangents: jvp(fun, primals, tangents)[1]


# -- grad and friends -------------------------------------------------------------------------
def _resolve_argnums(argnums, argnum):
    return argnum if argnum is not None else argnums


def value_and_grad(fun, argnums=0, has_aux: bool = False, *, argnum=None):
    """Return a function computing ``(fun(*args), grad)``; with ``has_aux``,
    ``((value, aux), grad)`` as in JAX."""
    _check_callable(fun, "grad")
    argnums = _resolve_argnums(argnums, argnum)

    @functools.wraps(fun)
    def value_and_grad_fun(*args, **kwargs):
        single, nums, uniq, partial_fun, primals = _select(fun, argnums, args, kwargs)

        res = vjp(partial_fun, *primals, has_aux=has_aux)
        out, vjp_fn = res[0], res[1]
        _check_scalar_output(out, "grad")
        g = np.ones((), np.result_type(unbox_all(out)))
        grads = vjp_fn(g)
        grads = grads[0] if single else _repeat(grads, uniq, nums)
        if has_aux:
            return (out, res[2]), grads
        return out, grads

    return value_and_grad_fun


def _check_scalar_output(out, name: str) -> None:
    value = unbox_all(out)
    if value is None or isinstance(value, (tuple, list, dict)):
        raise TypeError(
            f"{name} needs a function returning a scalar, but it returned "
            f"{'None' if value is None else 'a ' + type(value).__name__}"
        )
    try:
        dtype = np.result_type(value)
    except TypeError:
        dtype = None
    if dtype is None or dtype.kind in "OSUV":
        raise TypeError(
            f"{name} needs a function returning a scalar array or float, but it returned "
            f"a {type(value).__name__}"
        )
    shape = np.shape(value)
    if shape != ():
        raise TypeError(
            f"{name} is only defined for functions with a scalar output, but the output "
            f"has shape {shape}. Sum it, or use jacrev/elementwise_grad/vjp."
        )
    if dtype.kind == "c":
        # JAX and autograd refuse too: a complex output has no single "gradient".
        raise TypeError(
            f"{name} needs a real-valued output, but the output has dtype {dtype}. "
            "Differentiate its real part (cnp.real), use holomorphic_grad for the complex "
            "derivative of a holomorphic function, or use vjp."
        )
    if dtype.kind != "f":
        raise TypeError(f"{name} needs a floating-point output, but the output has dtype {dtype}")


def grad(fun, argnums=0, has_aux: bool = False, *, argnum=None):
    """The gradient of a scalar function (reverse mode), JAX/autograd style."""
    vg = value_and_grad(fun, argnums, has_aux, argnum=argnum)

    @functools.wraps(fun)
    def grad_fun(*args, **kwargs):
        (value, g) = vg(*args, **kwargs)
        if has_aux:
            return g, value[1]
        return g

    return grad_fun


def elementwise_grad(fun, argnums=0, *, argnum=None):
    """Sum of the Jacobian's rows: the gradient of ``sum(fun(x))`` (autograd). With
    several outputs (a pytree), the sum runs over all of them."""
    _check_callable(fun, "elementwise_grad")
    argnums = _resolve_argnums(argnums, argnum)

    @functools.wraps(fun)
    def egrad(*args, **kwargs):
        single, nums, uniq, partial_fun, primals = _select(fun, argnums, args, kwargs)

        out, vjp_fn = vjp(partial_fun, *primals)
        out_leaves, out_def = tree_flatten(out)
        ones = [np.ones(np.shape(unbox_all(o)), np.result_type(unbox_all(o))) for o in out_leaves]
        grads = vjp_fn(tree_unflatten(out_def, ones))
        return grads[0] if single else _repeat(grads, uniq, nums)

    return egrad


def hvp(fun, x, v):
    """Hessian-vector product ``H(x) @ v`` without forming H (forward-over-reverse)."""
    _check_callable(fun, "hvp")
    return jvp(grad(fun), (x,), (v,))[1]


# Jacobians live in their own module; imported last (they build on vjp/jvp above).
from chainrule.functional.jacobians import hessian, jacfwd, jacobian, jacrev  # noqa: E402
