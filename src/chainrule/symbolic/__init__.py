"""Exact derivatives with step-by-step chain-rule derivations.

>>> from chainrule import symbolic
>>> d = symbolic.derive("(3x+2)^2")
>>> d.result
18*x + 12

This package is where chainrule meets SymPy (an optional dependency, the ``symbolic``
extra): ``import chainrule`` does not import it, and importing it without SymPy raises
an ``ImportError`` that says how to install it. The pieces, in pipeline order:

* :mod:`.lexer`, :mod:`.grammar`, :mod:`.parser`, :mod:`.build`: a whitelist
  parser from text to SymPy that never evaluates user input as code;
* :mod:`.tracing`: a Python function of ``chainrule.numpy`` ops read into SymPy, and
  :mod:`.numpy_eval`: a SymPy expression computed with those ops (``chainrule graph``);
* :mod:`.rules`, :mod:`.algebra`, :mod:`.powers`, :mod:`.functions`: the
  differentiation rules, dispatched by :mod:`.differentiator`, each step checked
  against ``sympy.diff`` (:mod:`.verify`);
* :mod:`.steps` and :mod:`.display`: the derivation tree and its narration;
* :mod:`.printer`, :mod:`.notation`, :mod:`.render_text`, :mod:`.render_latex`:
  text, LaTeX, Markdown;
* :mod:`.derivation`: the public ``derive``, ``gradient``, ``Derivation``.
"""

from __future__ import annotations

try:
    import sympy  # noqa: F401
except ImportError as exc:
    raise ImportError(
        "chainrule.symbolic needs SymPy, which is not installed: pip install 'chainrule[symbolic]'"
    ) from exc

from chainrule.symbolic.budget import LimitError
from chainrule.symbolic.build import parse
from chainrule.symbolic.derivation import Derivation, Gradient, derive, gradient
from chainrule.symbolic.lexer import ParseError
from chainrule.symbolic.steps import Step

__all__ = [
    "Derivation",
    "Gradient",
    "LimitError",
    "ParseError",
    "Step",
    "derive",
    "gradient",
    "parse",
]
