"""Printing the math nodes of :mod:`.display` in a notation (plain text or LaTeX).

:class:`Notation` walks the nodes and decides where a shown product needs
parentheses; :class:`TextNotation` and :class:`LatexNotation` supply the leaves
(SymPy expressions), fractions, ``d/dx``, Leibniz ratios and bracket style. The
layout of whole derivations lives in :mod:`.render_text` and :mod:`.render_latex`.
"""

from __future__ import annotations

import sympy as sp
from sympy.printing.precedence import PRECEDENCE, precedence

from . import display as dm
from .printer import latex, text, with_log_base


def factor_precedence(value) -> int:
    """SymPy's precedence, except that -a·b counts as a product (it only needs
    parentheses after another factor, which the leading-minus check covers)."""
    if value.is_Mul or value.is_Number:
        return PRECEDENCE["Mul"]
    return precedence(value)


class Notation:
    """Shared walk over math nodes; subclasses give the concrete syntax."""

    dot = "*"

    def __call__(self, node) -> str:
        node = dm.as_math(node)
        if isinstance(node, dm.Expr):
            return self.leaf(node.value)
        if isinstance(node, dm.Product):
            return self.product(node.items)
        if isinstance(node, dm.Sum):
            return self.sum(node.items)
        if isinstance(node, dm.Neg):
            inner = self(node.item)
            return "-" + (self.paren(inner) if self.loose(node.item, inner, False) else inner)
        if isinstance(node, dm.Fraction):
            return self.fraction(node.numerator, node.denominator)
        if isinstance(node, dm.Deriv):
            return self.deriv(node.expr, node.var)
        if isinstance(node, dm.Leibniz):
            return self.leibniz(node.top, node.bottom)
        if isinstance(node, dm.Equation):
            return " = ".join(self(item) for item in node.items)
        if isinstance(node, dm.Formula):
            return self.formula(node)
        raise TypeError(f"cannot print {node!r}")  # pragma: no cover

    def product(self, items) -> str:
        """Factors joined by the product sign; a leading -1 becomes a minus sign."""
        minus = len(items) > 1 and isinstance(items[0], dm.Expr) and items[0].value == -1
        parts = []
        for k, item in enumerate(items[1:] if minus else items):
            piece = self(item)
            # after a leading minus sign even the first factor is not first: -(-1/x^2)
            first = k == 0 and not minus
            parts.append(self.paren(piece) if self.loose(item, piece, first) else piece)
        return ("-" if minus else "") + self.dot.join(parts)

    def sum(self, items) -> str:
        out = ""
        for k, item in enumerate(items):
            piece = self(item)
            if k == 0:
                out = piece
            elif piece.startswith("-"):
                out += " - " + piece[1:].lstrip()  # LaTeX writes "- x"
            else:
                out += " + " + piece
        return out

    def loose(self, node, printed: str, first: bool) -> bool:
        """Does ``node`` need parentheses as a factor of a shown product?"""
        if isinstance(node, (dm.Leibniz, dm.Deriv, dm.Formula)):
            return False
        if isinstance(node, (dm.Sum, dm.Neg, dm.Equation)):
            return True
        if not first and printed.startswith("-"):
            return True  # 2u·(-1)
        if isinstance(node, dm.Expr) and isinstance(node.value, sp.Basic):
            return factor_precedence(node.value) < PRECEDENCE["Mul"]
        return False

    def operand_needs_paren(self, expr, printed: str) -> bool:
        """After ``d/dx``: sums and products are parenthesised (log_2(x) is not one)."""
        shown = with_log_base(expr) if expr.is_Mul else None
        if shown is not None:
            expr = shown
        return precedence(expr) < PRECEDENCE["Pow"] or printed.startswith("-")

    # -- the concrete syntax -----------------------------------------------------
    def leaf(self, expr) -> str:
        raise NotImplementedError

    def paren(self, s: str) -> str:
        raise NotImplementedError

    def fraction(self, numerator, denominator) -> str:
        raise NotImplementedError

    def deriv(self, expr, var) -> str:
        raise NotImplementedError

    def leibniz(self, top, bottom) -> str:
        raise NotImplementedError

    def formula(self, node: dm.Formula) -> str:
        raise NotImplementedError


class TextNotation(Notation):
    """``2u·3``, ``(1/y)·dy/dx``, ``d/dx (3x + 2)``."""

    dot = "\u00b7"

    def leaf(self, expr) -> str:
        return text(expr)

    def paren(self, s: str) -> str:
        return f"({s})"

    def loose(self, node, printed: str, first: bool) -> bool:
        # A slash inside a product is ambiguous to the eye: 1/y·dy/dx, cos(u)·1/x;
        # one inside parentheses is not: 1·ln(1 + 1/x).
        if isinstance(node, dm.Fraction) or (not first and _top_level_slash(printed)):
            return not isinstance(node, (dm.Leibniz, dm.Deriv, dm.Formula))
        return super().loose(node, printed, first)

    def fraction(self, numerator, denominator) -> str:
        return f"{self._tight(numerator)}/{self._tight(denominator)}"

    def _tight(self, node) -> str:
        """A numerator or denominator: parenthesised unless it is a single atom."""
        node = dm.as_math(node)
        piece = self(node)
        value = node.value if isinstance(node, dm.Expr) else None
        if isinstance(value, sp.Basic) and (
            value.is_Atom or value.is_Function or (value.is_Pow and value.exp.is_positive)
        ):
            return piece
        return self.paren(piece)

    def deriv(self, expr, var) -> str:
        piece = text(expr)
        if self.operand_needs_paren(expr, piece) or _top_level_slash(piece):
            piece = self.paren(piece)
        return f"d/d{text(var)} {piece}"

    def leibniz(self, top, bottom) -> str:
        return f"d{text(top)}/d{text(bottom)}"

    def formula(self, node: dm.Formula) -> str:
        return node.text


def _top_level_slash(printed: str) -> bool:
    """Is there a ``/`` outside all parentheses (and |...| bars) of ``printed``?"""
    depth, bars = 0, 0
    for ch in printed:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|":
            bars ^= 1
        elif ch == "/" and depth == 0 and not bars:
            return True
    return False


class LatexNotation(Notation):
    """``2 u \\cdot 3``, ``\\frac{dy}{du}``, ``\\frac{d}{dx} \\left(3 x + 2\\right)``."""

    dot = r" \cdot "

    def leaf(self, expr) -> str:
        return latex(expr)

    def paren(self, s: str) -> str:
        return rf"\left({s}\right)"

    def fraction(self, numerator, denominator) -> str:
        return rf"\frac{{{self(numerator)}}}{{{self(denominator)}}}"

    def deriv(self, expr, var) -> str:
        piece = latex(expr)
        if self.operand_needs_paren(expr, piece):
            piece = self.paren(piece)
        return rf"\frac{{d}}{{d{latex(var)}}} {piece}"

    def leibniz(self, top, bottom) -> str:
        return rf"\frac{{d{latex(top)}}}{{d{latex(bottom)}}}"

    def formula(self, node: dm.Formula) -> str:
        return node.latex


math_text = TextNotation()
math_latex = LatexNotation()
