"""User-defined derivatives: ``custom_vjp``, ``custom_jvp`` and ``stop_gradient``.

Each call of a decorated function becomes one primitive application whose rules are the
user's (:mod:`chainrule.functional.custom_call`). To stay correct at any order, rules
are re-traced at the level where they run:

* ``custom_vjp``: the backward pass re-runs ``fwd`` on the (possibly traced) inputs to
  get the residuals, then calls ``bwd``. Outer transforms therefore see how the
  residuals depend on the inputs. Forward mode differentiates ``fun`` itself (JAX
  refuses forward mode here; we prefer an answer).
* ``custom_jvp``: forward mode calls the user's rule. Reverse mode transposes it: the
  rule is linear in the tangents, so ``J^T g`` is the VJP of ``t -> jvp_rule(x, t)``.
* ``stop_gradient``: a derivative of zero, to every transform.

Arguments may be pytrees; their floating (and complex) leaves are differentiated, the
rest (ints, strings, ...) is static. As in JAX, ``custom_vjp`` and ``custom_jvp`` resolve
keyword arguments to positions by ``fun``'s signature (defaults filled in), so ``fwd``,
``bwd`` and the JVP rule see positional arguments only.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

import chainrule.numpy as cnp
from chainrule.core.primitive import defprimitive
from chainrule.core.trace import unbox_all, visible_shape
from chainrule.functional.arguments import Argnums, argnum_positions, check_callable
from chainrule.functional.custom_call import (
    SplitCall,
    bind,
    by_differentiating,
    check_static,
    is_array_leaf,
    none_to_zeros,
    pullback,
    resolve_args,
)
from chainrule.functional.pytree import tree_flatten, tree_map, tree_unflatten

__all__ = ["custom_vjp", "custom_jvp", "stop_gradient"]


# The registered zero-derivative primitive: a constant to every trace, and for a
# Tensor the same as detach().
_stop_gradient_p = defprimitive("stop_gradient", lambda xp, x: x, zero_derivative=True)


def stop_gradient(x: Any) -> Any:
    """``x`` as a constant to every transform (JAX's ``stop_gradient``); on a pytree,
    every leaf is stopped."""
    return tree_map(_stop_gradient_p, x)


def _no_symbolic_zeros(flag: bool, where: str) -> None:
    if flag:
        raise NotImplementedError(f"{where}(symbolic_zeros=True) is not supported")


class _CustomDerivative:
    """What ``custom_vjp`` and ``custom_jvp`` share: the wrapped function, its static
    arguments (``nondiff_argnums``, JAX's meaning) and the handling of a call. A call
    no transform differentiates just runs ``fun``; otherwise :meth:`_apply` binds it as
    a one-off primitive with the user's rules."""

    kind = ""
    __name__: str  # set by functools.update_wrapper, like the rest of fun's metadata

    def __init__(self, fun: Callable[..., Any], nondiff_argnums: Argnums = ()):
        check_callable(fun, self.kind)
        functools.update_wrapper(self, fun)
        self.fun = fun
        self.nondiff_argnums = nondiff_argnums

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self._check_rules()
        n_positional = None if kwargs else len(args)
        args = resolve_args(self.fun, args, kwargs, self.kind)
        what = f"{self.kind}: nondiff_argnums"
        nondiff = tuple(sorted(set(argnum_positions(self.nondiff_argnums, len(args), what))))
        check_static(args, nondiff, self.kind, self.__name__, "nondiff_argnums")
        call = SplitCall(args, nondiff)
        if not call.is_traced():
            return self.fun(*args)
        return self._apply(call, args, nondiff, n_positional)

    def _check_rules(self) -> None:
        """Raise if the rules have not been given."""
        raise NotImplementedError

    def _apply(
        self, call: SplitCall, args: tuple, nondiff: tuple[int, ...], n_positional: int | None
    ) -> Any:
        """The traced call: ``args`` by position, ``nondiff`` the static positions among
        them (sorted), ``n_positional`` how many were passed by position (``None`` when
        keywords were passed too)."""
        raise NotImplementedError

    def _run(self, call: SplitCall) -> Callable[..., Any]:
        """The function of the differentiable leaves of ``call``."""
        fun = self.fun
        return lambda *diff_values: fun(*call.rebuild(diff_values))


class custom_vjp(_CustomDerivative):
    """Give ``fun`` a hand-written VJP, JAX style::

    @custom_vjp
    def f(x): ...
    def f_fwd(x): return f(x), residuals
    def f_bwd(residuals, g): return (ct_x,)
    f.defvjp(f_fwd, f_bwd)

    With ``nondiff_argnums`` (JAX's meaning) those arguments are static: ``fwd`` sees all
    arguments, ``bwd(*nondiff_args, residuals, g)`` returns cotangents for the others.
    """

    kind = "custom_vjp"

    def __init__(self, fun: Callable[..., Any], nondiff_argnums: Argnums = ()):
        super().__init__(fun, nondiff_argnums)
        self.fwd: Callable[..., Any] | None = None
        self.bwd: Callable[..., Any] | None = None

    def defvjp(
        self,
        fwd: Callable[..., Any],
        bwd: Callable[..., Any],
        symbolic_zeros: bool = False,
        optimize_remat: bool = False,
    ) -> custom_vjp:
        """Set the rules. JAX's ``symbolic_zeros=True`` (fwd sees wrapped primals) is not
        supported; ``optimize_remat`` is accepted and has no effect here."""
        _no_symbolic_zeros(symbolic_zeros, "custom_vjp.defvjp")
        self.fwd, self.bwd = fwd, bwd
        return self

    def _check_rules(self) -> None:
        if self.fwd is None or self.bwd is None:
            raise TypeError(f"custom_vjp function {self.__name__!r}: call defvjp(fwd, bwd) first")

    def _apply(
        self, call: SplitCall, args: tuple, nondiff: tuple[int, ...], n_positional: int | None
    ) -> Any:
        fwd, bwd, name = self.fwd, self.bwd, self.__name__
        assert fwd is not None and bwd is not None  # _check_rules
        # bwd returns one cotangent per differentiable argument (JAX): all but nondiff;
        # called without keywords, one per such argument passed is accepted too
        dpos = [i for i in range(len(args)) if i not in nondiff]
        passed = len([i for i in dpos if n_positional is not None and i < n_positional])

        def pull(argnums: list[int], ans: Any, *diff_values: Any) -> Callable:
            full = call.rebuild(diff_values)
            out, residuals = fwd(*full)
            out_leaves, out_def = tree_flatten(out)

            def pull_g(g: Sequence[Any]) -> list:
                g_tree = tree_unflatten(out_def, none_to_zeros(g, out_leaves))
                cts = bwd(*[full[i] for i in nondiff], residuals, g_tree)
                cts = _cotangents_by_position(cts, dpos, passed, len(args), name, nondiff)
                ct_leaves = _align(cts, args, name)
                return [ct_leaves[call.diff[i]] for i in argnums]

            return pull_g

        run = self._run(call)
        return bind(f"custom_vjp[{name}]", call, run, pull, by_differentiating(run))


def _cotangents_by_position(
    cts: Any, dpos: list[int], passed: int, nargs: int, name: str, nondiff: tuple
) -> tuple:
    """``bwd``'s cotangents (one per differentiable position ``dpos``, or one per such
    argument ``passed``: defaults get none) as one per argument, ``None`` for the rest."""
    if isinstance(cts, list):
        cts = tuple(cts)
    if isinstance(cts, tuple) and len(cts) == passed != len(dpos):
        cts = cts + (None,) * (len(dpos) - len(cts))
    if not isinstance(cts, tuple) or len(cts) != len(dpos):
        got = f"a tuple of {len(cts)}" if isinstance(cts, tuple) else f"a {type(cts).__name__}"
        what = "argument" if not nondiff else "argument not in nondiff_argnums"
        raise TypeError(
            f"custom_vjp bwd of {name!r} must return a tuple with one "
            f"cotangent per {what} ({len(dpos)}), got {got}"
        )
    by_position = dict(zip(dpos, cts))
    return tuple(by_position.get(i) for i in range(nargs))


def _align(cts: Sequence[Any], args: Sequence[Any], name: str) -> list:
    """Cotangent leaves aligned to the argument leaves (``None`` -> no contribution),
    each checked against its argument's shape."""
    leaves: list = []
    for k, (ct, a) in enumerate(zip(cts, args)):
        a_leaves, a_def = tree_flatten(a)
        if ct is None:
            leaves.extend([None] * len(a_leaves))
            continue
        c_leaves, c_def = tree_flatten(ct)
        if len(c_leaves) != len(a_leaves):
            raise TypeError(
                f"custom_vjp bwd of {name!r}: the cotangent of argument {k} has structure "
                f"{c_def}, which differs from the argument's {a_def}"
            )
        for c, x in zip(c_leaves, a_leaves):
            if c is not None and is_array_leaf(x):
                c_shape, x_shape = visible_shape(c), visible_shape(x)
                if c_shape != x_shape:
                    raise ValueError(
                        f"custom_vjp bwd of {name!r}: the cotangent of argument {k} has "
                        f"shape {c_shape}, but the argument has shape {x_shape}; bwd must "
                        "return cotangents shaped like the arguments (sum over broadcast "
                        "axes)"
                    )
        leaves.extend(c_leaves)
    return leaves


class custom_jvp(_CustomDerivative):
    """Give ``fun`` a hand-written JVP, JAX style::

    @custom_jvp
    def f(x): ...
    @f.defjvp
    def f_jvp(primals, tangents): return f(*primals), tangent_out

    With ``nondiff_argnums`` (JAX's meaning) the rule is
    ``f_jvp(*nondiff_args, primals, tangents)``, primals and tangents of the others.
    """

    kind = "custom_jvp"

    def __init__(self, fun: Callable[..., Any], nondiff_argnums: Argnums = ()):
        super().__init__(fun, nondiff_argnums)
        self.jvp_rule: Callable[..., Any] | None = None

    def defjvp(self, jvp_rule: Callable[..., Any], symbolic_zeros: bool = False) -> Callable:
        """Set the rule ``jvp_rule(primals, tangents) -> (out, tangent_out)``; returns it,
        so that ``@f.defjvp`` works as a decorator. JAX's ``symbolic_zeros=True`` is not
        supported."""
        _no_symbolic_zeros(symbolic_zeros, "custom_jvp.defjvp")
        self.jvp_rule = jvp_rule
        return jvp_rule

    def defjvps(self, *jvps: Callable[..., Any] | None) -> None:
        """One rule per argument, JAX style: ``jvps[i](t_i, ans, *primals)`` is argument
        ``i``'s contribution to the output tangent (``None``: it contributes nothing)."""
        if self.nondiff_argnums:
            raise TypeError("custom_jvp: defjvps can't be used with nondiff_argnums; use defjvp")

        def rule(primals: tuple, tangents: tuple) -> tuple[Any, Any]:
            ans = self(*primals)
            parts = [f(t, ans, *primals) for f, t in zip(jvps, tangents) if f is not None]
            if not parts:
                return ans, tree_map(lambda a: a * 0.0, ans)
            return ans, tree_map(lambda *ts: functools.reduce(lambda a, b: a + b, ts), *parts)

        self.jvp_rule = rule

    def _check_rules(self) -> None:
        if self.jvp_rule is None:
            raise TypeError(f"custom_jvp function {self.__name__!r}: call defjvp(rule) first")

    def _apply(
        self, call: SplitCall, args: tuple, nondiff: tuple[int, ...], n_positional: int | None
    ) -> Any:
        rule, name = self.jvp_rule, self.__name__
        assert rule is not None  # _check_rules
        rest = [i for i in range(len(args)) if i not in nondiff]

        def tangent_out(diff_values: Sequence[Any], tangents: Sequence[Any], outs: tuple) -> tuple:
            """The rule's output tangents, one per output leaf, for these tangents of the
            differentiable leaves (the other leaves' tangents are zero)."""
            primals = call.rebuild(diff_values)
            tan_leaves = [
                np.zeros_like(unbox_all(x)) if is_array_leaf(x) else x for x in call.leaves
            ]
            for i, t in zip(call.diff, tangents):
                tan_leaves[i] = t
            tans = tree_unflatten(call.treedef, tan_leaves)
            static = [primals[i] for i in nondiff]  # JAX's form: rule(*static, primals, tangents)
            _, t_out = rule(*static, tuple(primals[i] for i in rest), tuple(tans[i] for i in rest))
            return tuple(_fit_tangents(tree_flatten(t_out)[0], outs, name))

        def pull(argnums: list[int], ans: Any, *diff_values: Any) -> Callable:
            outs = unbox_all(ans)  # the outputs' values (ans may be traced)
            zeros = [np.zeros_like(unbox_all(v)) for v in diff_values]
            # The rule is linear in the tangents: its VJP in t is the transpose J^T.
            lin = lambda *t: tangent_out(diff_values, t, outs)
            return pullback(lin, zeros, outs, argnums)

        def push(diff_values: Sequence[Any], tangents: list, ans: Any) -> tuple:
            return tangent_out(diff_values, tangents, unbox_all(ans))

        return bind(f"custom_jvp[{name}]", call, self._run(call), pull, push)


def _fit_tangents(tangents: list, out_values: Sequence[Any], name: str) -> list:
    """The rule's output tangents, one per output leaf and of its shape: a scalar
    tangent (``0.0``) is broadcast; any other mismatch is an error."""
    if len(tangents) != len(out_values):
        raise TypeError(
            f"custom_jvp rule of {name!r} returned {len(tangents)} tangent(s) for "
            f"{len(out_values)} output(s); give one tangent per output, shaped like it"
        )
    fitted = []
    for k, (t, o) in enumerate(zip(tangents, out_values)):
        t_shape, o_shape = visible_shape(t), np.shape(o)
        if t_shape != o_shape:
            if t_shape != ():
                raise ValueError(
                    f"custom_jvp rule of {name!r}: the tangent of output {k} has shape "
                    f"{t_shape}, but the output has shape {o_shape}"
                )
            t = cnp.broadcast_to(t, o_shape)
        fitted.append(t)
    return fitted
