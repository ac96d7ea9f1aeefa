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
"""

from __future__ import annotations

import functools

import numpy as np

from chainrule.core.primitive import Primitive, defprimitive
from chainrule.core.trace import Box, unbox_all
from chainrule.pytree import tree_flatten, tree_unflatten

__all__ = ["custom_vjp", "custom_jvp", "checkpoint", "stop_gradient"]


# stop_gradient is a registered zero-derivative primitive: a constant to every trace,
# and for a Tensor the same as detach().
stop_gradient = defprimitive("stop_gradient", lambda xp, x: x, zero_derivative=True)


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
    """Split a call ``fun(*args)`` into differentiable leaves and static rest."""

    def __init__(self, args):
        self.leaves, self.treedef = tree_flatten(args)
        self.diff = [i for i, x in enumerate(self.leaves) if _is_array_leaf(x)]

    def rebuild(self, diff_values):
        leaves = list(self.leaves)
        for i, v in zip(self.diff, diff_values):
            leaves[i] = v
        return tree_unflatten(self.treedef, leaves)

    def diff_leaves(self):
        return [self.leaves[i] for i in self.diff]


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
    from chainrule.transforms import _zeros_like

    return [(_zeros_like(x) if g is None else g) for g, x in zip(gs, like)]


class custom_vjp:
    """Give ``fun`` a hand-written VJP, JAX style::

    @custom_vjp
    def f(x): ...
    def f_fwd(x): return f(x), residuals
    def f_bwd(residuals, g): return (ct_x,)
    f.defvjp(f_fwd, f_bwd)
    """

    def __init__(self, fun, nondiff_argnums=()):
        functools.update_wrapper(self, fun)
        self.fun = fun
        self.fwd = self.bwd = None
        if nondiff_argnums:
            raise NotImplementedError(
                "custom_vjp(nondiff_argnums=...) is not supported; close over the "
                "static values instead (functools.partial)."
            )

    def defvjp(self, fwd, bwd):
        self.fwd, self.bwd = fwd, bwd
        return self

    def __call__(self, *args):
        if self.fwd is None:
            raise TypeError(f"custom_vjp function {self.__name__!r}: call defvjp(fwd, bwd) first")
        call = _Call(args)
        if not any(isinstance(x, Box) for x in call.diff_leaves()):
            return self.fun(*args)
        fun, fwd, bwd = self.fun, self.fwd, self.bwd

        def run(*diff_values):
            return fun(*call.rebuild(diff_values))

        def vjp_joint(argnums, ans, *diff_values):
            out, residuals = fwd(*call.rebuild(diff_values))
            out_leaves, out_def = tree_flatten(out)

            def pull(g):
                g = _none_to_zeros(list(g), out_leaves)
                cts = bwd(residuals, tree_unflatten(out_def, g))
                if not isinstance(cts, (tuple, list)) or len(cts) != len(args):
                    raise TypeError(
                        f"custom_vjp bwd of {self.__name__!r} must return a tuple with one "
                        f"cotangent per argument ({len(args)}), got {type(cts).__name__}"
                    )
                ct_leaves = tree_flatten(tuple(cts))[0]
                if len(ct_leaves) != len(call.leaves):
                    ct_leaves = _align(cts, args)
                return [ct_leaves[call.diff[i]] for i in argnums]

            return pull

        def jvp_joint(tangents, ans, *diff_values):
            from chainrule.transforms import jvp

            tangents = _none_to_zeros(tangents, diff_values)
            flat_run = lambda *d: tuple(tree_flatten(run(*d))[0])
            _, out_t = jvp(flat_run, tuple(diff_values), tuple(tangents))
            return out_t

        return _bind(f"custom_vjp[{self.__name__}]", call, run, vjp_joint, jvp_joint)


def _align(cts, args):
    """Cotangent leaves aligned to the argument leaves (None -> no contribution)."""
    leaves = []
    for ct, a in zip(cts, args):
        a_leaves = tree_flatten(a)[0]
        if ct is None:
            leaves.extend([None] * len(a_leaves))
        else:
            c_leaves = tree_flatten(ct)[0]
            if len(c_leaves) != len(a_leaves):
                raise TypeError(
                    "custom_vjp bwd returned a cotangent whose structure differs from its argument"
                )
            leaves.extend(c_leaves)
    return leaves


class custom_jvp:
    """Give ``fun`` a hand-written JVP, JAX style::

    @custom_jvp
    def f(x): ...
    @f.defjvp
    def f_jvp(primals, tangents): return f(*primals), tangent_out
    """

    def __init__(self, fun, nondiff_argnums=()):
        functools.update_wrapper(self, fun)
        self.fun = fun
        self.jvp_rule = None
        if nondiff_argnums:
            raise NotImplementedError(
                "custom_jvp(nondiff_argnums=...) is not supported; close over the "
                "static values instead (functools.partial)."
            )

    def defjvp(self, jvp_rule):
        self.jvp_rule = jvp_rule
        return jvp_rule

    def __call__(self, *args):
        if self.jvp_rule is None:
            raise TypeError(f"custom_jvp function {self.__name__!r}: call defjvp(rule) first")
        call = _Call(args)
        if not any(isinstance(x, Box) for x in call.diff_leaves()):
            return self.fun(*args)
        fun, rule = self.fun, self.jvp_rule

        def run(*diff_values):
            return fun(*call.rebuild(diff_values))

        def tangent_out(diff_values, tangents):
            primals = call.rebuild(diff_values)
            tan_leaves = [
                np.zeros_like(unbox_all(x)) if _is_array_leaf(x) else x for x in call.leaves
            ]
            for i, t in zip(call.diff, tangents):
                tan_leaves[i] = t
            tans = tree_unflatten(call.treedef, tan_leaves)
            _, t_out = rule(tuple(primals), tuple(tans))
            return tree_flatten(t_out)[0]

        def jvp_joint(tangents, ans, *diff_values):
            tangents = _none_to_zeros(tangents, diff_values)
            return tuple(tangent_out(diff_values, tangents))

        def vjp_joint(argnums, ans, *diff_values):
            from chainrule.transforms import vjp

            zeros = [np.zeros_like(unbox_all(v)) for v in diff_values]
            # The rule is linear in the tangents: its VJP in t is the transpose J^T.
            _, lin_t = vjp(lambda *t: tuple(tangent_out(diff_values, t)), *zeros)

            def pull(g):
                g = tuple(_none_to_zeros(list(g), list(ans) if isinstance(ans, tuple) else [ans]))
                cts = lin_t(g)
                return [cts[i] for i in argnums]

            return pull

        return _bind(f"custom_jvp[{self.__name__}]", call, run, vjp_joint, jvp_joint)


def checkpoint(fun):
    """Rematerialisation: don't keep ``fun``'s intermediates for the backward pass;
    recompute them there. Same results, less memory for long chains."""

    @functools.wraps(fun)
    def wrapped(*args):
        call = _Call(args)
        if not any(isinstance(x, Box) for x in call.diff_leaves()):
            return fun(*args)

        def run(*diff_values):
            return fun(*call.rebuild(diff_values))

        def vjp_joint(argnums, ans, *diff_values):
            from chainrule.transforms import vjp

            out, f_vjp = vjp(lambda *d: tuple(tree_flatten(run(*d))[0]), *diff_values)

            def pull(g):
                g = tuple(_none_to_zeros(list(g), list(out)))
                cts = f_vjp(g)
                return [cts[i] for i in argnums]

            return pull

        def jvp_joint(tangents, ans, *diff_values):
            from chainrule.transforms import jvp

            tangents = _none_to_zeros(tangents, diff_values)
            _, t = jvp(
                lambda *d: tuple(tree_flatten(run(*d))[0]), tuple(diff_values), tuple(tangents)
            )
            return t

        return _bind(
            f"checkpoint[{getattr(fun, '__name__', 'fun')}]", call, run, vjp_joint, jvp_joint
        )

    return wrapped
