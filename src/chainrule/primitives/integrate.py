"""``scipy.integrate.odeint``, differentiable in ``y0``, ``t`` and ``args``: the values
are SciPy's (imported when first called); the derivatives solve more ODEs, with the same
integrator, so they are as accurate as its tolerances.

* Reverse mode is the adjoint method: between consecutive times, the state ``y``, its
  adjoint ``a`` (``ȧ = -aᵀ ∂f/∂y``) and the running cotangents of ``t`` and ``args``
  (``-aᵀ ∂f/∂t``, ``-aᵀ ∂f/∂args``) are integrated backwards together, and each
  output's cotangent is added to ``a`` at its time. A time ``tᵢ`` also gets
  ``f(yᵢ, tᵢ) · ḡᵢ``, and ``t₀`` minus the sum of those.
* Forward mode integrates the tangent ``u`` beside ``y`` (``u̇ = ∂f/∂y u + ∂f/∂args
  ȧrgs``) from ``u(t₀) = ẏ₀ - f(y₀, t₀) ṫ₀``, and adds ``f(yᵢ, tᵢ) ṫᵢ`` at each time.

Both are ``odeint`` records again, over an augmented system whose right-hand side takes
the vector-Jacobian (or Jacobian-vector) product of ``func`` with a trace of the core,
so derivatives of any order exist. ``args`` are passed to the record one by one (each an
array or a number), which is how outer derivatives reach them; an argument that is a
tuple, list or dict of them (a network's parameters) is taken apart into its leaves for
the record and put back together for ``func``.
"""

from __future__ import annotations

import math

import numpy as np

from chainrule.core.forward import JVPTrace
from chainrule.core.primitive import defprimitive
from chainrule.core.reverse import ReverseTrace, RootNode, backward_pass
from chainrule.core.trace import Box, new_trace, unbox_all
from chainrule.primitives import joining as J
from chainrule.primitives import reductions as R
from chainrule.primitives import shape as S
from chainrule.primitives._args import as_array
from chainrule.primitives._helpers import shape_of
from chainrule.primitives._scipy import scipy_module

__all__ = ["odeint"]


# -- products of func at plain values, on a trace of the core ------------------------------
def _vjp_plain(fun, primals, ct):
    """``fun(*primals)`` and the cotangents of the primals for ``ct`` (plain arrays)."""
    with new_trace(ReverseTrace) as trace:
        boxes = [trace.new_input(p) for p in primals]
        out = fun(*boxes)
    found = {}
    if isinstance(out, Box) and out._trace is trace:
        backward_pass(RootNode([out._node]), [ct], visit=lambda n, c: found.setdefault(n, c))
        out = out._value
    cts = [found.get(b._node) for b in boxes]
    return out, [np.zeros(np.shape(p)) if c is None else c for p, c in zip(primals, cts)]


def _jvp_plain(fun, primals, tangents):
    """``fun(*primals)`` and its tangent for ``tangents`` (plain arrays)."""
    with new_trace(JVPTrace) as trace:
        out = fun(*[trace.new_input(p, t) for p, t in zip(primals, tangents)])
    if isinstance(out, Box) and out._trace is trace:
        return out._value, out._tangent
    return out, np.zeros(np.shape(out))


def _flat(arrays):
    """The arrays raveled into one vector (plain values)."""
    parts = [np.ravel(a) for a in arrays]
    return np.concatenate(parts) if parts else np.zeros(0)


def _unflat(vec, like: list) -> list:
    """Split a (possibly traced) vector into arrays shaped like ``like``."""
    out, start = [], 0
    for x in like:
        shape = shape_of(x)
        size = math.prod(shape)
        out.append(S.reshape(vec[start : start + size], shape))
        start += size
    return out


# -- the record -----------------------------------------------------------------------------
def _odeint_impl(xp, y0, t, *args, func, options):
    integrate = scipy_module("integrate", "chainrule.scipy.integrate.odeint")
    return integrate.odeint(func, y0, t, args=args, **dict(options))


def _adjoint_dynamics(func, d: int):
    """The backward system: state ``[y, a, a_t, a_args]``; called by SciPy on plain values."""

    def dynamics(state, t, *args):
        y, a = state[:d], state[d : 2 * d]
        f, (gy, gt, *gargs) = _vjp_plain(func, (y, t, *args), -a)
        return np.concatenate([np.ravel(f), np.ravel(gy), np.ravel(gt), _flat(gargs)])

    return dynamics


