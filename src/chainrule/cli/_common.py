"""Shared pieces of the command line: the user-error type, small parsers, and the ASCII
fallback for output streams that cannot encode the notation."""

from __future__ import annotations

import codecs
import unicodedata


class CLIError(Exception):
    """Bad input on the command line; printed as one line, exit status 2."""


def parse_assignments(items: list[str] | None) -> dict[str, float]:
    """Parse ``["x=1", "y=2.5"]`` (or ``["x=1,y=2"]``) into ``{"x": 1.0, "y": 2.5}``."""
    values: dict[str, float] = {}
    for item in items or []:
        for part in item.split(","):
            part = part.strip()
            if not part:
                continue
            name, sep, text = part.partition("=")
            if not sep or not name.strip():
                raise CLIError(f"--at expects NAME=VALUE, got {part!r}")
            name = name.strip()
            if name in values:
                raise CLIError(f"--at gives {name} twice ({values[name]:g} and {text.strip()})")
            try:
                values[name] = float(text)
            except ValueError:
                raise CLIError(f"--at {name}: {text!r} is not a number") from None
    return values


# The notation's characters, in ASCII for a stream whose encoding lacks them
# (PYTHONIOENCODING=cp1252, LANG=C): d for the partial sign, * for the product dot...
ASCII_NOTATION = {
    "\u2202": "d", "\u00b7": "*", "\u2190": "<-", "\u2192": "->", "\u2016": "||",
    "\u2713": "ok", "\u2717": "X", "\u2500": "-", "\u2501": "=", "\u2212": "-",
    "\u2026": "...", "\u1d40": "^T", "\u00b2": "^2", "\u00b3": "^3", "\u03a3": "sum",
    "\u2211": "sum", "\u221a": "sqrt", "\u2248": "~", "\u2264": "<=", "\u2265": ">=",
    "\u00d7": "x", "\u2207": "grad", "\u03b8": "theta", "\u2260": "!=", "\u221e": "inf",
}  # fmt: skip
_SUBSCRIPTS = {chr(0x2080 + d): str(d) for d in range(10)}
_SUPERSCRIPTS = {"\u2070": "0", "\u00b9": "1", "\u2074": "4", "\u207b": "-"}
ASCII_ERRORS = "chainrule-ascii"


def _to_ascii(text: str) -> str:
    out = []
    for ch in text:
        if ch in ASCII_NOTATION:
            out.append(ASCII_NOTATION[ch])
        elif ch in _SUBSCRIPTS:
            out.append(_SUBSCRIPTS[ch])
        elif ch in _SUPERSCRIPTS:
            out.append("^" + _SUPERSCRIPTS[ch])
        else:  # a letter with an accent keeps its letter; anything else becomes ?
            plain = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode()
            out.append(plain or "?")
    return "".join(out)


def _ascii_errors(exc: UnicodeError):
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    return _to_ascii(exc.object[exc.start : exc.end]), exc.end


codecs.register_error(ASCII_ERRORS, _ascii_errors)


def ascii_fallback(stream) -> None:
    """Write what ``stream``'s encoding cannot hold in ASCII notation, instead of
    failing with a UnicodeEncodeError (a terminal or file that is not UTF-8)."""
    encoding = getattr(stream, "encoding", None) or "ascii"
    try:
        "\u2202\u00b7\u2190\u2016\u2713\u2500".encode(encoding)
    except (UnicodeEncodeError, LookupError):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors=ASCII_ERRORS)
