"""Gradients of scalar functions and their kin, built on ``vjp`` and ``jvp``:
``value_and_grad``, ``grad``, ``elementwise_grad`` and ``hvp``.

``argnums`` picks the arguments differentiated (an int: one gradient; a tuple: a
tuple of them); gradients come back in the structure, shape and floating dtype of
those arguments.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import numpy as np

from chainrule.core.backend import numpy_dtype
from chainrule.core.trace import unbox_all, visible_shape
from chainrule.functional.arguments import Argnums, Selection, check_callable, transform_over
from chainrule.functional.matching import filled_array, full_like
from chainrule.functional.modes import jvp, vjp
from chainrule.functional.pytree import tree_map

__all__ = ["value_and_grad", "grad", "elementwise_grad", "hvp"]


def value_and_grad(
    fun: Callable[..., Any],
    argnums: Argnums = 0,
    has_aux: bool = False,
    *,
    argnum: Argnums | None = None,
) -> Callable[..., tuple[Any, Any]]:
    """Return a function computing ``(fun(*args), grad)``; with ``has_aux``,
    ``((value, aux), grad)`` as in JAX."""

    def value_and_grad_at(sel: Selection) -> tuple[Any, Any]:
        res = vjp(sel.fun, *sel.primals, has_aux=has_aux)
        out, vjp_fn = res[0], res[1]
        _check_scalar_output(out, "grad")
        # a one-element output of any shape ((1,), (1, 1)) counts as a scalar, as in autograd
        # (in the output's library and device: a CuPy output gets a CuPy seed)
        seed = filled_array(out, 1)
        grads = sel.arrange(vjp_fn(seed))
        return ((out, res[2]), grads) if has_aux else (out, grads)

    return transform_over(fun, "grad", argnums, argnum, value_and_grad_at)


def _check_scalar_output(out: Any, name: str) -> None:
    """``grad`` is defined for a real floating output with one element only (a scalar,
    or an array of shape ``(1,)``, ``(1, 1)`` ...); say what it got."""
    value = unbox_all(out)
    if value is None or isinstance(value, (tuple, list, dict)):
        raise TypeError(
            f"{name} needs a function returning a scalar, but it returned "
            f"{'None' if value is None else 'a ' + type(value).__name__}"
        )
    try:
        dtype = numpy_dtype(value)
    except TypeError:
        dtype = None
    if dtype is None or dtype.kind in "OSUV":
        raise TypeError(
            f"{name} needs a function returning a scalar array or float, but it returned "
            f"a {type(value).__name__}"
        )
    shape = visible_shape(out)
    if int(np.prod(shape)) != 1:
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


def grad(
    fun: Callable[..., Any],
    argnums: Argnums = 0,
    has_aux: bool = False,
    *,
    argnum: Argnums | None = None,
) -> Callable[..., Any]:
    """The gradient of a scalar function (reverse mode), JAX/autograd style; with
    ``has_aux``, ``(grad, aux)``."""
    vg = value_and_grad(fun, argnums, has_aux, argnum=argnum)

    @functools.wraps(fun)
    def grad_fun(*args: Any, **kwargs: Any) -> Any:
        value, g = vg(*args, **kwargs)
        return (g, value[1]) if has_aux else g

    return grad_fun


def elementwise_grad(
    fun: Callable[..., Any], argnums: Argnums = 0, *, argnum: Argnums | None = None
) -> Callable[..., Any]:
    """Sum of the Jacobian's rows: the gradient of ``sum(fun(x))`` (autograd). With
    several outputs (a pytree), the sum runs over all of them."""

    def elementwise_grad_at(sel: Selection) -> Any:
        out, vjp_fn = vjp(sel.fun, *sel.primals)
        return sel.arrange(vjp_fn(tree_map(lambda o: full_like(o, 1), out)))

    return transform_over(fun, "elementwise_grad", argnums, argnum, elementwise_grad_at)


def hvp(fun: Callable[..., Any], x: Any, v: Any) -> Any:
    """Hessian-vector product ``H(x) @ v`` without forming H (forward-over-reverse)."""
    check_callable(fun, "hvp")
    return jvp(grad(fun), (x,), (v,))[1]
