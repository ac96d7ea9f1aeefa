"""Printing SymPy expressions: plain text in the syntax the parser reads, and LaTeX.

``18x + 12``, ``6(3x + 2)``, ``x^x·(ln(x) + 1)``, ``e^(2x)``, ``|x|``, ``1/(2sqrt(x))``:
a number multiplies the next factor by juxtaposition, other factors are joined by
``·``, powers use ``^``, the natural log is ``ln`` and Greek names print as letters.
Every string this printer makes can be fed back to :func:`.build.parse` and gives
the same expression (a property the tests check). :func:`latex` is SymPy's LaTeX
with ``\\ln`` and ``\\arcsin``-style names and the same ``log_b`` display.
"""

from __future__ import annotations

import sympy as sp
from sympy.printing.latex import LatexPrinter
from sympy.printing.precedence import PRECEDENCE, precedence
from sympy.printing.str import StrPrinter

from .grammar import GREEK_SYMBOL

_MUL = PRECEDENCE["Mul"]
_POW = PRECEDENCE["Pow"]


class Memo(dict):
    """Printed forms by expression, shared across calls. A derivation prints the same
    parts over and over (each step's derivative reappears in its parent's line), and
    SymPy re-sorts the terms of a sum every time it prints it."""

    limit = 20_000

    def printed(self, printer_print, expr, kwargs):
        if kwargs or not isinstance(expr, sp.Basic):
            return printer_print(expr, **kwargs)
        hit = self.get(expr)
        if hit is None:
            hit = printer_print(expr)
            if len(self) >= self.limit:
                self.clear()
            self[expr] = hit
        return hit


class TextPrinter(StrPrinter):
    """SymPy's ``StrPrinter`` with textbook notation."""

    _memo = Memo()

    def _print(self, expr, **kwargs) -> str:
        return self._memo.printed(super()._print, expr, kwargs)

    def _print_Symbol(self, expr) -> str:
        return GREEK_SYMBOL.get(expr.name, expr.name)

    _print_Dummy = _print_Symbol

    def _print_Exp1(self, expr) -> str:
        return "e"

    def _print_Pi(self, expr) -> str:
        return "\u03c0"

    def _print_log(self, expr) -> str:
        return f"ln({self._print(expr.args[0])})"

    def _print_exp(self, expr) -> str:
        return f"e^{self._exponent(expr.args[0])}"

    def _print_Abs(self, expr) -> str:
        return f"|{self._print(expr.args[0])}|"

    def _print_UnevaluatedExpr(self, expr) -> str:
        return self._print(expr.args[0])

    def _print_Piecewise(self, expr) -> str:
        pieces = []
        for value, cond in expr.args:
            shown = self._print(value)
            pieces.append(
                f"{shown} otherwise" if cond == sp.true else f"{shown} if {self._print(cond)}"
            )
        return "{" + "; ".join(pieces) + "}"

    def _print_And(self, expr) -> str:
        return " and ".join(self._print(arg) for arg in expr.args)

    def _print_Or(self, expr) -> str:
        return " or ".join(
            f"({self._print(a)})" if a.func is sp.And else self._print(a) for a in expr.args
        )

    def _print_LogBase(self, expr) -> str:
        return f"log_{expr.args[1]}({self._print(expr.args[0])})"

    def _print_Kept(self, expr) -> str:
        return f"({self._print(expr.args[0])})"

    def _print_Pow(self, expr, rational=False) -> str:
        base, exp = expr.base, expr.exp
        if exp.is_Rational and exp.is_negative:
            return "1/" + self._denominator([sp.Pow(base, -exp)], 1)
        if exp == sp.S.Half:
            return f"sqrt({self._print(base)})"
        return f"{self._power_base(base)}^{self._exponent(exp)}"

    def _power_base(self, base) -> str:
        text = self._print(base)
        if (
            precedence(base) <= _POW
            or (base.is_Number and base.is_negative)
            or isinstance(base, sp.exp)
            or text.startswith("-")
        ):
            return f"({text})"
        return text

    def _exponent(self, exp) -> str:
        """A single name or whole number stands bare (x^2, e^x, x^π); anything else
        is parenthesised."""
        text = self._print(exp)
        if exp.is_Symbol or exp.is_NumberSymbol or (exp.is_Integer and exp >= 0):
            return text
        return f"({text})"

    def _print_Mul(self, expr) -> str:
        shown = with_log_base(expr)
        if shown is not None:
            return self._print(shown)
        coeff, rest = expr.as_coeff_Mul()
        sign = ""
        if coeff.is_negative:
            sign, coeff = "-", -coeff
        factors = [] if rest == 1 else list(rest.as_ordered_factors())
        numerator = [f for f in factors if not _is_reciprocal(f)]
        denominator = [sp.Pow(f.base, -f.exp) for f in factors if _is_reciprocal(f)]
        top_coeff, bottom_coeff = (coeff.p, coeff.q) if coeff.is_Rational else (coeff, 1)
        top = self._join(top_coeff, numerator)
        if not denominator and bottom_coeff == 1:
            return sign + top
        return sign + top + "/" + self._denominator(denominator, bottom_coeff)

    def _denominator(self, factors: list, coeff) -> str:
        text = self._join(coeff, factors)
        if not factors:
            return text
        if len(factors) > 1 or coeff != 1:  # a lone sum is already parenthesised
            return f"({text})"
        return text

    def _join(self, coeff, factors: list) -> str:
        """``coeff`` juxtaposed with the first factor, the others joined by ``·``."""
        parts = [self._factor(f) for f in factors]
        if coeff != 1 or not parts:
            number = self._print(coeff)
            if parts and not parts[0][0].isdigit():
                parts[0] = number + parts[0]
            else:
                parts.insert(0, number)
        return "\u00b7".join(parts)

    def _factor(self, factor) -> str:
        text = self._print(factor)
        if precedence(factor) <= _MUL or text.startswith("-"):
            return f"({text})"
        return text


