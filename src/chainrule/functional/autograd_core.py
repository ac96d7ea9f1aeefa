"""The names autograd's programs import from its internal modules (``autograd.core``,
``autograd.tracer``, ``autograd.wrap_util``), on chainrule's transforms and records:

* ``make_vjp(fun, x) -> (vjp, ans)``: autograd's core form, one argument, not curried
  (the curried ``make_vjp(fun, argnum)(*args)`` is :mod:`.autograd_names`');
* ``unary_to_nary(op)``: turns an operator written for a function of one argument,
  ``op(fun, x)``, into one written for any argument, ``op(fun, argnum)(*args)``;
* ``primitive_vjps`` / ``primitive_jvps``: the rule tables, seen as autograd's dicts
  from a primitive function to its rules by argument number;
* ``func(f)``: autograd's ``util.func``, which hands a method's plain function back
  (in Python 3 ``Class.method`` already is one, so it returns ``f``);
* ``missing_internal(module, name)``: the error for the tracer's internals that
  chainrule does not provide (a ``Node`` subclass given to ``trace`` to watch each
  primitive call), naming the idiom and chainrule's way to see the same calls.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, MutableMapping
from typing import Any

from chainrule.core.primitive import Primitive
from chainrule.functional.modes import vjp

__all__ = [
    "func",
    "make_vjp",
    "missing_internal",
    "primitive_jvps",
    "primitive_vjps",
    "unary_to_nary",
]


def make_vjp(fun: Callable[[Any], Any], x: Any) -> tuple[Callable[[Any], Any], Any]:
    """``(vjp, ans)`` of ``fun`` at ``x``: ``vjp(g)`` is the cotangent of ``x``."""
    ans, pull = vjp(fun, x)
    return (lambda g: pull(g)[0]), ans


def unary_to_nary(op: Callable[..., Any]) -> Callable[..., Callable[..., Any]]:
    """``op(fun, x, *op_args)`` for a function of one argument becomes
    ``op(fun, argnum=0, *op_args)(*args, **kwargs)``, applied to ``fun`` as a function of
    ``args[argnum]`` (or of the tuple of arguments, for a tuple ``argnum``)."""

    @functools.wraps(op)
    def nary_op(fun: Callable[..., Any], argnum: Any = 0, *op_args: Any, **op_kwargs: Any):
        @functools.wraps(fun)
        def applied(*args: Any, **kwargs: Any) -> Any:
            def with_x(x: Any) -> Any:
                full = list(args)
                if isinstance(argnum, int):
                    full[argnum] = x
                else:
                    for n, v in zip(argnum, x):
                        full[n] = v
                return fun(*full, **kwargs)

            x = args[argnum] if isinstance(argnum, int) else tuple(args[n] for n in argnum)
            return op(with_x, x, *op_args, **op_kwargs)

        applied.__name__ = f"{op.__name__}_of_{getattr(fun, '__name__', 'function')}"
        return applied

    return nary_op


def _record_of(fun: Any) -> Primitive | None:
    """The record behind a primitive function: a user primitive's ``record``, a built-in
    function's ``primitive``, or the record itself; None for anything else."""
    if isinstance(fun, Primitive):
        return fun
    found = getattr(fun, "record", None) or getattr(fun, "primitive", None)
    return found if isinstance(found, Primitive) else None


class _RuleTable(MutableMapping):
    """Primitive function -> ``{argnum: rule}``, read from and written to the records.
    Functions that are not primitives (compositions, pass-throughs) are absent."""

    def __init__(self, attribute: str):
        self._attribute = attribute

    def _rules(self, fun: Any) -> dict:
        record = _record_of(fun)
        if record is None:
            raise KeyError(fun)
        return getattr(record, self._attribute)

    def __getitem__(self, fun: Any) -> dict:
        rules = self._rules(fun)
        if not rules:
            raise KeyError(fun)
        return rules

    def __setitem__(self, fun: Any, rules: dict) -> None:
        table = self._rules(fun)
        table.clear()
        table.update(rules)

    def __delitem__(self, fun: Any) -> None:
        self[fun].clear()

    def pop(self, fun: Any, *default: Any) -> Any:
        try:
            rules = dict(self[fun])
        except KeyError:
            if default:
                return default[0]
            raise
        del self[fun]
        return rules

    def __iter__(self) -> Iterator:
        raise TypeError("the rule table cannot be listed; look a primitive up by function")

    def __len__(self) -> int:
        raise TypeError("the rule table has no length; look a primitive up by function")


primitive_vjps = _RuleTable("vjps")
primitive_jvps = _RuleTable("jvps")


def func(f: Callable[..., Any]) -> Callable[..., Any]:
    """``f`` itself: autograd's ``util.func`` unwrapped Python 2's unbound methods, so
    ``defvjp(func(Class.__call__), ...)`` works here unchanged."""
    return f


# autograd's tracer and core machinery, which chainrule's traces do not expose
_TRACER_INTERNALS = ("Node", "trace", "new_box", "toposort", "VJPNode", "JVPNode",
                     "backward_pass", "new_root", "box_type_mappings")  # fmt: skip


def missing_internal(module: str, name: str) -> Any:
    """The module ``__getattr__`` of autograd's internal-module stand-ins: an ``ImportError``
    naming the idiom and chainrule's way for the tracer's internals, the usual
    ``AttributeError`` for any other name."""
    if name in _TRACER_INTERNALS:
        raise ImportError(
            f"{module}.{name}: autograd's tracer internals (a Node subclass handed to "
            f"trace() to record or print each primitive call) are not part of chainrule. "
            f"To see the primitive calls of f, print chainrule.make_program(f)(x) (each "
            f"call with its shapes); to draw the graph, use chainrule.viz.trace(f, x); "
            f"for derivative rules, chainrule.extend's primitive and defvjp.",
            name=name,
        )
    raise AttributeError(f"module {module!r} has no attribute {name!r}")
