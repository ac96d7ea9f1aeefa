"""Tokenizer for the safe expression parser, and the error type it shares with it.

The parser never hands user text to ``eval``, ``sympify`` or ``parse_expr``: this
module cuts the text into a short list of whitelisted tokens (numbers, names,
operators) and everything else is refused here, with a message that points at the
offending character. Names are only classified later, by :mod:`.grammar`.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from fractions import Fraction

MAX_LENGTH = 1000  # characters of input
MAX_DECIMAL_EXPONENT = 300  # |n| in scientific notation like 1e-300

# Unicode spellings we accept, mapped to their ASCII token text.
_UNICODE_OPERATORS = {
    "\u2212": "-",  # minus sign
    "\u00b7": "*",  # middle dot
    "\u22c5": "*",  # dot operator
    "\u00d7": "*",  # multiplication sign
    "\u00f7": "/",  # division sign
}
_OPERATORS = set("+-*/^(),|")
# Superscripts read as a power: x² is x^2, x⁻¹ is x^-1, sin²x is sin^2 x.
_SUPERSCRIPT_DIGITS = dict(
    zip("\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079", "0123456789")
)
_SUPERSCRIPT_SIGNS = {"\u207b": "-", "\u207a": "+"}
# Radical signs read as functions: √x is sqrt(x), ∛x is cbrt(x).
_RADICALS = {"\u221a": "sqrt", "\u221b": "cbrt"}
_DIGITS = "0123456789"  # ASCII only: str.isdigit() also accepts '²' and other scripts
_WHITESPACE = set(" \t\r\n")

# Hints for characters that people (or attackers) try; anything else gets a generic one.
_REFUSED = {
    "'": "strings are not allowed (nor primes: give the expression itself)",
    "\u2202": "give the expression itself, without \u2202/\u2202x: it is what gets differentiated",
    '"': "strings are not allowed",
    "[": "square brackets are not allowed; use parentheses",
    "]": "square brackets are not allowed; use parentheses",
    "{": "braces are not allowed; use parentheses",
    "}": "braces are not allowed; use parentheses",
    ";": "semicolons are not allowed: give one expression",
    ".": "a dot may only appear inside a number like 2.5 (no attribute access)",
    "_": "underscores are not allowed (only in log_2, log_10, ...)",
    "=": "'=' is not allowed: give an expression, not an equation",
    ":": "':' is not allowed",
    "@": "'@' is not allowed",
    "!": "factorials are not supported",
    "\\": "backslashes are not allowed",
}


class ParseError(ValueError):
    """Input that is not a mathematical expression we accept.

    ``args[0]`` is a one-line message (the CLI prints it as is); ``str()`` adds the
    input with a caret under the offending position when that is known.
    """

    def __init__(self, message: str, text: str | None = None, pos: int | None = None):
        self.message = message
        self.text = text
        self.pos = pos
        line = message if pos is None else f"{message} (at column {pos + 1})"
        super().__init__(line)

    def __str__(self) -> str:
        line = self.args[0]
        if self.text is None or self.pos is None:
            return line
        # Show at most ~60 characters around the error so long inputs stay readable.
        start = max(0, self.pos - 30)
        # Invisible and control characters (a terminal escape, a NUL) are shown as '?'.
        snippet = "".join(
            " " if ch.isspace() else ch if ch.isprintable() else "?"
            for ch in self.text[start : start + 60]
        )
        return f"{line}\n  {snippet}\n  {' ' * (self.pos - start)}^"


@dataclass(frozen=True)
class Token:
    kind: str  # "num", "name", "op" or "end"
    text: str  # as written (operators normalised to ASCII)
    pos: int  # 0-based column of the first character
    value: Fraction | None = None  # numbers only


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into tokens, ending with an ``end`` token."""
    if not isinstance(text, str):
        raise ParseError(f"expected a string, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ParseError(
            f"expression is too long ({len(text)} characters; the limit is {MAX_LENGTH})"
        )
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in _WHITESPACE or unicodedata.category(ch) == "Zs":  # also no-break space
            i += 1
        elif ch in _DIGITS or (ch == "." and i + 1 < n and text[i + 1] in _DIGITS):
            i = _read_number(text, i, tokens)
        elif _is_letter(ch):
            i = _read_name(text, i, tokens)
        elif ch == "*" and text.startswith("**", i):
            tokens.append(Token("op", "^", i))
            i += 2
        elif ch in _OPERATORS or ch in _UNICODE_OPERATORS:
            tokens.append(Token("op", _UNICODE_OPERATORS.get(ch, ch), i))
            i += 1
        elif ch in _RADICALS:
            tokens.append(Token("name", _RADICALS[ch], i))
            i += 1
        elif ch in _SUPERSCRIPT_DIGITS or ch in _SUPERSCRIPT_SIGNS:
            i = _read_superscript(text, i, tokens)
        elif text.startswith("__", i):
            raise ParseError("double-underscore names are never allowed", text, i)
        else:
            raise ParseError(_refusal(ch), text, i)
    tokens.append(Token("end", "", n))
    return tokens


