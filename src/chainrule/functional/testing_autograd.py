"""HIPS autograd's testing helpers (``combo_check``, ``check_equivalent``,
``scalar_close``, ``quick_grad_check``), as thin layers over :mod:`.testing`.

autograd's ``check_grads`` takes the differentiated argument's position second
(``check_grads(f, argnum)(*args)``); ``chainrule.check_grads`` takes the arguments
second. ``combo_check`` keeps autograd's order for its own second argument (the
positions to differentiate), so autograd test tables run unchanged.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from chainrule.core.trace import unbox_all
from chainrule.functional.gradients import grad
from chainrule.functional.pytree import tree_flatten
from chainrule.functional.testing import check_grads

__all__ = ["check_equivalent", "combo_check", "quick_grad_check", "scalar_close"]

_TOL = 1e-6
_RTOL = 1e-6


def scalar_close(a: Any, b: Any) -> bool:
    """Whether two numbers agree to 1e-6, absolutely or relative to their sum."""
    diff = abs(a - b)
    return bool(diff < _TOL or diff / abs(a + b) < _RTOL)


def check_equivalent(x: Any, y: Any) -> None:
    """Assert that two values (arrays or containers of arrays) have the same structure,
    shapes and dtypes kind, and agree in a random direction; ``AssertionError`` names
    the first difference."""
    x_leaves, x_def = tree_flatten(x)
    y_leaves, y_def = tree_flatten(y)
    if x_def != y_def:
        raise AssertionError(f"check_equivalent: structures differ: {x_def} vs {y_def}")
    rng = np.random.default_rng(0)
    for i, (a, b) in enumerate(zip(x_leaves, y_leaves)):
        a, b = np.asarray(unbox_all(a)), np.asarray(unbox_all(b))
        if a.shape != b.shape:
            raise AssertionError(f"check_equivalent: leaf {i} shapes {a.shape} vs {b.shape}")
        v = rng.standard_normal(a.shape)
        if not scalar_close(np.sum(a * v).real, np.sum(b * v).real):
            raise AssertionError(f"check_equivalent: leaf {i} values differ:\n{a}\n{b}")


def combo_check(
    fun: Callable[..., Any], argnums: int | Sequence[int] = (0,), **check_kwargs: Any
) -> Callable[..., None]:
    """autograd's table-driven check: ``combo_check(f, (0, 1), modes=["rev"])(xs, ys,
    axis=[0, 1])`` runs ``check_grads`` on ``f`` for every combination of one value from
    each positional list and each keyword list, differentiating the arguments at
    ``argnums``."""
    argnum = (argnums,) if isinstance(argnums, int) else tuple(argnums)

    def run(*arg_choices: Sequence[Any], **kwarg_choices: Sequence[Any]) -> None:
        names = list(kwarg_choices)
        for args in itertools.product(*arg_choices):
            for values in itertools.product(*(kwarg_choices[k] for k in names)):
                kwargs = dict(zip(names, values))

                def bound(*a: Any, _kw: dict = kwargs) -> Any:
                    return fun(*a, **_kw)

                check_grads(bound, args, argnum=argnum, **check_kwargs)

    return run


def quick_grad_check(
    fun: Callable[..., Any],
    arg0: Any,
    extra_args: Sequence[Any] = (),
    kwargs: dict | None = None,
    verbose: bool = True,
    eps: float | None = None,
    rtol: float | None = None,
    atol: float | None = None,
) -> None:
    """Check the first-order reverse-mode gradient of a scalar ``fun`` with respect to
    its first argument (autograd's ``util.quick_grad_check``)."""
    kwargs = kwargs or {}

    def bound(x: Any) -> Any:
        return fun(x, *extra_args, **kwargs)

    grad(bound)(arg0)  # a non-scalar output fails here, with grad's message
    check_grads(bound, (arg0,), order=1, modes=("rev",), atol=atol, rtol=rtol, eps=eps)
    if verbose:
        print(f"quick_grad_check: gradient of {getattr(fun, '__name__', fun)!r} is correct")