class Kept(sp.Function):
    """A sum shown whole as a factor, ``6(3x + 2)``: SymPy would distribute the 6.

    Display only (it never reaches a derivative or a check); it prints as its
    argument in parentheses, in text and in LaTeX.
    """

    nargs = 1

    def _latex(self, printer) -> str:
        return rf"\left({printer._print(self.args[0])}\right)"


class LogBase(sp.Function):
    """``log_b(u)`` for display: SymPy stores it as ``log(u)/log(b)``."""

    nargs = 2

    def _latex(self, printer) -> str:
        u, b = self.args
        return rf"\log_{{{b}}}{{\left({printer._print(u)} \right)}}"


def with_log_base(expr):
    """A product with ``log(u)/log(b)`` (b a whole number, at least 2) written with one
    :class:`LogBase`, as the user wrote ``log_2(u)``; None when there is none."""
    args = list(expr.args)
    bases = [
        k
        for k, f in enumerate(args)
        if f.is_Pow
        and f.exp == -1
        and isinstance(f.base, sp.log)
        and f.base.args[0].is_Integer
        and f.base.args[0] >= 2
    ]
    logs = [k for k, f in enumerate(args) if isinstance(f, sp.log)]
    if len(bases) != 1 or len(logs) != 1:
        return None
    (k,), (j,) = bases, logs
    rest = [f for i, f in enumerate(args) if i not in (k, j)]
    return sp.Mul(*rest, LogBase(args[j].args[0], args[k].base.args[0]))


def keep_whole(expr, name, value):
    """``expr`` with the symbol ``name`` replaced by ``value``, keeping a sum that
    stands as a factor whole: ``6u`` with ``u = 3x + 2`` is ``6(3x + 2)``, not
    ``18x + 12``. Elsewhere (powers, function arguments) plain substitution keeps
    the sum whole anyway."""
    if not value.is_Add:
        return expr.xreplace({name: value})
    if expr == name:
        return Kept(value)
    if expr.is_Mul:
        return sp.Mul(*(keep_whole(arg, name, value) for arg in expr.args))
    return expr.xreplace({name: value})


def _is_reciprocal(factor) -> bool:
    return factor.is_Pow and factor.exp.is_Rational and factor.exp.is_negative


_PRINTER = TextPrinter({"order": None})


def text(expr) -> str:
    """``expr`` in plain text, as :class:`TextPrinter` prints it."""
    return _PRINTER.doprint(expr)


class _LatexPrinter(LatexPrinter):
    _memo = Memo()

    def _print_Mul(self, expr) -> str:
        shown = with_log_base(expr)
        if shown is not None:
            return self._print(shown)
        return super()._print_Mul(expr)

    def _print(self, expr, **kwargs) -> str:
        return self._memo.printed(super()._print, expr, kwargs)


_LATEX = _LatexPrinter({"ln_notation": True, "inv_trig_style": "full"})


def latex(expr) -> str:
    """SymPy's LaTeX with ``\\ln`` and ``\\arcsin``-style names."""
    return _LATEX.doprint(expr)