def _refusal(ch: str) -> str:
    if ch in _REFUSED:
        return _REFUSED[ch]
    if ch.isprintable():
        return f"unexpected character {ch!r}"
    return f"unexpected invisible or control character {ascii(ch)}"


def _is_letter(ch: str) -> bool:
    # ASCII letters and the Greek block only; other scripts are refused.
    return ("a" <= ch <= "z") or ("A" <= ch <= "Z") or _is_greek(ch)


def _is_greek(ch: str) -> bool:
    return "\u0391" <= ch <= "\u03c9"


def _read_number(text: str, i: int, tokens: list[Token]) -> int:
    start, n = i, len(text)
    if text.startswith(("0x", "0X", "0b", "0B", "0o", "0O"), i) and text[i + 2 : i + 3].isalnum():
        raise ParseError("hexadecimal, binary and octal numbers are not supported", text, i)
    while i < n and text[i] in _DIGITS:
        i += 1
    if i < n and text[i] == ".":
        i += 1
        while i < n and text[i] in _DIGITS:
            i += 1
    # Scientific notation only when 'e' is followed by digits (2e3, 1.5e-2);
    # otherwise 'e' is Euler's number and "2e" means 2*e.
    if i < n and text[i] in "eE":
        j = i + 1
        if j < n and text[j] in "+-":
            j += 1
        if j < n and text[j] in _DIGITS:
            k = j
            while k < n and text[k] in _DIGITS:
                k += 1
            if abs(int(text[j:k])) > MAX_DECIMAL_EXPONENT:
                raise ParseError(
                    f"exponent in {text[start:k]!r} is too large (limit {MAX_DECIMAL_EXPONENT})",
                    text,
                    start,
                )
            i = k
    if i < n and text[i] == "." and i + 1 < n and text[i + 1] in _DIGITS:
        raise ParseError("a number has two decimal points", text, i)
    literal = text[start:i]
    # Fraction parses decimal text exactly (it does not evaluate anything).
    tokens.append(Token("num", literal, start, Fraction(literal)))
    return i


def _read_superscript(text: str, i: int, tokens: list[Token]) -> int:
    """``²`` or ``⁻¹²``: the tokens of ``^2`` or ``^-12``."""
    start, n = i, len(text)
    tokens.append(Token("op", "^", start))
    if text[i] in _SUPERSCRIPT_SIGNS:
        tokens.append(Token("op", _SUPERSCRIPT_SIGNS[text[i]], i))
        i += 1
    digits_start = i
    while i < n and text[i] in _SUPERSCRIPT_DIGITS:
        i += 1
    if i == digits_start:
        raise ParseError("a superscript sign must be followed by superscript digits", text, start)
    digits = "".join(_SUPERSCRIPT_DIGITS[ch] for ch in text[digits_start:i])
    tokens.append(Token("num", digits, digits_start, Fraction(int(digits))))
    return i


def _read_name(text: str, i: int, tokens: list[Token]) -> int:
    start, n = i, len(text)
    if _is_greek(text[i]):
        i += 1  # a Greek letter is a name on its own: 2πx is 2·π·x
    else:
        while i < n and _is_letter(text[i]) and not _is_greek(text[i]):
            i += 1
    letters_end = i
    while i < n and text[i] in _DIGITS:
        i += 1
    word = text[start:i]
    if i < n and text[i] == "_":
        # The only underscore we accept: log_b with a whole-number base.
        j = i + 1
        while j < n and text[j] in _DIGITS:
            j += 1
        if word == "log" and j > i + 1:
            tokens.append(Token("name", text[start:j], start))
            return j
        if text.startswith("__", i) or text[start] == "_":
            raise ParseError("double-underscore names are never allowed", text, i)
        raise ParseError(_REFUSED["_"], text, i)
    if i > letters_end and i < n and _is_letter(text[i]) and not _is_greek(text[i]):  # x2y
        raise ParseError(
            f"name {text[start : i + 1]!r}... mixes letters and digits; use * between factors",
            text,
            start,
        )
    tokens.append(Token("name", word, start))
    return i
