"""Grad mode: whether operations on tensors are recorded (``no_grad``, ``enable_grad``,
``set_grad_enabled``, ``inference_mode``).

The mode is a ``ContextVar``, so each thread and each asyncio task has its own. The
eager trace (:mod:`chainrule.tensors.graph`) reads it on every operation; ``backward``
turns it on only for ``create_graph=True``, so that the rules are recorded.
"""

from __future__ import annotations

import contextvars
import functools
import inspect
from contextlib import contextmanager

_grad_enabled: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "chainrule_grad_enabled", default=True
)

# the tokens that undo the grad-mode changes of the enclosing ``with`` blocks, innermost last
_tokens: contextvars.ContextVar[tuple] = contextvars.ContextVar("chainrule_grad_tokens", default=())


class _GradMode:
    """Context manager and decorator setting grad mode (``no_grad``/``enable_grad``).

    One object may be entered by several threads or asyncio tasks at once, and
    re-entered: the tokens that restore the previous mode are kept per context (in
    ``_tokens``), not on the object. A decorated generator runs each step in the mode,
    as in PyTorch."""

    def __init__(self, enabled: bool):
        self.enabled = enabled

    def __enter__(self):
        _tokens.set(_tokens.get() + (_grad_enabled.set(self.enabled),))
        return self

    def __exit__(self, *exc):
        stack = _tokens.get()
        _grad_enabled.reset(stack[-1])
        _tokens.set(stack[:-1])
        return False

    def __call__(self, fun):
        enabled = self.enabled
        if inspect.isgeneratorfunction(fun):

            @functools.wraps(fun)
            def generator(*args, **kwargs):
                gen = fun(*args, **kwargs)
                try:
                    with _GradMode(enabled):
                        response = gen.send(None)
                    while True:
                        try:
                            request = yield response
                        except GeneratorExit:
                            with _GradMode(enabled):
                                gen.close()
                            raise
                        except BaseException as err:  # thrown in: pass it on, in the mode
                            with _GradMode(enabled):
                                response = gen.throw(err)
                        else:
                            with _GradMode(enabled):
                                response = gen.send(request)
                except StopIteration as stop:
                    return stop.value

            return generator

        @functools.wraps(fun)
        def wrapper(*args, **kwargs):
            with _GradMode(enabled):
                return fun(*args, **kwargs)

        return wrapper


def no_grad(fun=None):
    """Don't record operations on tensors (inference, optimizer updates). A context
    manager, or a decorator with or without parentheses (``@no_grad``/``@no_grad()``)."""
    mode = _GradMode(False)
    return mode if fun is None else mode(fun)


def enable_grad(fun=None):
    """Record operations again (inside ``no_grad``); also a decorator, like ``no_grad``."""
    mode = _GradMode(True)
    return mode if fun is None else mode(fun)


def is_grad_enabled() -> bool:
    return _grad_enabled.get()


class set_grad_enabled:  # noqa: N801  (PyTorch's name: a function that is also a class)
    """Set grad mode to ``mode``, as ``torch.set_grad_enabled``: called as a function it
    takes effect at once (``cr.set_grad_enabled(False)``); as a context manager the
    previous mode comes back on exit; as a decorator it sets the mode for each call."""

    def __init__(self, mode: bool):
        self.mode = bool(mode)
        self.prev = _grad_enabled.get()
        _grad_enabled.set(self.mode)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        _grad_enabled.set(self.prev)
        return False

    def __call__(self, fun):
        _grad_enabled.set(self.prev)  # decorating must not change the mode now
        return _GradMode(self.mode)(fun)


def inference_mode(mode=True):
    """PyTorch's ``inference_mode``: here the same as ``no_grad()`` (chainrule has no
    separate inference tensors, so it is not faster than ``no_grad``). As in PyTorch,
    ``inference_mode(False)`` turns recording on, and ``@inference_mode`` decorates."""
    if callable(mode):
        return _GradMode(False)(mode)
    return _GradMode(not mode)


@contextmanager
def _grad_mode(enabled: bool):
    token = _grad_enabled.set(enabled)
    try:
        yield
    finally:
        _grad_enabled.reset(token)
