"""HIPS autograd's extension API (``autograd.extend``), on chainrule's primitive
records: ``primitive`` wraps a function in a record of its own (not in the global rule
table), and ``defvjp``/``defjvp`` and their variants fill its rules with autograd's
calling conventions, which are chainrule's:

* a VJP maker is ``vjp(ans, *args, **kwargs) -> (g -> cotangent)``;
* a JVP is ``jvp(g, ans, *args, **kwargs) -> tangent``;
* ``None`` in place of a rule marks the argument as carrying no derivative (zero).

Unlike the built-in table, where each record is complete where it is declared, a user
primitive gets its rules after creation: that is autograd's contract for extensions.
A traced argument without a rule raises ``NotImplementedError`` naming the function
and the argument.
"""

from __future__ import annotations

import functools
import types
import warnings
from collections.abc import Callable, Iterable
from typing import Any

from chainrule.core.primitive import Primitive, add_any
from chainrule.core.trace import Box, unbox_all
from chainrule.functional.vspace import vspace

__all__ = [
    "Box",
    "def_linear",
    "defjvp",
    "defjvp_argnum",
    "defvjp",
    "defvjp_argnum",
    "defvjp_argnums",
    "getval",
    "isbox",
    "notrace_primitive",
    "primitive",
    "register_notrace",
]


class UserPrimitive:
    """A function made a primitive by :func:`primitive`; calling it runs the function on
    plain values, or records one step on the innermost active trace."""

    def __init__(self, fun: Callable[..., Any]):
        self.fun = fun
        name = getattr(fun, "__name__", "primitive")
        self.record = Primitive(name, lambda xp, *args, **kwargs: fun(*args, **kwargs))
        functools.update_wrapper(self, fun)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.record(*args, **kwargs)

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        """A primitive defined in a class body is a method, as a function would be:
        ``obj.method(x)`` passes ``obj`` as the first argument."""
        return self if obj is None else types.MethodType(self, obj)

    def __repr__(self) -> str:
        return f"<primitive {self.record.name}>"

    # -- autograd's older method forms, kept for programs written against them -------------
    def defvjp(self, vjp: Callable, argnum: int = 0) -> None:
        """Deprecated form: ``vjp(g, ans, vs, gvs, *args, **kwargs)`` is the cotangent of
        argument ``argnum`` (``vs``/``gvs`` the vector spaces of that argument and of
        ``ans``). Use the module function ``defvjp(fun, maker, ...)``."""
        _deprecated("fun.defvjp(vjp, argnum)", "defvjp(fun, lambda ans, *args: lambda g: ...)")

        def maker(ans, *args, **kwargs):
            spaces = (vspace(args[argnum]), vspace(ans))
            return lambda g: vjp(g, ans, *spaces, *args, **kwargs)

        self.record.vjps[argnum] = maker

    def defgrad(self, vjpmaker: Callable, argnum: int = 0) -> None:
        """Deprecated form: ``vjpmaker(ans, *args, **kwargs) -> (g -> cotangent)`` for
        argument ``argnum`` (the module function ``defvjp``'s convention)."""
        _deprecated("fun.defgrad(maker, argnum)", "defvjp(fun, maker, argnums=[argnum])")
        self.record.vjps[argnum] = vjpmaker

    def defvjp_is_zero(self, argnums: Iterable[int] = (0,)) -> None:
        """Deprecated form: the arguments at ``argnums`` carry no derivative."""
        _deprecated("fun.defvjp_is_zero(argnums)", "defvjp(fun, None, ...)")
        self.record.nondiff = self.record.nondiff | frozenset(argnums)


def _deprecated(old: str, new: str) -> None:
    warnings.warn(f"{old} is autograd's old form; write {new}", DeprecationWarning, stacklevel=3)


def primitive(fun: Callable[..., Any]) -> UserPrimitive:
    """Make ``fun`` a primitive: tracers see one step, differentiated by the rules given
    with :func:`defvjp` / :func:`defjvp` (``fun`` itself runs on plain values)."""
    return UserPrimitive(fun)


def _record(fun: Any, where: str) -> Primitive:
    if not isinstance(fun, UserPrimitive):
        raise TypeError(
            f"{where}: {getattr(fun, '__name__', fun)!r} is not a primitive; decorate it "
            "with chainrule.extend.primitive first (or use chainrule.custom_vjp)"
        )
    return fun.record


