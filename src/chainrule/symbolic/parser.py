"""A small Pratt (precedence-climbing) parser: tokens in, a syntax tree out.

The tree is made of the plain node classes below; :mod:`.build` turns it into SymPy.
Keeping the two apart means nothing from the user's text reaches SymPy until the
whole input has been checked against the grammar, and every node keeps its column
so that later errors (an exponent too large, a division by zero) can point at it.

Binding powers, loosest first::

    + -  (binary)          10
    * /                    20
    implicit product       21   so 1/2x = 1/(2x) and sin 2x = sin(2x)
    unary - +              25   so -x^2 = -(x^2)
    ^  **  (right assoc.)  30   so 2^3^2 = 2^9 and e^2x = e^2 * x

A function name followed by ``(`` takes the parenthesised arguments (``sin(x)^2`` is
``(sin x)^2``). Without parentheses it takes the following implicit product, which
stops at ``+``, ``-``, ``*``, ``/`` and at the next function name: ``sin 2x cos x`` is
``sin(2x) * cos(x)``. ``sin^2 x`` means ``(sin x)^2``.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction

from .grammar import FUNCTIONS, BadName, classify, function_name
from .lexer import ParseError, Token, tokenize

MAX_DEPTH = 64  # nested parentheses, powers and function applications
# Functions of functions: each level adds a chain-rule step whose line holds the
# whole derivative below it, so the derivation grows with the cube of the depth
# (and checking it with the square). Textbook chains are a few levels deep.
MAX_FUNCTION_DEPTH = 20
MAX_FUNCTION_POWER = 10  # the n in sin^n x


@dataclass(frozen=True)
class Num:
    value: Fraction
    pos: int


@dataclass(frozen=True)
class Name:
    kind: str  # "variable" or "constant"
    name: str
    pos: int


@dataclass(frozen=True)
class Neg:
    operand: object
    pos: int


@dataclass(frozen=True)
class BinOp:
    op: str  # one of + - * / ^
    left: object
    right: object
    pos: int


@dataclass(frozen=True)
class Call:
    func: str  # canonical name from grammar.FUNCTIONS, or log_<digits>
    args: tuple
    pos: int
    power: int | None = None  # sin^2 x


_ADD, _MUL, _IMPLICIT, _UNARY, _POW = 10, 20, 21, 25, 30
_INFIX = {"+": _ADD, "-": _ADD, "*": _MUL, "/": _MUL, "^": _POW}


def parse_tree(text: str):
    """Parse ``text`` into a syntax tree, or raise :class:`ParseError`."""
    return _Parser(text).parse()


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.tokens: list[Token] = tokenize(text)
        self.i = 0
        self.depth = 0
        # Context that parentheses reset: how many |...| are open, and whether we
        # are reading a bare function argument (which stops at function names).
        self.abs_depth = 0
        self.bare = False
        self.function_depth = 0

    # -- helpers -------------------------------------------------------------------
    def peek(self, k: int = 0) -> Token:
        return self.tokens[min(self.i + k, len(self.tokens) - 1)]

    def advance(self) -> Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def error(self, message: str, tok: Token) -> ParseError:
        return ParseError(message, self.text, tok.pos)

    def is_op(self, tok: Token, text: str) -> bool:
        return tok.kind == "op" and tok.text == text

    # -- entry ---------------------------------------------------------------------
    def parse(self):
        if self.peek().kind == "end":
            raise ParseError("empty expression")
        self.refuse_derivative_operator()
        node = self.expression(0)
        tok = self.peek()
        if tok.kind != "end":
            if self.is_op(tok, ")"):
                raise self.error("unbalanced parentheses: this ')' has no '('", tok)
            if self.is_op(tok, ","):
                raise self.error("',' is only allowed between a function's arguments", tok)
            raise self.error(f"unexpected {tok.text!r}", tok)
        return node

    def refuse_derivative_operator(self) -> None:
        """ "d/dx x^2" would read as d/(d·x·x^2) = 1/x^3: refuse it instead."""
        for k, tok in enumerate(self.tokens[:-2]):
            after, var = self.tokens[k + 1], self.tokens[k + 2]
            if (
                tok.kind == "name"
                and tok.text in ("d", "dy", "df")
                and self.is_op(after, "/")
                and var.kind == "name"
                and var.text.startswith("d")
                and len(var.text) > 1
            ):
                raise self.error(
                    f"give the expression itself, without {tok.text}/{var.text}: "
                    "it is what gets differentiated (choose the variable with wrt)",
                    tok,
                )

    def expression(self, rbp: int):
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise self.error(
                    f"expression is nested too deeply (limit {MAX_DEPTH})", self.peek()
                )
            left = self.prefix()
            while self.infix_power(self.peek()) > rbp:
                left = self.infix(left)
            return left
        finally:
            self.depth -= 1

    # -- infix ---------------------------------------------------------------------
    def infix_power(self, tok: Token) -> int:
        if tok.kind == "end":
            return 0
        if tok.kind == "op":
            if tok.text in _INFIX:
                return _INFIX[tok.text]
            if tok.text == "(":
                return _IMPLICIT
            if tok.text == "|":  # closes an open |...|, else starts a new one
                return 0 if self.abs_depth else _IMPLICIT
            return 0  # ')' and ','
        if tok.kind == "name" and self.bare and function_name(tok.text) is not None:
            return 0  # "sin x cos x": the bare argument of sin stops before cos
        return _IMPLICIT  # a name or number right after an operand

    def infix(self, left):
        tok = self.peek()
        if tok.kind == "op" and tok.text in _INFIX:
            self.advance()
            if tok.text == "^":
                right = self.expression(_POW - 1)  # right associative
            else:
                right = self.expression(_INFIX[tok.text])
            return BinOp(tok.text, left, right, tok.pos)
        if tok.kind == "num":
            raise self.error(
                f"missing operator before the number {tok.text}; write * to multiply", tok
            )
        right = self.expression(_IMPLICIT)
        return BinOp("*", left, right, tok.pos)

    # -- prefix --------------------------------------------------------------------
    def prefix(self):
        tok = self.peek()
        if tok.kind == "num":
            self.advance()
            return Num(tok.value, tok.pos)
        if tok.kind == "name":
            return self.name()
        if tok.kind == "end":
            where = self.tokens[self.i - 1] if self.i else tok
            raise self.error(f"expression ends too early after {where.text!r}", tok)
        if tok.text == "(":
            self.advance()
            return self.group(tok)
        if tok.text == "|":
            self.advance()
            return self.bars(tok)
        if tok.text in "-+":
            self.advance()
            operand = self.expression(_UNARY)
            return Neg(operand, tok.pos) if tok.text == "-" else operand
        if tok.text == ")":
            raise self.error("missing expression before ')'", tok)
        raise self.error(f"missing expression before {tok.text!r}", tok)

    def inside(self, parse, bars: int = 0):
        """Run ``parse`` with the parenthesis-level context reset."""
        saved = self.abs_depth, self.bare
        self.abs_depth, self.bare = bars, False
        try:
            return parse()
        finally:
            self.abs_depth, self.bare = saved

    def group(self, opening: Token):
        node = self.inside(lambda: self.expression(0))
        self.close(opening)
        return node

    def close(self, opening: Token) -> None:
        tok = self.peek()
        if not self.is_op(tok, ")"):
            if tok.kind == "end":
                raise self.error("unbalanced parentheses: this '(' is never closed", opening)
            raise self.error(f"expected ')' but found {tok.text!r}", tok)
        self.advance()

    def bars(self, opening: Token):
        with self.applying(opening):
            node = self.inside(lambda: self.expression(0), bars=self.abs_depth + 1)
        if not self.is_op(self.peek(), "|"):
            raise self.error("this '|' is never closed", opening)
        self.advance()
        return Call("abs", (node,), opening.pos)

    @contextmanager
    def applying(self, tok: Token):
        """Count one more level of functions inside functions while reading an argument."""
        self.function_depth += 1
        try:
            if self.function_depth > MAX_FUNCTION_DEPTH:
                raise self.error(
                    f"functions are nested too deeply (limit {MAX_FUNCTION_DEPTH} levels)", tok
                )
            yield
        finally:
            self.function_depth -= 1

    def name(self):
        tok = self.advance()
        if self.euler_power_after_letters(tok):  # "xe^x": x·e^x
            head, e = tok.text[:-1], Token("name", "e", tok.pos + len(tok.text) - 1)
            tok = Token("name", head, tok.pos)
            self.tokens[self.i - 1 : self.i] = [tok, e]
        try:
            kind, value = classify(tok.text, before_paren=self.is_op(self.peek(), "("))
        except BadName as exc:
            raise self.error(str(exc), tok) from None
        if kind == "function":
            return self.function(value, tok)
        if kind == "product":
            # "xy" is x·y: the letters become tokens of their own, multiplied like
            # "x y", so that a power binds to the last one only (xy^2 is x·y^2)
            letters = [Token("name", letter, tok.pos + k) for k, letter in enumerate(value)]
            self.tokens[self.i - 1 : self.i] = letters  # the first one is read here
            return Name("variable", value[0], tok.pos)
        return Name(kind, value, tok.pos)

    def euler_power_after_letters(self, tok: Token) -> bool:
        """Does ``tok`` end in an e that a ``^`` follows, after plain variables only?"""
        if len(tok.text) < 2 or not tok.text.endswith("e") or not self.is_op(self.peek(), "^"):
            return False
        try:
            kind, _ = classify(tok.text[:-1], before_paren=False)
        except BadName:
            return False
        return kind in ("variable", "product") and tok.text[:-1].isascii()

    def function(self, func: str, tok: Token):
        power = None
        if self.is_op(self.peek(), "^"):  # sin^2 x
            self.advance()
            exponent = self.peek()
            if exponent.kind != "num" or exponent.value.denominator != 1:
                raise self.error(
                    f"after {tok.text}^ only a whole power like {tok.text}^2 x is allowed; "
                    f"for the inverse function write a{func}(x)",
                    exponent,
                )
            power = int(exponent.value)
            if not 1 <= power <= MAX_FUNCTION_POWER:
                raise self.error(f"power of {tok.text} must be 1..{MAX_FUNCTION_POWER}", exponent)
            self.advance()
        if self.is_op(self.peek(), "("):
            opening = self.advance()
            with self.applying(tok):
                args = [self.inside(lambda: self.expression(0))]
                while self.is_op(self.peek(), ","):
                    self.advance()
                    args.append(self.inside(lambda: self.expression(0)))
            self.close(opening)
        else:
            nxt = self.peek()
            if nxt.kind == "end" or (nxt.kind == "op" and nxt.text in "),*/^"):
                raise self.error(f"{tok.text} needs an argument, e.g. {tok.text}(x)", tok)
            saved = self.bare
            self.bare = True
            try:
                with self.applying(tok):
                    args = [self.expression(_MUL)]
            finally:
                self.bare = saved
        arities = FUNCTIONS.get(func, (1,))
        if len(args) not in arities:
            wanted = " or ".join(str(a) for a in arities)
            raise self.error(
                f"{tok.text} takes {wanted} argument{'s' if arities[-1] > 1 else ''}, "
                f"got {len(args)}",
                tok,
            )
        return Call(func, tuple(args), tok.pos, power)
