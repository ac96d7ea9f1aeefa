"""Renderer-neutral pieces of a derivation's narration.

A step's text is a list of *lines*; a line is a tuple of segments, each either a
plain string (prose) or a math node below. The text, LaTeX and Markdown renderers
each know how to print every node, so a rule writes its narration once.

The nodes exist because SymPy evaluates eagerly: ``2*u*3`` becomes ``6*u`` the moment
it is built, but a derivation has to *show* the unevaluated product ``2u·3`` before
it simplifies it. Leaves are SymPy expressions (which may contain
:class:`.printer.Kept` to keep a factor like ``6(3x + 2)`` from being distributed).
"""

from __future__ import annotations

from dataclasses import dataclass

from .printer import latex, text


@dataclass(frozen=True)
class Expr:
    """A SymPy expression, printed as is."""

    value: object


@dataclass(frozen=True)
class Product:
    """Factors shown with an explicit product sign: ``2u·3``."""

    items: tuple


@dataclass(frozen=True)
class Sum:
    """Terms shown added; a term printed with a leading minus is subtracted."""

    items: tuple


@dataclass(frozen=True)
class Neg:
    item: object


@dataclass(frozen=True)
class Fraction:
    numerator: object
    denominator: object


@dataclass(frozen=True)
class Deriv:
    """The operator applied to an expression: ``d/dx (3x + 2)``."""

    expr: object  # a SymPy expression
    var: object  # a SymPy symbol


@dataclass(frozen=True)
class Leibniz:
    """A derivative written as a ratio of names: ``dy/du``."""

    top: object  # SymPy symbols
    bottom: object


@dataclass(frozen=True)
class Equation:
    """Sides joined by ``=``: ``u = 3x + 2``."""

    items: tuple


@dataclass(frozen=True)
class Formula:
    """A fixed textbook formula, given in both notations: ``(f·g)' = f'·g + f·g'``."""

    text: str
    latex: str


Math = Expr | Product | Sum | Neg | Fraction | Deriv | Leibniz | Equation | Formula
_NODES = (Expr, Product, Sum, Neg, Fraction, Deriv, Leibniz, Equation, Formula)
Line = tuple  # of str | Math


def as_math(item) -> Math:
    """Wrap a bare SymPy expression as a math node; leave nodes alone."""
    if isinstance(item, _NODES):
        return item
    return Expr(item)


def product(*items) -> Product:
    return Product(tuple(as_math(i) for i in items))


def total(*items) -> Sum:
    return Sum(tuple(as_math(i) for i in items))


def equation(*items) -> Equation:
    return Equation(tuple(as_math(i) for i in items))


def formula(text_template: str, latex_template: str, var) -> Formula:
    """A :class:`Formula` written in terms of ``var``: ``{x}`` in the templates
    becomes its name (``d/du u^n = n·u^(n-1)`` inside a chain rule)."""
    return Formula(text_template.format(x=text(var)), latex_template.format(x=latex(var)))
