"""Rematerialisation: ``checkpoint`` keeps nothing of a function's intermediates for
the backward pass but its inputs, and recomputes the rest there with a fresh ``vjp``.
Same derivatives, at any order; less memory for long chains.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from chainrule.functional.arguments import Argnums, check_callable
from chainrule.functional.custom_call import (
    SplitCall,
    bind,
    by_differentiating,
    check_static,
    recompute,
)

__all__ = ["checkpoint"]


def checkpoint(
    fun: Callable[..., Any] | None = None,
    *,
    prevent_cse: bool = True,
    policy: Callable[..., Any] | None = None,
    static_argnums: Argnums = (),
) -> Callable[..., Any]:
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
    check_callable(fun, "checkpoint")
    name = getattr(fun, "__name__", "fun")
    static = (static_argnums,) if isinstance(static_argnums, int) else tuple(static_argnums)

    @functools.wraps(fun)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        # static_argnums beyond this call's arguments name nothing in it
        nums = {n % len(args) for n in static if -len(args) <= n < len(args)}
        check_static(args, sorted(nums), "checkpoint", name, "static_argnums")
        dynamic = tuple(a for i, a in enumerate(args) if i not in nums)
        call = SplitCall((dynamic, kwargs))
        if not call.is_traced():
            return fun(*args, **kwargs)

        def run(*diff_values: Any) -> Any:
            dyn, kw = call.rebuild(diff_values)
            it = iter(dyn)
            return fun(*[args[i] if i in nums else next(it) for i in range(len(args))], **kw)

        return bind(f"checkpoint[{name}]", call, run, recompute(run), by_differentiating(run))

    return wrapped
