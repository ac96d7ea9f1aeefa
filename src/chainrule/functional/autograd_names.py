"""HIPS autograd's public differential operators, with autograd's signatures and
return orders, built on chainrule's transforms. Switching from autograd is a change of
imports (``import chainrule as autograd``, ``import chainrule.numpy as np``).

Note the orders that differ from JAX: ``make_vjp(f)(x)`` returns ``(vjp, ans)`` and
``make_hvp(f)(x)`` returns ``(hvp, grad)``, as in autograd.
"""

from __future__ import annotations

import inspect
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import numpy as np

import chainrule.numpy as cnp
from chainrule.core.trace import unbox_all
from chainrule.functional.arguments import Selection
from chainrule.functional.gradients import grad
from chainrule.functional.jacobians import jacrev
from chainrule.functional.matching import astype, full_like
from chainrule.functional.modes import jvp, vjp

__all__ = [
    "grad_named",
    "multigrad_dict",
    "make_vjp",
    "make_jvp",
    "deriv",
    "grad_and_aux",
    "holomorphic_grad",
    "hessian_tensor_product",
    "hessian_vector_product",
    "tensor_jacobian_product",
    "vector_jacobian_product",
    "make_hvp",
    "make_ggnvp",
]

# ``operator(unary, x)``: an operator's work, given ``fun`` as a function of the one
# differentiated argument and that argument's value.
Operator = Callable[[Callable[[Any], Any], Any], Any]


def _unary(fun: Callable[..., Any], argnum: int, args: tuple, kwargs: dict) -> tuple:
    """``(unary, x)``: ``fun`` as a function of ``args[argnum]`` alone (the rest held
    fixed), and that argument."""
    sel = Selection(fun, argnum, args, kwargs)
    if len(sel.primals) != 1:
        raise TypeError(f"argnum must name one argument, got {argnum!r}")
    return sel.fun, sel.primals[0]


def _at_argnum(fun: Callable[..., Any], argnum: int, operator: Operator) -> Callable[..., Any]:
    """autograd's operator shape: a function of ``fun``'s arguments that applies
    ``operator`` to ``fun`` of ``args[argnum]``."""

    def apply(*args: Any, **kwargs: Any) -> Any:
        return operator(*_unary(fun, argnum, args, kwargs))

    return apply


def _with_vector(fun: Callable[..., Any], argnum: int, product: Callable) -> Callable[..., Any]:
    """autograd's product shape: ``f(*args, v) = product(unary, x, v)``, the vector
    ``v`` passed after ``fun``'s arguments."""

    def apply(*all_args: Any, **kwargs: Any) -> Any:
        return product(*_unary(fun, argnum, all_args[:-1], kwargs), all_args[-1])

    return apply


def grad_named(fun: Callable[..., Any], argname: str) -> Callable[..., Any]:
    """The gradient with respect to the argument called ``argname`` (autograd)."""
    params = list(inspect.signature(fun).parameters)
    if argname not in params:
        raise ValueError(f"grad_named: {fun.__name__!r} has no argument {argname!r}")
    return grad(fun, params.index(argname))


def multigrad_dict(fun: Callable[..., Any]) -> Callable[..., OrderedDict]:
    """Gradients with respect to every argument at once, as an ``OrderedDict`` from
    argument name to gradient, in the signature's order (autograd)."""
    sig = inspect.signature(fun)

    def gradfun(*args: Any, **kwargs: Any) -> OrderedDict:
        bound = sig.bind(*args, **kwargs)
        bound.apply_defaults()
        names = list(bound.arguments)

        def by_name(arguments):
            call = sig.bind_partial()
            call.arguments.update(arguments)
            return fun(*call.args, **call.kwargs)

        grads = grad(by_name)(dict(bound.arguments))
        return OrderedDict((name, grads[name]) for name in names)

    return gradfun


def make_vjp(fun: Callable[..., Any], argnum: int = 0) -> Callable[..., tuple]:
    """``make_vjp(fun)(*args) -> (vjp, ans)``; ``vjp(g)`` is the cotangent of ``args[argnum]``."""

    def operator(unary, x):
        ans, f_vjp = vjp(unary, x)
        return (lambda g: f_vjp(g)[0]), ans

    return _at_argnum(fun, argnum, operator)


