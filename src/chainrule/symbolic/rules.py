"""What every rule module shares: the interface back to the differentiator, and the
rules that need no sub-derivative (constant, variable, SymPy's own derivative).

A rule for a compound expression (:mod:`.algebra`, :mod:`.powers`, :mod:`.functions`)
differentiates its parts by calling back into the
:class:`.differentiator.Differentiator` that chose it; it sees that object only as a
:class:`Deriver`, so the rule modules sit below the differentiator that dispatches to
them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

import sympy as sp

from . import display as dm
from .steps import Step


class Deriver(Protocol):
    """What a rule may ask of the differentiator that called it."""

    dependent: sp.Symbol  # the name of the whole expression (y in dy/du)

    def derive(self, expr: sp.Expr, var: sp.Symbol, dependent: sp.Symbol | None = None) -> Step:
        """The checked step for ``d expr / d var``."""
        ...

    def outer_or_chain(
        self,
        expr: sp.Expr,
        var: sp.Symbol,
        inner: sp.Expr,
        outer_of: Callable[[sp.Symbol], sp.Expr],
        dependent: sp.Symbol | None,
        direct: Callable[[], Step],
    ) -> Step:
        """``direct()`` when ``inner`` is the variable itself, else the chain rule."""
        ...


def variable_rule(expr: sp.Expr, var: sp.Symbol) -> Step:
    """d/dx x = 1"""
    one = sp.Integer(1)
    return Step("variable", "Variable rule", expr, var, one, (dm.Expr(one),))


def constant_rule(expr: sp.Expr, var: sp.Symbol) -> Step:
    notes = ()
    others = sorted(expr.free_symbols, key=lambda s: s.name)
    if others:
        notes = (constants_note(others, var),)
    return Step(
        "constant", "Constant rule", expr, var, sp.Integer(0), (dm.Expr(sp.Integer(0)),), notes
    )


def constants_note(symbols, var) -> tuple:
    """A display line: "y and z are constants with respect to x"."""
    line: tuple = ()
    for k, symbol in enumerate(symbols):
        if k:
            line += (" and " if k == len(symbols) - 1 else ", ",)
        line += (dm.Expr(symbol),)
    verb = " is a constant" if len(symbols) == 1 else " are constants"
    return line + (f"{verb} with respect to ", dm.Expr(var))


def fallback(expr: sp.Expr, var: sp.Symbol, truth: sp.Expr, confirmed: bool = True) -> Step:
    """State SymPy's derivative without a narrated rule."""
    if confirmed:
        note = ("no narrated rule covers this expression; the derivative is SymPy's",)
    else:
        note = ("the narrated rule could not be confirmed here, so SymPy's derivative is stated",)
    return Step("sympy", "SymPy", expr, var, truth, (dm.Expr(truth),), (note,))
