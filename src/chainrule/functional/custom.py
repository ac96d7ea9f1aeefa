"""User-defined derivative rules and rematerialisation: ``custom_vjp``, ``custom_jvp``,
``checkpoint`` and ``stop_gradient``.

Each call of a decorated function becomes one primitive application whose rules are the
user's. To stay correct at any order, rules are re-traced at the level where they run:

* ``custom_vjp``: the backward pass re-runs ``fwd`` on the (possibly traced) inputs to
  get the residuals, then calls ``bwd``. Outer transforms therefore see how the
  residuals depend on the inputs. Forward mode differentiates ``fun`` itself (JAX
  refuses forward mode here; we prefer an answer).
* ``custom_jvp``: forward mode calls the user's rule. Reverse mode transposes it: the
  rule is linear in the tangents, so ``J^T g`` is the VJP of ``t -> jvp_rule(x, t)``.
* ``checkpoint``: the forward keeps nothing but the inputs; the backward pass recomputes
  ``fun``'s intermediates with a fresh ``vjp``.

Arguments may be pytrees; their floating (and complex) leaves are differentiated, the
rest (ints, strings, ...) is static. As in JAX, ``custom_vjp`` and ``custom_jvp`` resolve
keyword arguments to positions by ``fun``'s signature (defaults filled in), so ``fwd``,
``bwd`` and the JVP rule see positional arguments only.
"""

from __future__ import annotations

import functools
import inspect

import numpy as np

from chainrule.core.primitive import Primitive, defprimitive
from chainrule.core.trace import Box, unbox_all
from chainrule.functional.pytree import tree_flatten, tree_map, tree_unflatten

__all__ = ["custom_vjp", "custom_jvp", "checkpoint", "stop_gradient"]


# The registered zero-derivative primitive: a constant to every trace, and for a
# Tensor the same as detach().
_stop_gradient_p = defprimitive("stop_gradient", lambda xp, x: x, zero_derivative=True)


def stop_gradient(x):
    """``x`` as a constant to every transform (JAX's ``stop_gradient``); on a pytree,
    every leaf is stopped."""
    return tree_map(_stop_gradient_p, x)


def _check_callable(fun, name: str) -> None:
    if not callable(fun):
        raise TypeError(f"{name} expects a callable, got {fun!r}")


def _resolve_args(fun, args: tuple, kwargs: dict, kind: str) -> tuple:
    """``args`` and ``kwargs`` as positional arguments by ``fun``'s signature, defaults
    filled in (JAX's rule), so that rules can be written for positions."""
    name = getattr(fun, "__name__", "fun")
    try:
        sig = inspect.signature(fun)
    except (TypeError, ValueError):
        if kwargs:
            raise TypeError(
                f"{kind} function {name!r} was called with keyword arguments, but its "
                "signature can't be read to place them; pass them positionally"
            ) from None
        return args
    try:
        bound = sig.bind(*args, **kwargs)
    except TypeError as e:
        raise TypeError(f"{kind} function {name!r}: {e}") from None
    bound.apply_defaults()
    passed = [k for k in bound.kwargs if k in kwargs]
    if passed:
        raise TypeError(
            f"{kind} function {name!r}: keyword-only arguments {passed} can't be given a "
            "position for the derivative rules; make them positional, or close over "
            "them (functools.partial)"
        )
    return tuple(bound.args)


def _is_array_leaf(x) -> bool:
    value = unbox_all(x)
    if isinstance(value, (bool, np.bool_)):
        return False
    if isinstance(value, Box):
        value = value._value
    try:
        return np.result_type(value).kind in "fc"
    except TypeError:
        return False


