"""What a transform is given: the function, and which of its arguments it differentiates.

Every transform of this package checks its function with :func:`check_callable`. The
ones that take ``argnums`` (``grad``, ``jacrev``, ``jacfwd``, ``hessian``, autograd's
operators, ``check_grads``) resolve it per call with :class:`Selection`: the positions
it names, checked to hold floating (or complex) leaves, and the function restricted to
those arguments. A position named twice is differentiated once and its result handed
to both places, as in JAX.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from chainrule.core.backend import numpy_dtype
from chainrule.core.trace import registered_box_class, unbox_all
from chainrule.functional.pytree import tree_flatten

__all__ = [
    "Argnums",
    "Selection",
    "argnum_positions",
    "check_callable",
    "check_differentiable",
    "pick_argnums",
    "transform_over",
]

# One argument position, or several (a tuple or a list).
Argnums = int | Sequence[int]


def check_callable(fun: object, name: str) -> None:
    """Refuse, at once, to transform something that can't be called."""
    if not callable(fun):
        raise TypeError(f"{name} expects a callable (the function to differentiate), got {fun!r}")


def check_differentiable(x: Any, where: str) -> None:
    """``x`` must be a floating (or complex) value; ``where`` names it in the error."""
    value = unbox_all(x)
    if isinstance(value, tuple) or registered_box_class(value) is not None:
        return  # a registered user type brings its own vector space
    if isinstance(value, (bool, int, np.integer, np.bool_)):
        kind = type(value).__name__
    else:
        try:
            dtype = numpy_dtype(value)
        except TypeError:  # a string, an arbitrary object: not an array at all
            dtype = None
        if dtype is not None and dtype.kind in "fc":
            return
        kind = f"dtype {dtype}" if dtype is not None else f"type {type(value).__name__}"
    raise TypeError(
        f"can't differentiate with respect to {where}: it has {kind}, but "
        "differentiation needs floating-point (or complex) inputs. Convert it, e.g. "
        "x.astype(float), or leave it out of argnums."
    )


def pick_argnums(argnums: Argnums, argnum: Argnums | None) -> Argnums:
    """autograd spells ``argnums`` as ``argnum``; given, it wins."""
    return argnum if argnum is not None else argnums


def argnum_positions(argnums: Argnums, nargs: int, what: str = "argnums") -> tuple[int, ...]:
    """The positions ``argnums`` names in a call with ``nargs`` arguments, negative ones
    counted from the end, in the order given (repeats kept). ``what`` names the
    parameter in errors."""
    items = argnums if isinstance(argnums, (tuple, list)) else (argnums,)
    try:
        nums = tuple(map(operator.index, items))
    except TypeError:
        raise TypeError(f"{what} must be an int or a tuple of ints, got {argnums!r}") from None
    for n in nums:
        if not -nargs <= n < nargs:
            raise ValueError(
                f"{what} {n} is out of range for a function called with {nargs} arguments"
            )
    return tuple(n % nargs for n in nums)


class Selection:
    """The arguments one call of a transform differentiates.

    ``fun`` is the transformed function of the distinct selected arguments only (the
    others and the keywords held fixed), ``primals`` are those arguments, and
    :meth:`arrange` lays per-primal results out the way ``argnums`` asked for them.
    """

    __slots__ = ("single", "nums", "unique", "primals", "fun")

    def __init__(self, fun: Callable[..., Any], argnums: Argnums, args: tuple, kwargs: dict):
        self.single = not isinstance(argnums, (tuple, list))
        self.nums = argnum_positions(argnums, len(args))
        for n in self.nums:
            for leaf in tree_flatten(args[n])[0]:
                check_differentiable(leaf, f"argument {n}")
        self.unique = tuple(dict.fromkeys(self.nums))
        self.primals = tuple(args[n] for n in self.unique)
        unique = self.unique

        def restricted(*diff_args: Any) -> Any:
            full = list(args)
            for n, a in zip(unique, diff_args):
                full[n] = a
            return fun(*full, **kwargs)

        self.fun = restricted

    def arrange(self, results: Sequence[Any]) -> Any:
        """``results``, one per primal: the one result for an int ``argnums``, else a
        tuple with one entry per position named (a repeated position repeats it)."""
        if self.single:
            return results[0]
        return tuple(results[self.unique.index(n)] for n in self.nums)


def transform_over(
    fun: Callable[..., Any],
    name: str,
    argnums: Argnums,
    argnum: Argnums | None,
    body: Callable[[Selection], Any],
) -> Callable[..., Any]:
    """The transform ``name`` of ``fun`` that differentiates the arguments at
    ``argnums`` (or autograd's ``argnum``): each call selects them and returns
    ``body(selection)``."""
    check_callable(fun, name)
    argnums = pick_argnums(argnums, argnum)

    @functools.wraps(fun)
    def transformed(*args: Any, **kwargs: Any) -> Any:
        return body(Selection(fun, argnums, args, kwargs))

    return transformed
