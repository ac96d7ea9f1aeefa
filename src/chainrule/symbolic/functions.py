"""Rules for named functions: trig, inverse trig, hyperbolic, exp, ln, |x|, sign.

One table row per function: the rule's identifier, its title, and the textbook
derivative of ``f(u)``. A function of anything but the bare variable goes through
the chain rule (:meth:`.differentiator.Differentiator.chain`).

Textbook formulas and SymPy's sometimes differ in form (``sec²u`` against
``tan²u + 1``), and some are only equal on part of the real line: for ``u < -1``,
``1/sqrt(u² - 1)`` and SymPy's ``1/(sqrt(u - 1)·sqrt(u + 1))`` have opposite signs.
Each row is therefore checked once against SymPy's derivative; a row that does not
match everywhere is shown in SymPy's form instead, so no step is ever wrong.
"""

from __future__ import annotations

from functools import cache

import sympy as sp

from . import display as dm
from .rules import Deriver
from .steps import Step
from .verify import same_function

# function -> (rule id, title, textbook derivative of f(u))
_TABLE = {
    sp.sin: ("sin", "Sine rule", lambda u: sp.cos(u)),
    sp.cos: ("cos", "Cosine rule", lambda u: -sp.sin(u)),
    sp.tan: ("tan", "Tangent rule", lambda u: sp.sec(u) ** 2),
    sp.cot: ("cot", "Cotangent rule", lambda u: -(sp.csc(u) ** 2)),
    sp.sec: ("sec", "Secant rule", lambda u: sp.sec(u) * sp.tan(u)),
    sp.csc: ("csc", "Cosecant rule", lambda u: -sp.csc(u) * sp.cot(u)),
    sp.asin: ("asin", "Inverse sine rule", lambda u: 1 / sp.sqrt(1 - u**2)),
    sp.acos: ("acos", "Inverse cosine rule", lambda u: -1 / sp.sqrt(1 - u**2)),
    sp.atan: ("atan", "Inverse tangent rule", lambda u: 1 / (1 + u**2)),
    sp.acot: ("acot", "Inverse cotangent rule", lambda u: -1 / (1 + u**2)),
    sp.asec: ("asec", "Inverse secant rule", lambda u: 1 / (sp.Abs(u) * sp.sqrt(u**2 - 1))),
    sp.acsc: ("acsc", "Inverse cosecant rule", lambda u: -1 / (sp.Abs(u) * sp.sqrt(u**2 - 1))),
    sp.sinh: ("sinh", "Hyperbolic sine rule", lambda u: sp.cosh(u)),
    sp.cosh: ("cosh", "Hyperbolic cosine rule", lambda u: sp.sinh(u)),
    sp.tanh: ("tanh", "Hyperbolic tangent rule", lambda u: sp.sech(u) ** 2),
    sp.coth: ("coth", "Hyperbolic cotangent rule", lambda u: -(sp.csch(u) ** 2)),
    sp.sech: ("sech", "Hyperbolic secant rule", lambda u: -sp.sech(u) * sp.tanh(u)),
    sp.csch: ("csch", "Hyperbolic cosecant rule", lambda u: -sp.csch(u) * sp.coth(u)),
    sp.asinh: ("asinh", "Inverse hyperbolic sine rule", lambda u: 1 / sp.sqrt(u**2 + 1)),
    sp.acosh: ("acosh", "Inverse hyperbolic cosine rule", lambda u: 1 / sp.sqrt(u**2 - 1)),
    sp.atanh: ("atanh", "Inverse hyperbolic tangent rule", lambda u: 1 / (1 - u**2)),
    sp.acoth: ("acoth", "Inverse hyperbolic cotangent rule", lambda u: 1 / (1 - u**2)),
    sp.asech: (
        "asech",
        "Inverse hyperbolic secant rule",
        lambda u: -1 / (u * sp.sqrt(1 - u**2)),
    ),
    sp.acsch: (
        "acsch",
        "Inverse hyperbolic cosecant rule",
        lambda u: -1 / (sp.Abs(u) * sp.sqrt(1 + u**2)),
    ),
    sp.exp: ("exp", "Exponential rule", lambda u: sp.exp(u)),
    sp.log: ("ln", "Natural logarithm rule", lambda u: 1 / u),
    sp.Abs: ("abs", "Absolute value rule", lambda u: sp.sign(u)),
    sp.sign: ("sign", "Sign rule", lambda u: 2 * sp.DiracDelta(u)),
}

_NOTES = {  # rule -> the note's line, written in terms of the variable u
    "abs": lambda u: (
        "for real ",
        dm.Expr(u),
        ", ",
        dm.Expr(sp.Abs(u)),
        " has slope ",
        dm.Expr(sp.sign(u)),
        "; at ",
        dm.equation(u, sp.Integer(0)),
        " that is the subgradient 0",
    ),
    "sign": lambda u: (
        dm.Expr(sp.sign(u)),
        " is flat except for its jump at ",
        dm.equation(u, sp.Integer(0)),
        ", where SymPy puts a Dirac delta",
    ),
}


def has_rule(expr: sp.Expr) -> bool:
    return expr.func in _TABLE and len(expr.args) == 1


@cache
def _textbook_is_exact(func) -> bool:
    """Does the table's formula equal SymPy's derivative for every real u?"""
    u = sp.Dummy("u", real=True)
    return same_function(_TABLE[func][2](u), func(u).diff(u))


@cache
def _sympy_agrees(func) -> bool:
    """Can SymPy itself show that the table's formula is its derivative? For asec it
    cannot: 1/(|u|·sqrt(u² - 1)) and its 1/(u²·sqrt(1 - 1/u²)) are equal for every
    real u, but simplify does not see it, and a result should check with simplify."""
    u = sp.Dummy("u", real=True)
    return sp.simplify(_TABLE[func][2](u) - func(u).diff(u)) == 0


def outer_derivative(func, u: sp.Symbol) -> sp.Expr:
    """d/du func(u), in textbook form when that is exact and SymPy agrees."""
    if _textbook_is_exact(func) and _sympy_agrees(func):
        return _TABLE[func][2](u)
    return func(u).diff(u)


def function_rule(d: Deriver, expr: sp.Expr, var: sp.Symbol, dependent) -> Step:
    func = expr.func
    rule, title, textbook = _TABLE[func]

    def direct() -> Step:
        derivative = outer_derivative(func, var)
        notes = (_NOTES[rule](var),) if rule in _NOTES else ()
        if _textbook_is_exact(func) and not _sympy_agrees(func):
            notes += (
                ("for real ", dm.Expr(var), " this is the textbook ", dm.Expr(textbook(var))),
            )
        return Step(rule, title, expr, var, derivative, (dm.Expr(derivative),), notes)

    return d.outer_or_chain(expr, var, expr.args[0], func, dependent, direct)