class _Call:
    """Split a call ``fun(*args)`` into differentiable leaves and static rest; the
    arguments at positions ``static`` are static whatever their type."""

    def __init__(self, args, static=frozenset()):
        self.leaves, self.treedef = tree_flatten(args)
        self.diff = []
        start = 0
        for pos, a in enumerate(args):
            end = start + len(tree_flatten(a)[0])
            if pos not in static:
                self.diff.extend(i for i in range(start, end) if _is_array_leaf(self.leaves[i]))
            start = end

    def rebuild(self, diff_values):
        leaves = list(self.leaves)
        for i, v in zip(self.diff, diff_values):
            leaves[i] = v
        return tree_unflatten(self.treedef, leaves)

    def diff_leaves(self):
        return [self.leaves[i] for i in self.diff]


def _no_symbolic_zeros(flag: bool, where: str) -> None:
    if flag:
        raise NotImplementedError(f"{where}(symbolic_zeros=True) is not supported")


def _nondiff_positions(nondiff_argnums, nargs: int, kind: str) -> tuple:
    """``nondiff_argnums`` as sorted non-negative positions of a call with ``nargs``."""
    nums = (nondiff_argnums,) if isinstance(nondiff_argnums, int) else tuple(nondiff_argnums)
    for n in nums:
        if not -nargs <= n < nargs:
            raise ValueError(
                f"{kind}: nondiff_argnums {n} is out of range for a call with {nargs} arguments"
            )
    return tuple(sorted({n % nargs for n in nums}))


def _check_static(args, positions, kind: str, name: str, what: str) -> None:
    """A static argument must not be traced: its derivative would be dropped silently."""
    for n in positions:
        if any(isinstance(leaf, Box) for leaf in tree_flatten(args[n])[0]):
            raise TypeError(
                f"{kind} function {name!r}: argument {n} is in {what} but is being "
                "differentiated (it holds a traced value); its derivative would be lost. "
                f"Remove it from {what}, or don't differentiate with respect to it."
            )


def _flat_output(out):
    leaves, out_def = tree_flatten(out)
    return leaves, out_def


def _bind(name, call: _Call, run, vjp_joint, jvp_joint):
    """Apply a one-off primitive to the differentiable leaves of ``call``.

    ``run(*diff_values)`` computes the output leaves (a tuple). The output structure
    is recorded from the first (innermost) evaluation.
    """
    out_def_box = {}

    def impl(xp, *diff_values):
        out = run(*diff_values)
        leaves, out_def = _flat_output(out)
        out_def_box.setdefault("def", out_def)
        return tuple(leaves)

    prim = Primitive(name, impl, multiple_results=True)
    prim.vjp_joint = vjp_joint
    prim.jvp_joint = jvp_joint
    res = prim(*call.diff_leaves())
    from chainrule.primitives._helpers import split_results

    out_def = out_def_box.get("def")
    if out_def is None:  # evaluated at the innermost level without any box: plain tuple
        raise RuntimeError(f"{name}: internal error, output structure unknown")
    return tree_unflatten(out_def, split_results(res, out_def.num_leaves))


def _none_to_zeros(gs, like):
    from chainrule.functional.transforms import _zeros_like

    return [(_zeros_like(x) if g is None else g) for g, x in zip(gs, like)]


