"""Numerical checks of derivatives (public): ``check_grads``, ``check_jvp``, ``check_vjp``.

Both modes are compared with central differences along a random direction, the way
autograd's and JAX's ``check_grads`` do:

* forward: ``jvp(f, x, v)`` against ``(f(x + eps v) - f(x - eps v)) / (2 eps)``;
* reverse: ``<vjp(u), v>`` against ``<u, J v>`` for a random cotangent ``u``
  (with ``J v`` from forward mode, itself checked numerically).

``order > 1`` recurses on the derivative functions (``(x, v) -> jvp`` and
``(x, u) -> vjp``), so second derivatives are checked the same way.

Complex inputs and outputs move in random complex directions, and the pairing is
autograd's ``<a, b> = Re(sum(a * b))`` (no conjugate): with autograd's convention
(``grad L = dL/da - i dL/db``) that is what makes ``<vjp(u), v> = <u, J v>`` hold.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from chainrule.core.trace import unbox_all
from chainrule.functional.arguments import Argnums, Selection
from chainrule.functional.modes import jvp, vjp
from chainrule.functional.pytree import tree_flatten, tree_unflatten

__all__ = ["check_grads", "check_jvp", "check_vjp", "numerical_jvp"]

_DEFAULT_TOL = {np.dtype(np.float64): 1e-5, np.dtype(np.float32): 2e-2}
_DEFAULT_EPS = {np.dtype(np.float64): 1e-6, np.dtype(np.float32): 1e-3}


def _leaves(tree):
    return [np.asarray(unbox_all(x)) for x in tree_flatten(tree)[0]]


def _float_dtype(args):
    """The precision that sets the default tolerances: single if every input is."""
    dts = [np.asarray(unbox_all(x)).dtype for x in tree_flatten(args)[0]]
    single = (np.float32, np.complex64)
    return np.dtype(np.float32) if dts and all(d in single for d in dts) else np.dtype(np.float64)


def _random_like(tree, rng):
    """A random direction shaped like ``tree``: complex where a leaf is complex."""
    leaves, treedef = tree_flatten(tree)
    out = []
    for x in leaves:
        x = np.asarray(unbox_all(x))
        if x.dtype.kind == "c":
            r = rng.standard_normal(x.shape) + 1j * rng.standard_normal(x.shape)
            out.append(r.astype(x.dtype))
        else:
            dtype = x.dtype if x.dtype.kind == "f" else np.float64
            out.append(rng.standard_normal(x.shape).astype(dtype))
    return tree_unflatten(treedef, out)


def _axpy(a, x, y):
    xs, treedef = tree_flatten(x)
    ys = tree_flatten(y)[0]
    return tree_unflatten(treedef, [a * np.asarray(xi) + np.asarray(yi) for xi, yi in zip(xs, ys)])


def _inner(a, b) -> float:
    """``Re(sum(a * b))`` over all leaves (no conjugate: autograd's complex pairing)."""
    return float(sum(np.sum(x * y).real for x, y in zip(_leaves(a), _leaves(b))))


def _wide(x):
    """``x`` in double precision, complex kept complex."""
    x = np.asarray(unbox_all(x))
    return x.astype(np.complex128 if x.dtype.kind == "c" else np.float64)


def numerical_jvp(f: Callable[..., Any], args: Sequence[Any], tangents: Any, eps: float) -> Any:
    """Central-difference directional derivative of ``f`` at ``args`` along ``tangents``."""
    plus = f(*_axpy(eps, tangents, args))
    minus = f(*_axpy(-eps, tangents, args))
    p_leaves, treedef = tree_flatten(plus)
    m_leaves = tree_flatten(minus)[0]
    diffs = [(_wide(p) - _wide(m)) / (2 * eps) for p, m in zip(p_leaves, m_leaves)]
    return tree_unflatten(treedef, diffs)


def _name_of(f: Callable[..., Any]) -> str:
    return getattr(f, "__name__", type(f).__name__)


def _close(a, b, atol, rtol) -> bool:
    a, b = _wide(a), _wide(b)
    return bool(np.all(np.abs(a - b) <= atol + rtol * np.maximum(np.abs(a), np.abs(b))))


def _tolerances(args, atol, rtol, eps) -> tuple[float, float, float]:
    """``(atol, rtol, eps)``: those given, the others the defaults for ``args``' precision."""
    dtype = _float_dtype(args)
    return (
        _DEFAULT_TOL[dtype] if atol is None else atol,
        _DEFAULT_TOL[dtype] if rtol is None else rtol,
        _DEFAULT_EPS[dtype] if eps is None else eps,
    )


def check_jvp(
    f: Callable[..., Any],
    args: Sequence[Any],
    atol: float | None = None,
    rtol: float | None = None,
    eps: float | None = None,
    rng: np.random.Generator | None = None,
    *,
    order_label: int = 1,
    name: str | None = None,
) -> None:
    """Check ``f``'s forward mode at ``args`` against central differences along a
    random direction; raise ``AssertionError`` on a mismatch."""
    rng = rng or np.random.default_rng(0)
    atol, rtol, eps = _tolerances(args, atol, rtol, eps)
    tangents = _random_like(args, rng)
    _, analytic = jvp(f, tuple(args), tuple(tangents))
    numeric = numerical_jvp(f, args, tangents, eps)
    for i, (a, n) in enumerate(zip(_leaves(analytic), _leaves(numeric))):
        if a.shape != n.shape or not _close(a, n, atol, rtol):
            err = (
                np.max(np.abs(_wide(a) - n), initial=0.0)
                if a.shape == n.shape
                else "shape mismatch"
            )
            raise AssertionError(
                f"check_grads: forward mode (JVP), order {order_label}, output {i}: the (JVP) "
                f"check of {name or _name_of(f)} failed: analytic {a!r} vs numerical {n!r} "
                f"(max abs error {err}, atol={atol}, rtol={rtol})"
            )


def check_vjp(
    f: Callable[..., Any],
    args: Sequence[Any],
    atol: float | None = None,
    rtol: float | None = None,
    eps: float | None = None,
    rng: np.random.Generator | None = None,
    *,
    order_label: int = 1,
    name: str | None = None,
) -> None:
    """Check ``f``'s reverse mode at ``args``: ``<vjp(u), v>`` against ``<u, J v>`` with
    ``J v`` by central differences, for random ``u`` and ``v``; raise
    ``AssertionError`` on a mismatch."""
    rng = rng or np.random.default_rng(1)
    atol, rtol, eps = _tolerances(args, atol, rtol, eps)
    out, vjp_fn = vjp(f, *args)
    cotangent = _random_like(out, rng)
    cts = vjp_fn(cotangent)
    for i, (c, a) in enumerate(zip(_leaves(cts), _leaves(args))):
        if c.shape != a.shape:
            raise AssertionError(
                f"check_grads: reverse mode (VJP), order {order_label}: the (VJP) check of "
                f"{name or _name_of(f)} failed: cotangent {i} has shape {c.shape} but its "
                f"input has shape {a.shape}"
            )
    tangents = _random_like(args, rng)
    numeric_jv = numerical_jvp(f, args, tangents, eps)
    lhs = _inner(cts, tangents)
    rhs = _inner(cotangent, numeric_jv)
    if not _close(lhs, rhs, atol, rtol):
        raise AssertionError(
            f"check_grads: reverse mode (VJP), order {order_label}: the (VJP) check of "
            f"{name or _name_of(f)} failed: <vjp(u), v> = {lhs!r} "
            f"but <u, J v> (numerical) = {rhs!r} (atol={atol}, rtol={rtol})"
        )


def check_grads(
    f: Callable[..., Any],
    args: Any = None,
    order: int = 2,
    modes: str | Sequence[str] = ("fwd", "rev"),
    atol: float | None = None,
    rtol: float | None = None,
    eps: float | None = None,
    *,
    argnum: Argnums | None = None,
) -> Callable[..., None] | None:
    """Check ``f``'s derivatives at ``args`` (a tuple) numerically, in both modes, up to
    ``order``. Raises ``AssertionError`` naming the mode, the order and the mismatch.

    Called without ``args`` it returns a checker of the arguments, autograd's curried
    form: ``check_grads(f, modes=["rev"])(x, y, **kwargs)`` (keywords are held fixed).
    ``argnum`` (an int or a tuple) restricts the check to those arguments, the others
    held fixed; an int in ``args``' place is autograd's positional ``argnum``
    (``check_grads(f, 1)(x, y)``): integers are never differentiable inputs.
    """
    if isinstance(modes, str):
        modes = (modes,)
    if isinstance(args, int) and not isinstance(args, bool):
        args, argnum = None, args
    if args is None:

        def checker(*a: Any, **kwargs: Any) -> None:
            target = (lambda *b: f(*b, **kwargs)) if kwargs else f
            if kwargs:
                target.__name__ = _name_of(f)
            check_grads(target, a, order, modes, atol, rtol, eps, argnum=argnum)

        return checker
    args = tuple(args) if isinstance(args, (tuple, list)) else (args,)
    if argnum is not None:
        sel = Selection(f, argnum, args, {})
        sel.fun.__name__ = _name_of(f)
        return check_grads(sel.fun, sel.primals, order, modes, atol, rtol, eps)
    for mode in modes:
        if mode not in ("fwd", "rev"):
            raise ValueError(f"check_grads: unknown mode {mode!r}; use 'fwd' and/or 'rev'")
    _check_to_order(f, args, 1, order, tuple(modes), (atol, rtol, eps), np.random.default_rng(0))
    return None


def _check_to_order(f, args, level, order, modes, tols, rng) -> None:
    """Check ``f`` at ``args`` in ``modes``, then, below ``order``, its derivative
    functions ``(x, v) -> jvp`` and ``(x, u) -> vjp`` at ``level + 1``. ``tols`` is
    ``(atol, rtol, eps)``; ``rng`` draws every direction, in a fixed order."""
    n = len(args)
    atol, rtol, eps = tols
    if "fwd" in modes:
        check_jvp(f, args, atol, rtol, eps, rng, order_label=level)
        if level < order:
            tangents = _random_like(args, rng)

            def fwd_fun(*a):
                return jvp(f, tuple(a[:n]), tuple(a[n:]))[1]

            fwd_fun.__name__ = f"jvp_{_name_of(f)}"

            _check_to_order(fwd_fun, args + tuple(tangents), level + 1, order, modes, tols, rng)
    if "rev" in modes:
        check_vjp(f, args, atol, rtol, eps, rng, order_label=level)
        if level < order:
            ct_leaves, ct_def = tree_flatten(_random_like(f(*args), rng))

            def rev_fun(*a):
                return vjp(f, *a[:n])[1](tree_unflatten(ct_def, list(a[n:])))

            rev_fun.__name__ = f"vjp_{_name_of(f)}"

            _check_to_order(rev_fun, args + tuple(ct_leaves), level + 1, order, modes, tols, rng)