def _positions(rules: tuple, argnums) -> list:
    return list(range(len(rules))) if argnums is None else list(argnums)


def defvjp(fun: UserPrimitive, *vjpmakers: Callable | None, argnums=None) -> None:
    """VJP makers for the arguments in order (or at ``argnums``); ``None`` means no
    derivative through that argument."""
    record = _record(fun, "defvjp")
    for i, maker in zip(_positions(vjpmakers, argnums), vjpmakers):
        if maker is None:
            record.nondiff = record.nondiff | {i}
        else:
            record.vjps[i] = maker


def defvjp_argnums(fun: UserPrimitive, vjpmaker: Callable) -> None:
    """One maker for every argument: ``vjpmaker(argnums, ans, args, kwargs)`` returns
    ``g -> cotangents`` (one per position in ``argnums``)."""
    record = _record(fun, "defvjp_argnums")
    record.vjp_joint = lambda argnums, ans, *args, **kwargs: vjpmaker(
        tuple(argnums), ans, args, kwargs
    )


def defvjp_argnum(fun: UserPrimitive, vjpmaker: Callable) -> None:
    """One maker for each argument in turn: ``vjpmaker(argnum, ans, args, kwargs)``."""

    def joint(argnums, ans, args, kwargs):
        pulls = [vjpmaker(i, ans, args, kwargs) for i in argnums]
        return lambda g: [pull(g) for pull in pulls]

    defvjp_argnums(fun, joint)


def _same(fun: UserPrimitive, i: int) -> Callable:
    """autograd's ``"same"``: the JVP of an argument in which ``fun`` is linear is
    ``fun`` applied with the tangent in that argument's place."""

    def jvp(g, ans, *args, **kwargs):
        return fun(*args[:i], g, *args[i + 1 :], **kwargs)

    return jvp


def defjvp(fun: UserPrimitive, *jvpfuns: Callable | str | None, argnums=None) -> None:
    """JVPs ``jvp(g, ans, *args, **kwargs)`` for the arguments in order (or at
    ``argnums``); ``"same"`` for an argument ``fun`` is linear in; ``None`` for none."""
    record = _record(fun, "defjvp")
    for i, jvp in zip(_positions(jvpfuns, argnums), jvpfuns):
        if jvp is None:
            record.nondiff = record.nondiff | {i}
        elif isinstance(jvp, str):
            if jvp != "same":
                raise ValueError(f"defjvp: unknown rule name {jvp!r} (only 'same' is known)")
            record.jvps[i] = _same(fun, i)
        else:
            record.jvps[i] = jvp


def defjvp_argnum(fun: UserPrimitive, jvpmaker: Callable) -> None:
    """One JVP for every argument: ``jvpmaker(argnum, g, ans, args, kwargs)``; the
    tangents of several traced arguments add."""
    record = _record(fun, "defjvp_argnum")

    def joint(tangents, ans, *args, **kwargs):
        out = None
        for i, g in enumerate(tangents):
            if g is not None:
                out = add_any(out, jvpmaker(i, g, ans, args, kwargs))
        return out

    record.jvp_joint = joint


def def_linear(fun: UserPrimitive) -> None:
    """Declare ``fun`` linear in each argument (its forward mode applies ``fun`` to the
    tangent); reverse mode still needs :func:`defvjp`."""
    defjvp_argnum(fun, lambda i, g, ans, args, kwargs: _same(fun, i)(g, ans, *args, **kwargs))


def notrace_primitive(fun: Callable[..., Any]) -> Callable[..., Any]:
    """``fun`` run on the plain values of its arguments: its result is a constant to
    every trace (for functions whose output carries no derivative)."""

    @functools.wraps(fun)
    def call(*args: Any, **kwargs: Any) -> Any:
        values = [unbox_all(a) for a in args]
        return fun(*values, **{k: unbox_all(v) for k, v in kwargs.items()})

    return call


def register_notrace(trace_type: Any, fun: UserPrimitive) -> None:
    """Mark a primitive as having zero derivative. autograd restricts this to one kind
    of trace (``trace_type``); in chainrule it holds for every trace."""
    _record(fun, "register_notrace").zero_derivative = True


def isbox(x: Any) -> bool:
    """Whether ``x`` is a traced value."""
    return isinstance(x, Box)


def getval(x: Any) -> Any:
    """The plain value under any number of traces."""
    return unbox_all(x)