class custom_vjp:
    """Give ``fun`` a hand-written VJP, JAX style::

    @custom_vjp
    def f(x): ...
    def f_fwd(x): return f(x), residuals
    def f_bwd(residuals, g): return (ct_x,)
    f.defvjp(f_fwd, f_bwd)

    With ``nondiff_argnums`` (JAX's meaning) those arguments are static: ``fwd`` sees all
    arguments, ``bwd(*nondiff_args, residuals, g)`` returns cotangents for the others.
    """

    def __init__(self, fun, nondiff_argnums=()):
        _check_callable(fun, "custom_vjp")
        functools.update_wrapper(self, fun)
        self.fun = fun
        self.fwd = self.bwd = None
        self.nondiff_argnums = nondiff_argnums

    def defvjp(self, fwd, bwd, symbolic_zeros: bool = False, optimize_remat: bool = False):
        """Set the rules. JAX's ``symbolic_zeros=True`` (fwd sees wrapped primals) is not
        supported; ``optimize_remat`` is accepted and has no effect here."""
        _no_symbolic_zeros(symbolic_zeros, "custom_vjp.defvjp")
        self.fwd, self.bwd = fwd, bwd
        return self

    def __call__(self, *args, **kwargs):
        if self.fwd is None:
            raise TypeError(f"custom_vjp function {self.__name__!r}: call defvjp(fwd, bwd) first")
        n_positional = None if kwargs else len(args)
        args = _resolve_args(self.fun, args, kwargs, "custom_vjp")
        nondiff = _nondiff_positions(self.nondiff_argnums, len(args), "custom_vjp")
        _check_static(args, nondiff, "custom_vjp", self.__name__, "nondiff_argnums")
        call = _Call(args, frozenset(nondiff))
        if not any(isinstance(x, Box) for x in call.diff_leaves()):
            return self.fun(*args)
        fun, fwd, bwd, name = self.fun, self.fwd, self.bwd, self.__name__
        # bwd returns one cotangent per differentiable argument (JAX): all but nondiff;
        # called without keywords, one per such argument passed is accepted too
        dpos = [i for i in range(len(args)) if i not in nondiff]
        passed = [i for i in dpos if n_positional is not None and i < n_positional]

        def run(*diff_values):
            return fun(*call.rebuild(diff_values))

        def vjp_joint(argnums, ans, *diff_values):
            full = call.rebuild(diff_values)
            out, residuals = fwd(*full)
            out_leaves, out_def = tree_flatten(out)

            def pull(g):
                g = _none_to_zeros(list(g), out_leaves)
                static = [full[i] for i in nondiff]
                cts = bwd(*static, residuals, tree_unflatten(out_def, g))
                if isinstance(cts, list):
                    cts = tuple(cts)
                if isinstance(cts, tuple) and len(cts) == len(passed) != len(dpos):
                    cts = cts + (None,) * (len(dpos) - len(cts))  # defaults get none
                if not isinstance(cts, tuple) or len(cts) != len(dpos):
                    got = (
                        f"a tuple of {len(cts)}"
                        if isinstance(cts, tuple)
                        else f"a {type(cts).__name__}"
                    )
                    what = "argument" if not nondiff else "argument not in nondiff_argnums"
                    raise TypeError(
                        f"custom_vjp bwd of {name!r} must return a tuple with one "
                        f"cotangent per {what} ({len(dpos)}), got {got}"
                    )
                by_position = dict(zip(dpos, cts))
                cts = tuple(by_position.get(i) for i in range(len(args)))
                ct_leaves = _align(cts, args, name)
                return [ct_leaves[call.diff[i]] for i in argnums]

            return pull

        def jvp_joint(tangents, ans, *diff_values):
            from chainrule.functional.transforms import jvp

            tangents = _none_to_zeros(tangents, diff_values)
            flat_run = lambda *d: tuple(tree_flatten(run(*d))[0])
            _, out_t = jvp(flat_run, tuple(diff_values), tuple(tangents))
            return out_t

        return _bind(f"custom_vjp[{name}]", call, run, vjp_joint, jvp_joint)


def _align(cts, args, name):
    """Cotangent leaves aligned to the argument leaves (``None`` -> no contribution),
    each checked against its argument's shape."""
    leaves = []
    for k, (ct, a) in enumerate(zip(cts, args)):
        a_leaves = tree_flatten(a)[0]
        if ct is None:
            leaves.extend([None] * len(a_leaves))
            continue
        c_leaves, c_def = tree_flatten(ct)
        if len(c_leaves) != len(a_leaves):
            raise TypeError(
                f"custom_vjp bwd of {name!r}: the cotangent of argument {k} has structure "
                f"{c_def}, which differs from the argument's {tree_flatten(a)[1]}"
            )
        for c, x in zip(c_leaves, a_leaves):
            if c is not None and _is_array_leaf(x):
                c_shape, x_shape = np.shape(unbox_all(c)), np.shape(unbox_all(x))
                if c_shape != x_shape:
                    raise ValueError(
                        f"custom_vjp bwd of {name!r}: the cotangent of argument {k} has "
                        f"shape {c_shape}, but the argument has shape {x_shape}; bwd must "
                        "return cotangents shaped like the arguments (sum over broadcast "
                        "axes)"
                    )
        leaves.extend(c_leaves)
    return leaves


