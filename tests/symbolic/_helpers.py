"""Shared helpers for the symbolic tests: comparing two SymPy expressions as functions."""

from __future__ import annotations

import sympy as sp


def agree(a, b, symbols, rng, *, tries: int = 6, rel: float = 1e-9) -> bool:
    """Are ``a`` and ``b`` equal at ``tries`` random points (each variable in
    ±[0.3, 2.2], complex values allowed)? A point where either is undefined or not
    finite is skipped; if every point is skipped, they do not agree: the check must
    compare something."""
    compared = 0
    for _ in range(tries):
        point = {s: sp.Float(rng.choice([-1, 1]) * rng.uniform(0.3, 2.2), 25) for s in symbols}
        va, vb = _value(a, point), _value(b, point)
        if va is None or vb is None:
            continue
        if abs(va - vb) > rel * max(1.0, abs(va), abs(vb)):
            return False
        compared += 1
    return compared > 0


def _value(expr, point) -> complex | None:
    """``expr`` at ``point`` to 25 digits; None where it is undefined or not finite."""
    try:
        v = complex(expr.evalf(25, subs=point))
    except (TypeError, ValueError, ZeroDivisionError, OverflowError):
        return None
    return v if v == v and abs(v) < 1e100 else None
