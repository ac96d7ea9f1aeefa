"""Turn a checked syntax tree into a SymPy expression, within safe bounds.

SymPy evaluates numbers eagerly, so ``9^9^9`` or ``(x+1)^(10^10)`` could keep it busy
for hours (or expand later into something enormous). The builder therefore refuses
numeric exponents above ``MAX_EXPONENT``, predicts the size of each power before SymPy
builds it and checks every result against the limits of :mod:`.budget` (degree,
bits of exact numbers, nodes), and refuses expressions that come out undefined
(``1/0``, ``log(0)``), pointing at the operator that caused it. All variables are
real SymPy symbols, so ``d|x|/dx`` is
``sign(x)``.

This is the public :func:`parse`.
"""

from __future__ import annotations

import sympy as sp

from .budget import budget, measure, predict_power, refuse_large
from .grammar import GREEK
from .lexer import ParseError
from .parser import BinOp, Call, Name, Neg, Num, parse_tree
from .printer import text

MAX_EXPONENT = 1000  # |p| and q of a numeric exponent p/q

_UNDEFINED = (sp.zoo, sp.nan, sp.oo, -sp.oo)

_ONE_ARG = {
    "sin": sp.sin,
    "cos": sp.cos,
    "tan": sp.tan,
    "cot": sp.cot,
    "sec": sp.sec,
    "csc": sp.csc,
    "asin": sp.asin,
    "acos": sp.acos,
    "atan": sp.atan,
    "acot": sp.acot,
    "asec": sp.asec,
    "acsc": sp.acsc,
    "sinh": sp.sinh,
    "cosh": sp.cosh,
    "tanh": sp.tanh,
    "coth": sp.coth,
    "sech": sp.sech,
    "csch": sp.csch,
    "asinh": sp.asinh,
    "acosh": sp.acosh,
    "atanh": sp.atanh,
    "acoth": sp.acoth,
    "asech": sp.asech,
    "acsch": sp.acsch,
    "exp": sp.exp,
    "ln": sp.log,
    "sqrt": sp.sqrt,
    "cbrt": lambda a: sp.Pow(a, sp.Rational(1, 3)),  # principal root, as SymPy's cbrt
    "abs": sp.Abs,
    "sign": sp.sign,
    "log2": lambda a: sp.log(a, 2),
    "log10": lambda a: sp.log(a, 10),
}


def symbol(name: str) -> sp.Symbol:
    """The real SymPy symbol the parser uses for variable ``name``."""
    return sp.Symbol(GREEK.get(name, name), real=True)


def parse(text: str) -> sp.Expr:
    """Parse ``text`` into a SymPy expression without evaluating any of it as code.

    >>> parse("3x^2 + sin 2x")
    3*x**2 + sin(2*x)

    Raises :class:`ParseError` (a ``ValueError``) for anything outside the grammar
    documented in ``docs/symbolic.md``.
    """
    try:
        with budget("reading this expression"):
            return _Builder(text).build(parse_tree(text))
    except RecursionError:  # a safety net: the limits on nesting should prevent it
        raise ParseError("expression is too complex to read") from None