class custom_jvp:
    """Give ``fun`` a hand-written JVP, JAX style::

    @custom_jvp
    def f(x): ...
    @f.defjvp
    def f_jvp(primals, tangents): return f(*primals), tangent_out

    With ``nondiff_argnums`` (JAX's meaning) the rule is
    ``f_jvp(*nondiff_args, primals, tangents)``, primals and tangents of the others.
    """

    def __init__(self, fun, nondiff_argnums=()):
        _check_callable(fun, "custom_jvp")
        functools.update_wrapper(self, fun)
        self.fun = fun
        self.jvp_rule = None
        self.nondiff_argnums = nondiff_argnums

    def defjvp(self, jvp_rule, symbolic_zeros: bool = False):
        _no_symbolic_zeros(symbolic_zeros, "custom_jvp.defjvp")
        self.jvp_rule = jvp_rule
        return jvp_rule

    def defjvps(self, *jvps):
        """One rule per argument, JAX style: ``jvps[i](t_i, ans, *primals)`` is argument
        ``i``'s contribution to the output tangent (``None``: it contributes nothing)."""
        if self.nondiff_argnums:
            raise TypeError("custom_jvp: defjvps can't be used with nondiff_argnums; use defjvp")

        def rule(primals, tangents):
            ans = self(*primals)
            parts = [f(t, ans, *primals) for f, t in zip(jvps, tangents) if f is not None]
            if not parts:
                return ans, tree_map(lambda a: a * 0.0, ans)
            return ans, tree_map(lambda *ts: functools.reduce(lambda a, b: a + b, ts), *parts)

        self.jvp_rule = rule

    def __call__(self, *args, **kwargs):
        if self.jvp_rule is None:
            raise TypeError(f"custom_jvp function {self.__name__!r}: call defjvp(rule) first")
        args = _resolve_args(self.fun, args, kwargs, "custom_jvp")
        nondiff = _nondiff_positions(self.nondiff_argnums, len(args), "custom_jvp")
        _check_static(args, nondiff, "custom_jvp", self.__name__, "nondiff_argnums")
        call = _Call(args, frozenset(nondiff))
        if not any(isinstance(x, Box) for x in call.diff_leaves()):
            return self.fun(*args)
        fun, rule, name = self.fun, self.jvp_rule, self.__name__

        def run(*diff_values):
            return fun(*call.rebuild(diff_values))

        def tangent_out(diff_values, tangents, out_values):
            primals = call.rebuild(diff_values)
            tan_leaves = [
                np.zeros_like(unbox_all(x)) if _is_array_leaf(x) else x for x in call.leaves
            ]
            for i, t in zip(call.diff, tangents):
                tan_leaves[i] = t
            tans = tree_unflatten(call.treedef, tan_leaves)
            if nondiff:  # JAX's form: rule(*nondiff_args, primals, tangents) for the rest
                rest = [i for i in range(len(primals)) if i not in nondiff]
                static = [primals[i] for i in nondiff]
                _, t_out = rule(
                    *static, tuple(primals[i] for i in rest), tuple(tans[i] for i in rest)
                )
            else:
                _, t_out = rule(tuple(primals), tuple(tans))
            return _fit_tangents(tree_flatten(t_out)[0], out_values, name)

        def jvp_joint(tangents, ans, *diff_values):
            tangents = _none_to_zeros(tangents, diff_values)
            return tuple(tangent_out(diff_values, tangents, unbox_all(ans)))

        def vjp_joint(argnums, ans, *diff_values):
            from chainrule.functional.transforms import vjp

            out_values = unbox_all(ans)  # the outputs' values (ans may be traced)
            zeros = [np.zeros_like(unbox_all(v)) for v in diff_values]
            # The rule is linear in the tangents: its VJP in t is the transpose J^T.
            _, lin_t = vjp(lambda *t: tuple(tangent_out(diff_values, t, out_values)), *zeros)

            def pull(g):
                g = tuple(_none_to_zeros(list(g), list(out_values)))
                cts = lin_t(g)
                return [cts[i] for i in argnums]

            return pull

        return _bind(f"custom_jvp[{name}]", call, run, vjp_joint, jvp_joint)