def make_jvp(fun: Callable[..., Any], argnum: int = 0) -> Callable[..., Callable]:
    """``make_jvp(fun)(*args) -> jvp``; ``jvp(v) -> (ans, J v)`` (forward mode)."""
    return _at_argnum(fun, argnum, lambda unary, x: lambda v: jvp(unary, (x,), (v,)))


def deriv(fun: Callable[..., Any], argnum: int = 0) -> Callable[..., Any]:
    """Forward-mode derivative along a tangent of ones: for scalar (or elementwise)
    functions, the ordinary derivative."""
    return _at_argnum(fun, argnum, lambda unary, x: jvp(unary, (x,), (full_like(x, 1),))[1])


def grad_and_aux(fun: Callable[..., Any], argnum: int = 0) -> Callable[..., tuple]:
    """For ``fun`` returning ``(value, aux)``: ``(grad of value, aux)``."""
    return grad(fun, argnum, has_aux=True)


def holomorphic_grad(fun: Callable[..., Any], argnum: int = 0) -> Callable[..., Any]:
    """The complex derivative ``f'(z)`` of a holomorphic ``fun``.

    As in autograd, this is the gradient of ``real(fun)``: with autograd's complex
    convention (holomorphic ops pass cotangents on as ``g * f'(z)``) that is ``f'(z)``.
    """

    def operator(unary, x):
        dtype = np.result_type(unbox_all(x))
        if dtype.kind != "c":  # differentiate at the same point, seen as complex
            x = astype(x, np.result_type(dtype, np.complex64))
        return grad(lambda z: cnp.real(unary(z)))(x)

    return _at_argnum(fun, argnum, operator)


def hessian_tensor_product(fun: Callable[..., Any], argnum: int = 0) -> Callable[..., Any]:
    """``htp(*args, v) = tensordot(H, v, ndim(v))``, by forward-over-reverse (H is never
    formed)."""
    return _with_vector(fun, argnum, lambda unary, x, v: jvp(grad(unary), (x,), (v,))[1])


hessian_vector_product = hessian_tensor_product


def tensor_jacobian_product(fun: Callable[..., Any], argnum: int = 0) -> Callable[..., Any]:
    """``tjp(*args, v) = tensordot(v, J, ndim(v))``: one VJP when ``v`` has the output's
    shape; a ``v`` that covers only the output's leading axes leaves the trailing ones
    (the Jacobian of ``tensordot(v, fun(x), ndim(v))``, one VJP per trailing entry)."""

    def product(unary, x, v):
        out, pull = vjp(unary, x)
        out_shape, v_shape = np.shape(unbox_all(out)), np.shape(unbox_all(v))
        if isinstance(out, (tuple, list, dict)) or out_shape == v_shape:
            return pull(v)[0]
        if out_shape[: len(v_shape)] != v_shape:
            raise ValueError(
                f"tensor_jacobian_product: the vector's shape {v_shape} is not the output's "
                f"shape {out_shape} or a leading part of it"
            )
        return jacrev(lambda y: cnp.tensordot(v, unary(y), axes=len(v_shape)))(x)

    return _with_vector(fun, argnum, product)


vector_jacobian_product = tensor_jacobian_product


def make_hvp(fun: Callable[..., Any], argnum: int = 0) -> Callable[..., tuple]:
    """``make_hvp(fun)(*args) -> (hvp, grad)`` with ``hvp(v) = H v``."""

    def operator(unary, x):
        return (lambda v: jvp(grad(unary), (x,), (v,))[1]), grad(unary)(x)

    return _at_argnum(fun, argnum, operator)


def _half_sum_of_squares(y: Any) -> Any:
    return 0.5 * cnp.sum(y**2, axis=-1)


def make_ggnvp(
    f: Callable[..., Any], g: Callable[[Any], Any] | None = None, f_argnum: int = 0
) -> Callable[..., Callable]:
    """Generalised Gauss-Newton products: ``make_ggnvp(f, g)(*args)(v) = Jᵀ H_g J v``
    with J the Jacobian of ``f`` and H_g the Hessian of ``g`` at ``f(x)``
    (default ``g(y) = ½ Σ y²`` over the last axis, as in autograd)."""
    outer = _half_sum_of_squares if g is None else g

    def operator(unary, x):
        fx, f_vjp = vjp(unary, x)

        def ggnvp(v):
            jv = jvp(unary, (x,), (v,))[1]
            hjv = jvp(grad(outer), (fx,), (jv,))[1]
            return f_vjp(hjv)[0]

        return ggnvp

    return _at_argnum(f, argnum=f_argnum, operator=operator)
