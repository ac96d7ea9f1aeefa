"""Plain-text printing of SymPy expressions, in the same syntax the parser reads.

``18x + 12``, ``6(3x + 2)``, ``x^x·(ln(x) + 1)``, ``e^(2x)``, ``|x|``, ``1/(2sqrt(x))``:
a number multiplies the next factor by juxtaposition, other factors are joined by
``·``, powers use ``^``, the natural log is ``ln`` and Greek names print as letters.
Every string this printer makes can be fed back to :func:`.build.parse` and gives
the same expression (a property the tests check).
"""

from __future__ import annotations

import sympy as sp
from sympy.printing.precedence import PRECEDENCE, precedence
from sympy.printing.str import StrPrinter

from .grammar import GREEK_SYMBOL

_MUL = PRECEDENCE["Mul"]
_POW = PRECEDENCE["Pow"]


class TextPrinter(StrPrinter):
    """SymPy's ``StrPrinter`` with textbook notation."""

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
        arg = expr.args[0]
        if arg.is_Symbol or (arg.is_Integer and arg >= 0):
            return f"e^{self._print(arg)}"
        return f"e^({self._print(arg)})"

    def _print_Abs(self, expr) -> str:
        return f"|{self._print(expr.args[0])}|"

    def _print_UnevaluatedExpr(self, expr) -> str:
        return self._print(expr.args[0])

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
        text = self._print(exp)
        if exp.is_Symbol or (exp.is_Integer and exp >= 0):
            return text
        return f"({text})"

    def _print_Mul(self, expr) -> str:
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


def _is_reciprocal(factor) -> bool:
    return factor.is_Pow and factor.exp.is_Rational and factor.exp.is_negative


_PRINTER = TextPrinter({"order": None})


def text(expr) -> str:
    """``expr`` in plain text, as :class:`TextPrinter` prints it."""
    return _PRINTER.doprint(expr)
