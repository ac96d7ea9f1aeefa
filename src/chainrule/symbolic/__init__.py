"""Exact derivatives with step-by-step chain-rule derivations.

>>> from chainrule import symbolic
>>> d = symbolic.derive("(3x+2)^2")
>>> d.result
18*x + 12

This layer sits on top of the package and imports SymPy (an optional dependency, the
``symbolic`` extra). The pieces, in pipeline order:

* :mod:`.lexer`, :mod:`.grammar`, :mod:`.parser`, :mod:`.build`: a whitelist
  parser from text to SymPy that never evaluates user input as code;
* :mod:`.rules` with :mod:`.algebra`, :mod:`.powers`, :mod:`.functions`: the
  differentiation rules, each step checked against ``sympy.diff`` (:mod:`.verify`);
* :mod:`.steps` and :mod:`.display`: the derivation tree and its narration;
* :mod:`.printer`, :mod:`.render_text`, :mod:`.render_latex`: text, LaTeX, Markdown;
* :mod:`.derivation`: the public ``derive``, ``gradient``, ``Derivation``.

Names are loaded on first use so that importing this package stays cheap.
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "derive": "derivation",
    "gradient": "derivation",
    "Derivation": "derivation",
    "Gradient": "derivation",
    "parse": "build",
    "ParseError": "lexer",
    "Step": "steps",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        module = importlib.import_module(f".{_EXPORTS[name]}", __name__)
        return getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
