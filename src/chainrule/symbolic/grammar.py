"""The parser's vocabulary: which names are functions, constants and variables.

Every name the parser accepts is listed here; a name that is not is refused, so this
table is the whole whitelist. It holds plain data only (no SymPy): the builder in
:mod:`.build` turns the canonical function names into SymPy calls.

How a run of letters (optionally followed by digits) is read, in this order:

1. a function name or alias (``sin``, ``arcsin``, ``ln``, ``log2``, ``log_3`` ...);
2. a constant: ``e``, ``pi`` or ``π``;
3. a Greek letter, spelled out (``theta``) or as the letter (``θ``): one variable;
4. a Python keyword or builtin name (``lambda``, ``exec``, ``open`` ...): refused;
5. one letter, optionally followed by digits (``x``, ``t0``, ``x12``): one variable;
6. several letters right before ``(``: an unknown function, refused;
7. several letters otherwise: split into one-letter variables (``xy`` = ``x*y``), but
   only when every letter is an ordinary variable, i.e. the run contains no ``e``
   and no function, constant or Greek name (``ex``, ``pix``, ``xsin`` are refused as
   ambiguous, with a hint to write ``e*x`` or ``e x``).
"""

from __future__ import annotations

import builtins
import keyword

# canonical name -> allowed argument counts
FUNCTIONS: dict[str, tuple[int, ...]] = {
    **dict.fromkeys(["sin", "cos", "tan", "cot", "sec", "csc"], (1,)),
    **dict.fromkeys(["asin", "acos", "atan", "acot", "asec", "acsc"], (1,)),
    **dict.fromkeys(["sinh", "cosh", "tanh", "coth", "sech", "csch"], (1,)),
    **dict.fromkeys(["asinh", "acosh", "atanh", "acoth", "asech", "acsch"], (1,)),
    **dict.fromkeys(["exp", "ln", "log2", "log10", "sqrt", "cbrt", "abs", "sign"], (1,)),
    "log": (1, 2),  # log(x) is natural; log(x, b) is base b
    "root": (2,),  # root(x, n) = x^(1/n)
}

ALIASES: dict[str, str] = {"sgn": "sign"}
for _name in ["sin", "cos", "tan", "cot", "sec", "csc"]:
    ALIASES["arc" + _name] = "a" + _name
    ALIASES["arc" + _name + "h"] = "a" + _name + "h"
    ALIASES["ar" + _name + "h"] = "a" + _name + "h"

CONSTANTS = {"e": "e", "pi": "pi", "\u03c0": "pi"}

_GREEK_NAMES = (
    "alpha beta gamma delta epsilon zeta eta theta iota kappa mu nu xi omicron "
    "rho sigma tau upsilon phi chi psi omega"
).split()
# Unicode letters in alphabetical order, lambda and pi left out (λ is refused as a
# Python keyword's spelling would be, π is the constant).
_GREEK_LETTERS = "αβγδεζηθικμνξορστυφχψω"
GREEK: dict[str, str] = {name: name for name in _GREEK_NAMES}
GREEK.update(zip(_GREEK_LETTERS, _GREEK_NAMES, strict=True))
GREEK_SYMBOL = {name: letter for letter, name in zip(_GREEK_LETTERS, _GREEK_NAMES, strict=True)}

_PYTHON_NAMES = (set(keyword.kwlist) | set(keyword.softkwlist) | set(dir(builtins))) - set(
    FUNCTIONS
)

# Spellings of infinity and NaN, which would otherwise be split into letters (i·n·f).
_NOT_NUMBERS = {"inf", "infinity", "infty", "nan", "oo"}
# Other spellings people use for functions we know by another name.
_OTHER_SPELLINGS = {"lg": "log_10 or log_2", "lb": "log_2", "tg": "tan", "ctg": "cot"}

# Pieces that make a run of letters ambiguous when it would otherwise be split.
_AMBIGUOUS_PIECES = sorted(
    {n for n in [*FUNCTIONS, *ALIASES, *GREEK, "pi"] if n.isascii() and len(n) > 1},
    key=len,
    reverse=True,
)


class BadName(Exception):
    """Internal: a word that cannot be read; the parser adds the position."""


def function_name(word: str) -> str | None:
    """The canonical function for ``word`` (``log_3`` gives ``log_3``), or None."""
    if word in FUNCTIONS:
        return word
    if word in ALIASES:
        return ALIASES[word]
    if word.startswith("log_") and word[4:].isdigit():
        return word
    return None


def classify(word: str, before_paren: bool) -> tuple[str, object]:
    """Read a name: ``("function", canon)``, ``("constant", name)``,
    ``("variable", name)`` or ``("product", [names...])``.

    Raises :class:`BadName` with a user-facing message for refused words.
    """
    canon = function_name(word)
    if canon is not None:
        return "function", canon
    if word in CONSTANTS:
        return "constant", CONSTANTS[word]
    if word in GREEK:
        return "variable", GREEK[word]
    if word in _PYTHON_NAMES or word == "\u03bb":
        raise BadName(f"{word!r} is not a mathematical name (it is Python's)")
    if word in _OTHER_SPELLINGS:
        raise BadName(f"unknown function {word!r}: write {_OTHER_SPELLINGS[word]}")
    if word.lower() in _NOT_NUMBERS:
        raise BadName(f"{word!r} is not a number here: give a finite expression")
    if len(word) > 1 and (function_name(word.lower()) or word.lower() in CONSTANTS):
        raise BadName(f"unknown name {word!r}: names are case-sensitive, write {word.lower()!r}")
    letters = word.rstrip("0123456789")
    if letters == "e" and letters != word:  # e2: e^2? e·2? a variable?
        raise BadName(f"ambiguous name {word!r}: write e^{word[1:]}, e*{word[1:]}, or another name")
    if len(letters) == 1:
        return "variable", word
    if before_paren:
        raise BadName(f"unknown function {word!r}")
    if letters != word:
        raise BadName(f"ambiguous name {word!r}: write its factors with *, e.g. x*y2")
    for piece in _AMBIGUOUS_PIECES:
        if piece in word:
            raise BadName(
                f"ambiguous name {word!r} (it contains {piece!r}): "
                "separate the factors with * or spaces"
            )
    if "e" in word:
        raise BadName(
            f"ambiguous name {word!r} (is 'e' Euler's number?): "
            "separate the factors with * or spaces"
        )
    if any(not ch.isascii() for ch in word):
        raise BadName(f"ambiguous name {word!r}: separate the factors with * or spaces")
    return "product", list(word)
