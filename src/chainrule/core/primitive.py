"""The registry: one record per primitive, holding its forward and its derivative rules.

A :class:`Primitive` is the unit the tracers understand. It holds:

* ``impl(xp, *args, **kwargs)``: the forward, on plain arrays (``xp`` is the array
  namespace from :mod:`chainrule.core.backend`);
* ``vjps[i](ans, *args, **kwargs) -> (g -> cotangent_i)``: reverse rule for argument
  ``i``, staged the autograd way (work needing the inputs first, then a closure over
  the cotangent ``g``);
* ``jvps[i](g, ans, *args, **kwargs) -> tangent``: forward rule for argument ``i``;
* optionally ``vjp_joint`` / ``jvp_joint`` when the arguments share work (linalg);
* ``nondiff``: argument positions that are explicitly not differentiable (an index,
  a condition). A traced value in any other position without a rule is an error that
  names the primitive and the argument: rules are never missing silently.
* ``zero_derivative``: piecewise-constant and integer-valued ops (floor, sign,
  comparisons, argmax) whose output is a constant to every trace.
* ``boxed_kwargs``: keyword arguments (tuples, such as an index) whose items may be
  boxes of a ``vmap`` (an index array that differs per example): they take part in
  choosing the trace that processes a call, as the positional arguments do.

Rules are ordinary traced computations (they call chainrule's own differentiable ops),
so a rule applied under an outer trace is recorded by it: that is what makes
derivatives of any order work.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from chainrule.core.backend import array_namespace
from chainrule.core.trace import Box

# A rule for one argument: vjps[i](ans, *args, **kwargs) -> (g -> cotangent), and
# jvps[i](tangent, ans, *args, **kwargs) -> output tangent.
VJPRule = Callable[..., Callable[[Any], Any]]
JVPRule = Callable[..., Any]

registry: dict[str, Primitive] = {}
# NumPy ufunc / function name -> differentiable callable, for the __array_ufunc__ and
# __array_function__ protocols of boxes. Filled by the layers above.
numpy_overrides: dict[str, Callable[..., Any]] = {}


class Primitive:
    __slots__ = (
        "name",
        "impl",
        "vjps",
        "jvps",
        "vjp_joint",
        "jvp_joint",
        "nondiff",
        "zero_derivative",
        "multiple_results",
        "boxed_kwargs",
    )

    def __init__(self, name: str, impl: Callable[..., Any], *, multiple_results: bool = False):
        self.name = name
        self.impl = impl
        self.vjps: dict[int, VJPRule] = {}
        self.jvps: dict[int, JVPRule] = {}
        # vjp_joint(argnums, ans, *args, **kwargs) -> (g -> cotangents of argnums);
        # jvp_joint(tangents, ans, *args, **kwargs), a tangent per argument or None
        self.vjp_joint: Callable[..., Callable[[Any], Sequence]] | None = None
        self.jvp_joint: JVPRule | None = None
        self.nondiff: frozenset[int] = frozenset()
        self.zero_derivative = False
        self.multiple_results = multiple_results
        self.boxed_kwargs: tuple[str, ...] = ()

    def __call__(self, *args, **kwargs):
        top = None
        for a in args:
            if isinstance(a, Box) and (top is None or a._trace.level > top.level):
                top = a._trace
        for name in self.boxed_kwargs:
            for a in kwargs.get(name, ()):
                if isinstance(a, Box) and (top is None or a._trace.level > top.level):
                    top = a._trace
        if top is None:
            if kwargs or len(args) != 1:
                return self.impl(array_namespace(args, self.name), *args, **kwargs)
            return self.impl(array_namespace(args, self.name), args[0])  # no argument tuple
        if not top.active:
            raise RuntimeError(
                f"{self.name}: a traced value escaped the transform that created it "
                "(it was stored outside the function being differentiated). Return it "
                "from the function instead of keeping it in a global or a closure."
            )
        return top.process(self, args, kwargs)

    # -- rules ------------------------------------------------------------------------
    def check_rule(self, i: int, mode: str) -> bool:
        """Whether argument ``i`` is differentiated; raise if it has no rule."""
        if self.zero_derivative or i in self.nondiff:
            return False
        if mode == "rev":
            if self.vjp_joint is not None or i in self.vjps:
                return True
        elif self.jvp_joint is not None or i in self.jvps:
            return True
        kind = "VJP (reverse mode)" if mode == "rev" else "JVP (forward mode)"
        raise NotImplementedError(
            f"chainrule has no {kind} rule for argument {i} of primitive '{self.name}'"
        )

    def vjp(self, g, argnums, ans, args, kwargs) -> list:
        """Cotangents for ``argnums`` given the output cotangent ``g``."""
        if self.vjp_joint is not None:
            return list(self.vjp_joint(argnums, ans, *args, **kwargs)(g))
        vjps = self.vjps
        if len(argnums) == 1:
            rule = vjps[argnums[0]]
            if not kwargs and len(args) == 1:  # a unary rule, called without an argument tuple
                return [rule(ans, args[0])(g)]
            return [rule(ans, *args, **kwargs)(g)]
        return [vjps[i](ans, *args, **kwargs)(g) for i in argnums]

    def jvp(self, tangents, argnums, ans, args, kwargs):
        """Output tangent given the tangents of ``argnums`` (same order)."""
        if self.jvp_joint is not None:
            full: list = [None] * len(args)
            for i, t in zip(argnums, tangents):
                full[i] = t
            return self.jvp_joint(full, ans, *args, **kwargs)
        out = None
        for i, t in zip(argnums, tangents):
            contrib = self.jvps[i](t, ans, *args, **kwargs)
            out = contrib if out is None else add_any(out, contrib)
        return out

    def __repr__(self) -> str:
        return f"<primitive {self.name}>"


def add_any(a, b):
    """Add two cotangents/tangents; ``None`` is a zero, tuples add elementwise."""
    if a is None:
        return b
    if b is None:
        return a
    if isinstance(a, tuple):
        return tuple(add_any(x, y) for x, y in zip(a, b))
    return a + b


def defprimitive(
    name: str,
    impl: Callable[..., Any],
    *,
    vjp: dict[int, VJPRule] | None = None,
    jvp: dict[int, JVPRule] | None = None,
    vjp_joint: Callable[..., Callable[[Any], Sequence]] | None = None,
    jvp_joint: JVPRule | None = None,
    nondiff: Sequence[int] = (),
    zero_derivative: bool = False,
    multiple_results: bool = False,
    boxed_kwargs: Sequence[str] = (),
) -> Primitive:
    """Declare a primitive: its forward and every rule, in one record."""
    if name in registry:
        raise ValueError(f"primitive {name!r} is already registered")
    prim = Primitive(name, impl, multiple_results=multiple_results)
    prim.vjps = dict(vjp or {})
    prim.jvps = dict(jvp or {})
    prim.vjp_joint = vjp_joint
    prim.jvp_joint = jvp_joint
    prim.nondiff = frozenset(nondiff)
    prim.zero_derivative = zero_derivative
    prim.boxed_kwargs = tuple(boxed_kwargs)
    registry[name] = prim
    return prim