class _Builder:
    def __init__(self, text: str):
        self.text = text
        self.sizes: dict = {}  # measure()'s memo: each shared part is measured once

    def fail(self, message: str, pos: int) -> ParseError:
        return ParseError(message, self.text, pos)

    def build(self, node) -> sp.Expr:
        result = self._build(node)
        if result.has(*_UNDEFINED):
            raise self.fail("the expression is undefined (division by zero?)", node.pos)
        return result

    def _build(self, node) -> sp.Expr:
        if isinstance(node, Num):
            return self.checked(sp.Rational(node.value.numerator, node.value.denominator), node)
        if isinstance(node, Name):
            if node.kind == "constant":
                return sp.E if node.name == "e" else sp.pi
            return symbol(node.name)
        if isinstance(node, Neg):
            return -self.build(node.operand)
        if isinstance(node, BinOp) and node.op == "^":
            return self.power(self.build(node.left), self.build(node.right), node)
        if isinstance(node, BinOp):
            # x + x + ... + x is a chain of 500 nodes down the left: walk it in a loop,
            # not by recursion (which would run out of stack)
            chain = []
            while isinstance(node, BinOp) and node.op != "^":
                chain.append(node)
                node = node.left
            value = self.build(node)
            for link in reversed(chain):
                value = self.combine(link, value, self.build(link.right))
            return value
        if isinstance(node, Call):
            args = [self.build(a) for a in node.args]
            result = self.call(node, args)
            if node.power is not None:
                result = result**node.power
            return self.checked(result, node)
        raise TypeError(f"unknown syntax node {node!r}")  # pragma: no cover

    def combine(self, node: BinOp, left: sp.Expr, right: sp.Expr) -> sp.Expr:
        if node.op == "/" and right == 0:
            raise self.fail("division by zero", node.pos)
        combine = {
            "+": lambda a, b: a + b,
            "-": lambda a, b: a - b,
            "*": lambda a, b: a * b,
            "/": lambda a, b: a / b,
        }[node.op]
        return self.checked(combine(left, right), node)

    def call(self, node: Call, args: list[sp.Expr]) -> sp.Expr:
        func = node.func
        if func.startswith("log_"):
            base = int(func[4:])
            if base < 2:
                raise self.fail("a logarithm's base must be at least 2", node.pos)
            return sp.log(args[0], base)
        if func == "log":
            if len(args) == 1:
                return sp.log(args[0])
            if args[1] == 1 or (args[1].is_number and args[1].is_nonpositive):
                raise self.fail("a logarithm's base must be positive and not 1", node.pos)
            self.checked(sp.log(args[0]), node)  # log(-2, x) is not real
            return sp.log(args[0], args[1])
        if func == "root":
            if args[1] == 0:
                raise self.fail("root(x, 0) is undefined", node.pos)
            return self.power(args[0], 1 / args[1], node)
        return _ONE_ARG[func](args[0])

    def power(self, base: sp.Expr, exponent: sp.Expr, node) -> sp.Expr:
        if exponent.is_Rational:
            p, q = abs(exponent.p), exponent.q
            if p > MAX_EXPONENT:
                raise self.fail(
                    f"exponent {_short(exponent)} is too large (limit {MAX_EXPONENT})", node.pos
                )
            if q > MAX_EXPONENT:
                raise self.fail(
                    f"exponent {_short(exponent)} has too large a denominator "
                    f"(limit {MAX_EXPONENT})",
                    node.pos,
                )
            predicted = predict_power(base, measure(base, self.sizes), exponent)
            refuse_large(*predicted, self.text, node.pos)
            if base == 0 and exponent.is_negative:
                raise self.fail("division by zero (0 to a negative power)", node.pos)
        elif not exponent.is_number and base.is_number:
            if base == 0:
                raise self.fail(
                    "0 to a variable power is not real (undefined where the power is ≤ 0)",
                    node.pos,
                )
            if base.is_extended_negative:
                raise self.fail(
                    "a negative number to a variable power is not real; "
                    "for a sign write -(2^x), not (-2)^x",
                    node.pos,
                )
        return self.checked(sp.Pow(base, exponent), node)

    def checked(self, value: sp.Expr, node) -> sp.Expr:
        refuse_large(*measure(value, self.sizes), self.text, node.pos)
        if value in _UNDEFINED:
            raise self.fail("this is undefined (division by zero?)", node.pos)
        if value.is_number and value.is_extended_real is False:
            # sqrt(-1), log(-2), asin(2): variables are real, and so must constants be
            raise self.fail(f"this is not a real number ({text(value)})", node.pos)
        return value


def _short(value) -> str:
    """A number for a message: 1/10000, or 1/1000000000...(301 digits)."""
    shown = str(value)
    return shown if len(shown) <= 30 else f"{shown[:20]}...({len(shown)} characters)"
