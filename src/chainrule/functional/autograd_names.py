"""HIPS autograd's public differential operators, with autograd's signatures and
return orders, built on chainrule's transforms. Switching from autograd is a change of
imports (``import chainrule as autograd``, ``import chainrule.numpy as np``).

Note the orders that differ from JAX: ``make_vjp(f)(x)`` returns ``(vjp, ans)`` and
``make_hvp(f)(x)`` returns ``(hvp, grad)``, as in autograd.
"""

from __future__ import annotations

import inspect
from collections import OrderedDict

import numpy as np

from chainrule.core.trace import Box, unbox_all
from chainrule.functional.transforms import _argnums_tuple, _check_args, grad, jvp, vjp

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


def _bind(fun, args, kwargs, argnum):
    """``fun`` as a function of ``args[argnum]`` only."""
    _, (n,) = _argnums_tuple(argnum, len(args))
    _check_args(args, (n,))

    def unary(x):
        full = list(args)
        full[n] = x
        return fun(*full, **kwargs)

    return unary, args[n]


def _ones_like(x):
    """Ones with ``x``'s shape and dtype (a NumPy scalar for a scalar); ``x`` may be
    traced by an outer transform (only its shape and dtype are read)."""
    value = unbox_all(x)
    ones = np.ones(np.shape(value), np.result_type(value))
    return ones if isinstance(value, np.ndarray) else ones[()]


def grad_named(fun, argname: str):
    """The gradient with respect to the argument called ``argname`` (autograd)."""
    params = list(inspect.signature(fun).parameters)
    if argname not in params:
        raise ValueError(f"grad_named: {fun.__name__!r} has no argument {argname!r}")
    return grad(fun, params.index(argname))


def multigrad_dict(fun):
    """Gradients with respect to every argument at once, as an ``OrderedDict`` from
    argument name to gradient, in the signature's order (autograd)."""
    sig = inspect.signature(fun)

    def gradfun(*args, **kwargs):
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


def make_vjp(fun, argnum=0):
    """``make_vjp(fun)(*args) -> (vjp, ans)``; ``vjp(g)`` is the cotangent of ``args[argnum]``."""

    def maker(*args, **kwargs):
        unary, x = _bind(fun, args, kwargs, argnum)
        ans, f_vjp = vjp(unary, x)
        return (lambda g: f_vjp(g)[0]), ans

    return maker


def make_jvp(fun, argnum=0):
    """``make_jvp(fun)(*args) -> jvp``; ``jvp(v) -> (ans, J v)`` (forward mode)."""

    def maker(*args, **kwargs):
        unary, x = _bind(fun, args, kwargs, argnum)
        return lambda v: jvp(unary, (x,), (v,))

    return maker


def deriv(fun, argnum=0):
    """Forward-mode derivative along a tangent of ones: for scalar (or elementwise)
    functions, the ordinary derivative."""

    def d(*args, **kwargs):
        unary, x = _bind(fun, args, kwargs, argnum)
        return jvp(unary, (x,), (_ones_like(x),))[1]

    return d


def grad_and_aux(fun, argnum=0):
    """For ``fun`` returning ``(value, aux)``: ``(grad of value, aux)``."""
    return grad(fun, argnum, has_aux=True)


def holomorphic_grad(fun, argnum=0):
    """The complex derivative ``f'(z)`` of a holomorphic ``fun``.

    As in autograd, this is the gradient of ``real(fun)``: with autograd's complex
    convention (holomorphic ops pass cotangents on as ``g * f'(z)``) that is ``f'(z)``.
    """
    import chainrule.numpy as cnp

    def hgrad(*args, **kwargs):
        unary, x = _bind(fun, args, kwargs, argnum)
        dtype = np.result_type(unbox_all(x))
        if dtype.kind != "c":  # differentiate at the same point, seen as complex
            complex_dtype = np.result_type(dtype, np.complex64)
            if isinstance(x, Box):  # traced by an outer transform: a traceable cast
                x = cnp.astype(x, complex_dtype)
            else:
                cast = np.asarray(x).astype(complex_dtype)
                x = cast if isinstance(x, np.ndarray) else cast[()]
        return grad(lambda z: cnp.real(unary(z)))(x)

    return hgrad


def hessian_tensor_product(fun, argnum=0):
    """``htp(*args, v) = tensordot(H, v, ndim(v))``, by forward-over-reverse (H is never
    formed)."""

    def htp(*all_args, **kwargs):
        args, v = all_args[:-1], all_args[-1]
        unary, x = _bind(fun, args, kwargs, argnum)
        return jvp(grad(unary), (x,), (v,))[1]

    return htp


hessian_vector_product = hessian_tensor_product


def tensor_jacobian_product(fun, argnum=0):
    """``tjp(*args, v) = tensordot(v, J, ndim(v))``: one VJP."""

    def tjp(*all_args, **kwargs):
        args, v = all_args[:-1], all_args[-1]
        unary, x = _bind(fun, args, kwargs, argnum)
        _, f_vjp = vjp(unary, x)
        return f_vjp(v)[0]

    return tjp


vector_jacobian_product = tensor_jacobian_product


def make_hvp(fun, argnum=0):
    """``make_hvp(fun)(*args) -> (hvp, grad)`` with ``hvp(v) = H v``."""

    def maker(*args, **kwargs):
        unary, x = _bind(fun, args, kwargs, argnum)
        g = grad(unary)(x)
        return (lambda v: jvp(grad(unary), (x,), (v,))[1]), g

    return maker


def make_ggnvp(f, g=None, f_argnum=0):
    """Generalised Gauss-Newton products: ``make_ggnvp(f, g)(*args)(v) = Jᵀ H_g J v``
    with J the Jacobian of ``f`` and H_g the Hessian of ``g`` at ``f(x)``
    (default ``g(y) = ½ Σ y²`` over the last axis, as in autograd)."""
    import chainrule.numpy as cnp

    if g is None:
        g = lambda y: 0.5 * cnp.sum(y**2, axis=-1)

    def maker(*args, **kwargs):
        unary, x = _bind(f, args, kwargs, f_argnum)
        fx, f_vjp = vjp(unary, x)

        def ggnvp(v):
            jv = jvp(unary, (x,), (v,))[1]
            hjv = jvp(grad(g), (fx,), (jv,))[1]
            return f_vjp(hjv)[0]

        return ggnvp

    return maker
