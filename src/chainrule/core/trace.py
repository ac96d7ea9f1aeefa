"""Traces and boxes: how a value is marked as "being differentiated".

A :class:`Trace` is one active differentiation (one call of ``grad``, ``jvp``, ... or
the eager ``Tensor`` graph). A :class:`Box` wraps a value together with the trace that
owns it. When a primitive is applied, the box of the *highest-level* trace among its
arguments wins: that trace unboxes its own boxes, applies the primitive one level down
(where boxes of outer traces are still boxes), and boxes the answer again.

Nesting and perturbation confusion: every transform gets a fresh trace with a level
higher than every trace active when it starts. A box belongs to a trace by identity
(``box._trace is self``); boxes of other traces are constants to it. So an inner
derivative of a function that only closes over the outer variable is 0, as it must be.

The trace stack is the only global state. It lives in a ``ContextVar``, so each thread
(and each asyncio task) has its own: two threads differentiating at once never see
each other's traces.
"""

from __future__ import annotations

import contextvars
import itertools
from contextlib import contextmanager

# The levels of the traces active in this context, innermost last.
_active: contextvars.ContextVar[tuple] = contextvars.ContextVar("chainrule_traces", default=())
_counter = itertools.count(1)


class Trace:
    """One active differentiation. Subclasses define :meth:`process`."""

    __slots__ = ("level", "active", "__weakref__")

    def __init__(self, level: int):
        self.level = level
        self.active = True

    def process(self, prim, args, kwargs):  # pragma: no cover - abstract
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<{type(self).__name__} level={self.level}>"


class Box:
    """A value being differentiated by ``_trace``. Operators are installed by the
    primitives layer (``chainrule.primitives.boxes``), so the core stays NumPy-free."""

    __slots__ = ("_value", "_trace", "__weakref__")
    # Make NumPy defer to our __array_ufunc__ / reflected operators.
    __array_priority__ = 100.0

    def __init__(self, value, trace):
        self._value = value
        self._trace = trace

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._value!r}, level={self._trace.level})"


@contextmanager
def new_trace(trace_type, *args):
    """Start a trace one level above every active one; always retired in ``finally``."""
    level = next(_counter)
    trace = trace_type(level, *args)
    token = _active.set(_active.get() + (trace,))
    try:
        yield trace
    finally:
        trace.active = False
        _active.reset(token)


def active_traces() -> tuple:
    return _active.get()


def unbox_all(x):
    """Strip every box (of any trace) from ``x``: the plain value underneath."""
    while isinstance(x, Box):
        x = x._value
    return x


def is_boxed(x) -> bool:
    return isinstance(x, Box)
