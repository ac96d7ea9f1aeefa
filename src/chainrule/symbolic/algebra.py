"""Rules for products: constant multiple, product (n-ary), quotient, log base b.

SymPy stores ``a/b`` as ``a * b**-1`` and ``log(x, 2)`` as ``log(x) * log(2)**-1``, so
all of these arrive as a ``Mul``; :func:`mul_rule` tells them apart:

* factors free of the variable are pulled out first (constant multiple rule);
* a lone ``log(u)`` times ``1/log(b)`` is the base-b logarithm rule;
* factors raised to a negative number are a denominator; with a numerator that
  depends on the variable too, that is the quotient rule;
* anything else is the product rule over all factors.
"""

from __future__ import annotations

import sympy as sp

from . import display as dm
from .rules import Deriver, constants_note
from .steps import Step

_PRODUCT_FORMULAS = {
    2: dm.Formula("(f·g)' = f'·g + f·g'", r"(f g)' = f' g + f g'"),
    3: dm.Formula("(f·g·h)' = f'·g·h + f·g'·h + f·g·h'", r"(f g h)' = f' g h + f g' h + f g h'"),
}
_QUOTIENT_FORMULA = dm.Formula(
    "(f/g)' = (f'·g - f·g')/g^2", r"\left(\frac{f}{g}\right)' = \frac{f' g - f g'}{g^{2}}"
)
_F, _G = sp.Symbol("f"), sp.Symbol("g")


def mul_rule(d: Deriver, expr: sp.Expr, var: sp.Symbol, dependent) -> Step:
    factors = expr.as_ordered_factors()  # the order they are printed in
    constant = [f for f in factors if not f.has(var)]
    varying = [f for f in factors if f.has(var)]
    if constant:
        c = sp.Mul(*constant)
        base = _log_base(constant, varying)
        if base is None:
            return constant_multiple_rule(d, expr, var, c, sp.Mul(*varying))
        c = c * sp.log(base)  # what is left once 1/ln(b) goes into log_b
        if c == 1:
            return log_base_rule(d, expr, var, varying[0].args[0], base, dependent)
        return constant_multiple_rule(d, expr, var, c, varying[0] / sp.log(base))
    denominator = [1 / f for f in varying if _in_denominator(f)]
    numerator = [f for f in varying if not _in_denominator(f)]
    if numerator and denominator:
        return quotient_rule(d, expr, var, sp.Mul(*numerator), sp.Mul(*denominator))
    return product_rule(d, expr, var, varying)


def _in_denominator(factor: sp.Expr) -> bool:
    return factor.is_Pow and factor.exp.is_Number and factor.exp.is_negative


def _log_base(constant: list, varying: list):
    """``b`` when the product is ``c * log(u) / log(b)``, else None."""
    if len(varying) != 1 or not isinstance(varying[0], sp.log):
        return None
    for factor in constant:
        if factor.is_Pow and factor.exp == -1 and isinstance(factor.base, sp.log):
            return factor.base.args[0]
    return None


def constant_multiple_rule(
    d: Deriver, expr: sp.Expr, var: sp.Symbol, c: sp.Expr, rest: sp.Expr
) -> Step:
    """(c·f)' = c·f'"""
    sub = d.derive(rest, var)
    derivative = c * sub.derivative
    forms = (
        dm.product(c, dm.Deriv(rest, var)),
        dm.product(c, sub.derivative),
        dm.Expr(derivative),
    )
    others = sorted(c.free_symbols, key=lambda s: s.name)
    notes = (constants_note(others, var),) if others else ()
    return Step(
        "constant_multiple", "Constant multiple rule", expr, var, derivative, forms, notes, (sub,)
    )


def product_rule(d: Deriver, expr: sp.Expr, var: sp.Symbol, factors: list) -> Step:
    """(f·g·h)' = f'·g·h + f·g'·h + f·g·h': each factor differentiated in turn."""
    subs = tuple(d.derive(f, var) for f in factors)
    terms, shown = [], []
    for i, sub in enumerate(subs):
        terms.append(sub.derivative * sp.Mul(*(f for j, f in enumerate(factors) if j != i)))
        shown.append(dm.product(*(sub.derivative if j == i else f for j, f in enumerate(factors))))
    derivative = sp.Add(*terms)
    forms = (dm.Sum(tuple(shown)), dm.Expr(derivative))
    if len(factors) == 2:
        note = (
            _PRODUCT_FORMULAS[2],
            " with ",
            dm.equation(_F, factors[0]),
            " and ",
            dm.equation(_G, factors[1]),
        )
    elif len(factors) in _PRODUCT_FORMULAS:
        note = (_PRODUCT_FORMULAS[len(factors)],)
    else:
        note = ("differentiate one factor at a time, keeping the others as they are",)
    return Step("product", "Product rule", expr, var, derivative, forms, (note,), subs)


def quotient_rule(d: Deriver, expr: sp.Expr, var: sp.Symbol, f: sp.Expr, g: sp.Expr) -> Step:
    """(f/g)' = (f'·g - f·g')/g²"""
    top, bottom = d.derive(f, var), d.derive(g, var)
    df, dg = top.derivative, bottom.derivative
    derivative = (df * g - f * dg) / g**2
    shown = dm.Fraction(dm.Sum((dm.product(df, g), dm.Neg(dm.product(f, dg)))), dm.Expr(g**2))
    note = (_QUOTIENT_FORMULA, " with ", dm.equation(_F, f), " and ", dm.equation(_G, g))
    return Step(
        "quotient",
        "Quotient rule",
        expr,
        var,
        derivative,
        (shown, dm.Expr(derivative)),
        (note,),
        (top, bottom),
    )


def log_base_rule(
    d: Deriver, expr: sp.Expr, var: sp.Symbol, inner: sp.Expr, base: sp.Expr, dependent
) -> Step:
    """d/dx log_b(x) = 1/(x·ln b)"""

    def outer_of(u):
        return sp.log(u) / sp.log(base)

    def direct() -> Step:
        derivative = 1 / (var * sp.log(base))
        formula = dm.formula(
            "d/d{x} log_b({x}) = 1/({x}·ln(b))",
            r"\frac{{d}}{{d{x}}} \log_{{b}} {x} = \frac{{1}}{{{x} \ln b}}",
            var,
        )
        note = (formula, " with ", dm.equation(sp.Symbol("b"), base))
        return Step(
            "log_base",
            "Logarithm rule (base b)",
            expr,
            var,
            derivative,
            (dm.Expr(derivative),),
            (note,),
        )

    return d.outer_or_chain(expr, var, inner, outer_of, dependent, direct)