def _odeint_vjp(argnums, ans, y0, t, *args, func, options):
    d, n_t = shape_of(ans)[1], shape_of(t)[0]
    aug = _adjoint_dynamics(func, d)

    def pull(g):
        a, a_t0 = g[n_t - 1], 0.0
        # the running cotangent of the args, flat; ans[0, :0] is an empty start
        a_args = J.concatenate(
            [ans[0, :0]] + [S.reshape(0.0 * as_array(x, True), (-1,)) for x in args]
        )
        t_cts = []
        for i in range(n_t - 1, 0, -1):
            ct_ti = R.sum(func(ans[i], t[i], *args) * g[i])
            t_cts.append(ct_ti)
            a_t0 = a_t0 - ct_ti
            state = J.concatenate([ans[i], a, S.reshape(a_t0, (1,)), a_args])
            back = odeint_p(state, J.stack([t[i], t[i - 1]]), *args, func=aug, options=options)
            end = back[1]
            a, a_t0, a_args = end[d : 2 * d] + g[i - 1], end[2 * d], end[2 * d + 1 :]
        t_cts.append(a_t0)
        cts = [a, J.stack(t_cts[::-1]), *_unflat(a_args, list(args))]
        return [cts[i] for i in argnums]

    return pull


def _tangent_dynamics(func, d: int, n_args: int):
    """The forward system: state ``[y, u]``; the args' tangents follow the args."""

    def dynamics(state, t, *args_and_tangents):
        args, dargs = args_and_tangents[:n_args], args_and_tangents[n_args:]
        y, u = state[:d], state[d:]
        f, du = _jvp_plain(func, (y, t, *args), (u, np.zeros(np.shape(t)), *dargs))
        return np.concatenate([np.ravel(f), np.ravel(du)])

    return dynamics


def _odeint_jvp(gs, ans, y0, t, *args, func, options):
    d, n_t = shape_of(ans)[1], shape_of(t)[0]
    dy0, dt, *dargs = gs
    if dy0 is None:
        dy0 = 0.0 * ans[0]
    if dt is not None:
        dy0 = dy0 - func(ans[0], t[0], *args) * dt[0]
    dargs = [0.0 * as_array(x, True) if g is None else g for x, g in zip(args, dargs)]
    aug = _tangent_dynamics(func, d, len(args))
    state = J.concatenate([S.reshape(ans[0], (d,)), S.reshape(dy0, (d,))])
    out = odeint_p(state, t, *args, *dargs, func=aug, options=options)[:, d:]
    if dt is not None:
        out = out + J.stack([func(ans[i], t[i], *args) * dt[i] for i in range(n_t)])
    return out


odeint_p = defprimitive("odeint", _odeint_impl, vjp_joint=_odeint_vjp, jvp_joint=_odeint_jvp)


# -- containers among the args ---------------------------------------------------------------
def _leaves(x, path: str, out: list) -> None:
    """Collect the arrays and numbers of ``x`` (nested tuples, lists, dicts) into ``out``."""
    if isinstance(x, tuple | list):
        for i, item in enumerate(x):
            _leaves(item, f"{path}[{i}]", out)
    elif isinstance(x, dict):
        for key in sorted(x):
            _leaves(x[key], f"{path}[{key!r}]", out)
    elif isinstance(unbox_all(x), np.ndarray | np.generic | float | int):
        out.append(x)
    else:
        raise TypeError(f"odeint: {path} must be an array, a number, or a tuple, list or "
                        f"dict of them, got {type(unbox_all(x)).__name__}")  # fmt: skip


def _rebuild(like, leaves):
    """``like``'s structure with its leaves taken in order from the iterator ``leaves``."""
    if isinstance(like, tuple | list):
        items = [_rebuild(item, leaves) for item in like]
        if hasattr(like, "_fields"):  # a namedtuple
            return type(like)(*items)
        return type(like)(items)
    if isinstance(like, dict):
        return {key: _rebuild(like[key], leaves) for key in sorted(like)}
    return next(leaves)


def _with_flat_args(func, args: tuple):
    """``func`` taking ``args``' leaves one by one in place of ``args``."""

    def flat_func(y, t, *leaves):
        return func(y, t, *_rebuild(args, iter(leaves)))

    return flat_func


def odeint(func, y0, t, args=(), **kwargs):
    """Integrate ``dy/dt = func(y, t, *args)`` from ``y0`` at ``t[0]``; the values at the
    times ``t`` (SciPy's ``odeint``, with its keywords: ``rtol``, ``atol``, ...).
    Differentiable in ``y0``, ``t`` and each of ``args`` (arrays or numbers, or tuples,
    lists and dicts of them, as autograd's ``odeint`` takes a network's parameters)."""
    if not callable(func):
        raise TypeError(f"odeint: func must be callable, got {type(func).__name__}")
    if not isinstance(args, tuple):
        args = (args,)
    leaves: list = []
    _leaves(args, "args", leaves)
    if any(isinstance(x, tuple | list | dict) for x in args):
        func, args = _with_flat_args(func, args), tuple(leaves)
    if kwargs.get("full_output"):
        raise ValueError("odeint: full_output=True is not supported")
    y0, t = as_array(y0, True), as_array(t, True)
    if len(shape_of(y0)) != 1 or len(shape_of(t)) != 1:
        raise ValueError(f"odeint: y0 and t must be vectors, got shapes {shape_of(y0)} "
                         f"and {shape_of(t)}")  # fmt: skip
    return odeint_p(y0, t, *args, func=func, options=tuple(sorted(kwargs.items())))
