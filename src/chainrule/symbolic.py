"""Exact derivatives with step-by-step chain-rule derivations (public facade).

>>> from chainrule import symbolic
>>> d = symbolic.derive("(3x+2)^2")
>>> d.result
18*x + 12

The work is done in :mod:`chainrule.explain`; this module only re-exports it.
SymPy (the ``symbolic`` extra) is imported on first use, not when ``chainrule`` is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from chainrule.explain.build import parse
    from chainrule.explain.derivation import Derivation, Gradient, derive, gradient
    from chainrule.explain.lexer import ParseError
    from chainrule.explain.steps import Step

__all__ = ["Derivation", "Gradient", "ParseError", "Step", "derive", "gradient", "parse"]


def __getattr__(name: str):
    if name in __all__:
        import chainrule.explain as explain

        return getattr(explain, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
