"""The derivation tree: one :class:`Step` per rule application.

A step records the rule, the expression it differentiates, the variable, the
derivative (always checked equal to SymPy's), the forms it shows on the way to that
derivative, explanatory notes, and the sub-steps it used. Chain-rule steps also keep
a :class:`ChainLink` naming the inner function (``u``, then ``v``, ``w``, ...).
Steps are immutable; :mod:`.render_text` (which ``str(step)`` uses) and
:mod:`.render_latex` turn them into text.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from .render_text import render_step


@dataclass(frozen=True)
class ChainLink:
    """``y = outer(u)`` with ``u = inner``: the pieces of one chain-rule step."""

    name: object  # the SymPy symbol u
    inner: object  # u as a function of x
    outer: object  # y as a function of u
    outer_derivative: object  # dy/du, in terms of u
    inner_derivative: object  # du/dx


@dataclass(frozen=True)
class Step:
    """One application of a differentiation rule.

    ``rule`` is a short identifier (``"chain"``, ``"product"``, ``"sin"``,
    ``"sympy"`` for the fallback); ``title`` is its display name.
    """

    rule: str
    title: str
    expr: object  # SymPy expression being differentiated
    var: object  # SymPy symbol it is differentiated with respect to
    derivative: object  # SymPy expression, equal to sympy.diff(expr, var)
    forms: tuple = ()  # display.Math nodes equal to the derivative, in order
    notes: tuple = ()  # display lines explaining the step
    substeps: tuple = ()
    label: object = None  # e.g. dy/du when this step is part of a chain
    chain: ChainLink | None = None

    @property
    def result(self):
        """Alias of :attr:`derivative`."""
        return self.derivative

    def walk(self) -> Iterator[Step]:
        """This step and all its sub-steps, depth first."""
        stack = [self]
        while stack:
            step = stack.pop()
            yield step
            stack.extend(reversed(step.substeps))

    def rules(self) -> list[str]:
        """The rule identifiers used, depth first (handy in tests)."""
        return [step.rule for step in self.walk()]

    def __str__(self) -> str:
        return render_step(self)

    def __repr__(self) -> str:
        return f"Step({self.rule!r}, {self.expr}, derivative={self.derivative})"
