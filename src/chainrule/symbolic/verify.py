"""Checking that a narrated derivative equals SymPy's.

Every step a rule produces is compared with ``sympy.diff`` of the same expression
before it is shown; a step that fails the comparison is replaced by a plain
statement of SymPy's derivative (see :mod:`.rules`). This module decides equality.

The narrated forms mirror SymPy's own differentiation closely, so most pairs are
equal structurally or after ``expand``. The rest (``sec(u)^2`` against
``tan(u)^2 + 1``, a quotient-rule fraction against SymPy's sum of terms) are
compared at eight points with 30-digit arithmetic, spread over both signs and both
sides of 1 (complex values included): two expressions that agree there agree
identically, short of a coincidence the fixed points keep reproducible. General
``simplify`` is avoided: it can run for minutes on big inputs.
"""

from __future__ import annotations

import random
from collections import OrderedDict

import sympy as sp

_SEED = 20240229
_DIGITS = 30
_TOLERANCE = 1e-12  # relative, on values computed to 30 digits
_MAX_EXPAND_OPS = 80
_MAX_EXPAND_POWER = 6
# Where expressions are compared: both signs, inside and outside [-1, 1] (where
# asin, acosh, sqrt(1 - x^2) ... change from real to complex).
_BASE_POINTS = (0.37, -1.73, 0.83, -0.61, 2.11, -2.29, 1.41, -0.27)


def same_function(a: sp.Expr, b: sp.Expr) -> bool:
    """True when ``a`` and ``b`` are the same function of their free symbols."""
    if a == b:
        return True
    difference = a - b
    if difference == 0:
        return True
    if _cheap_to_expand(difference) and sp.expand(difference) == 0:
        return True
    return _agree_at_points(a, b)


def _cheap_to_expand(expr: sp.Expr) -> bool:
    if sp.count_ops(expr) > _MAX_EXPAND_OPS:
        return False
    for power in expr.atoms(sp.Pow):
        if power.base.is_Add and power.exp.is_Integer and abs(power.exp) > _MAX_EXPAND_POWER:
            return False
    return True


def _agree_at_points(a: sp.Expr, b: sp.Expr) -> bool:
    symbols = sorted(a.free_symbols | b.free_symbols, key=lambda s: s.name)
    rng = random.Random(_SEED)
    agreed = 0
    for j in range(len(_BASE_POINTS) if symbols else 1):
        # Each symbol walks the base points from its own offset, so that inside and
        # outside [-1, 1] and both signs all get checked; a little jitter keeps the
        # points off any special value a formula might have.
        point = {
            s: sp.Float(_BASE_POINTS[(j + 3 * k) % len(_BASE_POINTS)] + rng.uniform(0, 0.01), 30)
            for k, s in enumerate(symbols)
        }
        va, vb = value_at(a, point), value_at(b, point)
        if va is None or vb is None:
            continue
        if abs(va - vb) > _TOLERANCE * max(1.0, abs(va), abs(vb)):
            return False
        agreed += 1
    return agreed >= (3 if symbols else 1)


def value_at(expr: sp.Expr, point: dict) -> complex | None:
    """``expr`` at ``point`` as a complex number, or None if it is not finite."""
    try:
        value = complex(_substitute(expr, point, _memo_for(point)))
    except OverflowError:
        return None  # beyond floats: not finite as a float, and not worth SymPy's time
    except (TypeError, ValueError, ZeroDivisionError, AttributeError):
        try:
            value = complex(expr.evalf(_DIGITS, subs=point))
        except (TypeError, ValueError, ZeroDivisionError, OverflowError):
            return None
    if value != value or abs(value) == float("inf"):
        return None
    return value


# Values of sub-expressions at recent points. A derivation checks every step at the
# same points, and the expressions of nested steps share most of their parts (the
# derivative of tan(tan(...(x))) repeats the inner towers in every factor), so each
# part is evaluated once per point rather than once per occurrence per step.
_MEMOS: OrderedDict = OrderedDict()
_MAX_MEMOS = 32
_MAX_MEMO_SIZE = 50_000


def _memo_for(point: dict) -> dict:
    key = tuple(sorted(point.items(), key=lambda item: item[0].sort_key()))
    memo = _MEMOS.get(key)
    if memo is None or len(memo) > _MAX_MEMO_SIZE:
        memo = _MEMOS[key] = {}
        while len(_MEMOS) > _MAX_MEMOS:
            _MEMOS.popitem(last=False)
    _MEMOS.move_to_end(key)
    return memo


def _substitute(expr, point: dict, memo: dict):
    """``expr`` with the point's numbers put in, bottom up, at 30 digits: each part
    is rebuilt from numeric arguments (SymPy then evaluates it), memoised."""
    value = memo.get(expr)
    if value is not None:
        return value
    if expr in point:
        value = point[expr]
    elif not expr.args:
        value = expr
    else:
        value = expr.func(*(_substitute(arg, point, memo) for arg in expr.args))
        if isinstance(value, sp.Expr) and not value.is_Number and not value.free_symbols:
            value = value.evalf(_DIGITS)
        _refuse_beyond_floats(value)
    memo[expr] = value
    return value


# A part whose magnitude is beyond any float (2^1100 > 1.8e308) makes the whole value
# unrepresentable; going on would let SymPy's arbitrary exponents grow without end
# (x^x^x^x^x at 10 is 10^10^10^10^10, whose exponent alone has 10^10 digits).
_MAX_EXPONENT_BITS = 1100


def _refuse_beyond_floats(value) -> None:
    """Raise OverflowError if a number in ``value`` is beyond the range of floats."""
    if not isinstance(value, sp.Expr) or value.free_symbols:
        return
    for number in value.atoms(sp.Float):
        sign, mantissa, exponent, bits = number._mpf_
        if mantissa and exponent + bits > _MAX_EXPONENT_BITS:
            raise OverflowError("a value beyond the range of floats")
