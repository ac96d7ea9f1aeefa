"""Rules for ``base ** exponent``: power, exponential and logarithmic differentiation.

Which rule applies depends on where the variable is:

* only in the base, ``x^n`` (n any constant: integer, negative, rational, so also
  square roots ``x^(1/2)`` and ``1/x = x^(-1)``): the power rule;
* only in the exponent, ``a^x``: the exponential rule ``a^x·ln(a)``
  (``e^x`` is SymPy's ``exp`` and has its own rule in :mod:`.functions`);
* in both, ``f(x)^g(x)`` such as ``x^x``: logarithmic differentiation, via
  ``ln y = g·ln f``.

A base or exponent that is more than the bare variable goes through the chain rule.
"""

from __future__ import annotations

import sympy as sp

from . import display as dm
from .rules import Deriver
from .steps import Step


def pow_rule(d: Deriver, expr: sp.Expr, var: sp.Symbol, dependent) -> Step:
    base, exponent = expr.base, expr.exp
    if not exponent.has(var):
        return d.outer_or_chain(
            expr,
            var,
            base,
            lambda u: u**exponent,
            dependent,
            lambda: power_step(expr, var, exponent),
        )
    if not base.has(var):
        return d.outer_or_chain(
            expr,
            var,
            exponent,
            lambda u: base**u,
            dependent,
            lambda: exponential_step(expr, var, base),
        )
    return logarithmic_differentiation(d, expr, var, dependent)


def power_step(expr: sp.Expr, var: sp.Symbol, n: sp.Expr) -> Step:
    """d/dx x^n = n·x^(n-1)"""
    derivative = n * var ** (n - 1)
    note = (
        dm.formula(
            "d/d{x} {x}^n = n·{x}^(n-1)", r"\frac{{d}}{{d{x}}} {x}^{{n}} = n {x}^{{n - 1}}", var
        ),
        " with ",
        dm.equation(sp.Symbol("n"), n),
    )
    return Step("power", "Power rule", expr, var, derivative, (dm.Expr(derivative),), (note,))


def exponential_step(expr: sp.Expr, var: sp.Symbol, a: sp.Expr) -> Step:
    """d/dx a^x = a^x·ln(a)"""
    derivative = expr * sp.log(a)
    note = (
        dm.formula(
            "d/d{x} a^{x} = a^{x}·ln(a)", r"\frac{{d}}{{d{x}}} a^{{{x}}} = a^{{{x}}} \ln a", var
        ),
        " with ",
        dm.equation(sp.Symbol("a"), a),
    )
    forms = (dm.product(expr, sp.log(a)), dm.Expr(derivative))
    return Step("exponential", "Exponential rule", expr, var, derivative, forms, (note,))


def logarithmic_differentiation(d: Deriver, expr: sp.Expr, var: sp.Symbol, dependent) -> Step:
    """y = f^g  =>  ln y = g·ln f  =>  y'/y = (g·ln f)'  =>  y' = f^g·(g·ln f)'"""
    y = dependent if dependent is not None else d.dependent
    log_form = expr.exp * sp.log(expr.base)
    inner = d.derive(log_form, var)
    derivative = expr * inner.derivative
    notes = (
        ("take logarithms: ", dm.equation(sp.log(y), log_form)),
        (
            "differentiate both sides: ",
            dm.equation(
                dm.product(dm.Fraction(dm.Expr(sp.Integer(1)), dm.Expr(y)), dm.Leibniz(y, var)),
                dm.Deriv(log_form, var),
            ),
        ),
        ("multiply both sides by ", dm.equation(y, expr)),
    )
    forms = (dm.product(expr, inner.derivative), dm.Expr(derivative))
    return Step(
        "logarithmic", "Logarithmic differentiation", expr, var, derivative, forms, notes, (inner,)
    )