def _fit_tangents(tangents, out_values, name):
    """The rule's output tangents, one per output leaf and of its shape: a scalar
    tangent (``0.0``) is broadcast; any other mismatch is an error."""
    import chainrule.numpy as cnp

    if len(tangents) != len(out_values):
        raise TypeError(
            f"custom_jvp rule of {name!r} returned {len(tangents)} tangent(s) for "
            f"{len(out_values)} output(s); give one tangent per output, shaped like it"
        )
    fitted = []
    for k, (t, o) in enumerate(zip(tangents, out_values)):
        t_shape, o_shape = np.shape(unbox_all(t)), np.shape(o)
        if t_shape != o_shape:
            if t_shape != ():
                raise ValueError(
                    f"custom_jvp rule of {name!r}: the tangent of output {k} has shape "
                    f"{t_shape}, but the output has shape {o_shape}"
                )
            t = cnp.broadcast_to(t, o_shape)
        fitted.append(t)
    return fitted


def checkpoint(fun=None, *, prevent_cse: bool = True, policy=None, static_argnums=()):
    """Rematerialisation: don't keep ``fun``'s intermediates for the backward pass;
    recompute them there. Same results, less memory for long chains.

    JAX's signature: ``prevent_cse`` only matters to a compiler and is accepted for
    compatibility; ``policy`` is accepted too, but every intermediate is recomputed (as
    with JAX's ``nothing_saveable``). Arguments at ``static_argnums`` are never
    differentiated (a traced value there is an error). Keyword arguments are passed
    through and differentiated like positional ones. ``checkpoint(static_argnums=...)``
    without ``fun`` is a decorator.
    """
    if fun is None:
        return functools.partial(
            checkpoint, prevent_cse=prevent_cse, policy=policy, static_argnums=static_argnums
        )
    _check_callable(fun, "checkpoint")
    name = getattr(fun, "__name__", "fun")
    static = (static_argnums,) if isinstance(static_argnums, int) else tuple(static_argnums)

    @functools.wraps(fun)
    def wrapped(*args, **kwargs):
        nums = {n % len(args) for n in static if -len(args) <= n < len(args)}
        _check_static(args, sorted(nums), "checkpoint", name, "static_argnums")
        dynamic = tuple(a for i, a in enumerate(args) if i not in nums)

        def call_fun(dyn, kw):
            it = iter(dyn)
            full = [args[i] if i in nums else next(it) for i in range(len(args))]
            return fun(*full, **kw)

        call = _Call((dynamic, kwargs))
        if not any(isinstance(x, Box) for x in call.diff_leaves()):
            return fun(*args, **kwargs)

        def run(*diff_values):
            return call_fun(*call.rebuild(diff_values))

        def vjp_joint(argnums, ans, *diff_values):
            from chainrule.functional.transforms import vjp

            out, f_vjp = vjp(lambda *d: tuple(tree_flatten(run(*d))[0]), *diff_values)

            def pull(g):
                g = tuple(_none_to_zeros(list(g), list(out)))
                cts = f_vjp(g)
                return [cts[i] for i in argnums]

            return pull

        def jvp_joint(tangents, ans, *diff_values):
            from chainrule.functional.transforms import jvp

            tangents = _none_to_zeros(tangents, diff_values)
            _, t = jvp(
                lambda *d: tuple(tree_flatten(run(*d))[0]), tuple(diff_values), tuple(tangents)
            )
            return t

        return _bind(
            f"checkpoint[{getattr(fun, '__name__', 'fun')}]", call, run, vjp_joint, jvp_joint
        )

    return wrapped
