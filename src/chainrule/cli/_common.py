"""Shared pieces of the command line: the user-error type and small parsers."""

from __future__ import annotations


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
