"""The differentiator: picks a rule for each sub-expression and checks its answer.

:class:`Differentiator` walks a SymPy expression top-down. For each node it chooses a
narrated rule (constant and variable from :mod:`.rules`; sums, pieces and the chain
rule here; products and quotients in :mod:`.algebra`; powers in :mod:`.powers`; named
functions in :mod:`.functions`). The chain rule glues an outer rule to an inner
derivative, naming the inner function ``u``, ``v``, ``w``, ... in the order it meets
them. The rule modules call back into the differentiator through the
:class:`.rules.Deriver` interface, so they never import this module.

Every step is compared with ``sympy.diff`` of its own expression (:mod:`.verify`).
If the comparison fails, or no rule fits, the step becomes a plain statement of
SymPy's derivative: the narration may be less helpful, but it is never wrong.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace

import sympy as sp

from . import algebra, functions, powers
from . import display as dm
from .budget import check
from .printer import Kept, keep_whole
from .rules import constant_rule, fallback, variable_rule
from .steps import ChainLink, Step
from .verify import same_function

_CHAIN_NAMES = ("u", "v", "w", "s", "t", "p", "q", "r")
_DEPENDENT_NAMES = ("y", "f", "g", "h", "F")
_MAX_DEPTH = 200


class Differentiator:
    """Builds the :class:`Step` tree of one derivative.

    ``taken`` are the names used by the expression; chain names avoid them.
    """

    def __init__(self, taken: set[str]):
        free = [name for name in _DEPENDENT_NAMES if name not in taken]
        # y names the whole expression in "dy/du"; fall back to a dummy if all are used
        self.dependent = sp.Symbol(free[0], real=True) if free else sp.Dummy("y", real=True)
        self._names = _fresh_names(set(taken) | {self.dependent.name})
        self._depth = 0

    def new_name(self) -> sp.Symbol:
        """The next unused name for an inner function: u, v, w, ..."""
        return next(self._names)

    # -- entry ---------------------------------------------------------------------
    def derive(self, expr: sp.Expr, var: sp.Symbol, dependent: sp.Symbol | None = None) -> Step:
        """The checked step for ``d expr / d var``.

        ``dependent`` names ``expr`` itself (``y`` at the top, ``u`` for an inner
        function), so that a chain rule here can be written ``dy/du · du/dx``.
        """
        check()  # the budget, between steps (the timer also interrupts a long one)
        truth = sp.diff(expr, var)
        if self._depth >= _MAX_DEPTH:  # a safety net; the parser bounds nesting far lower
            return fallback(expr, var, truth)
        self._depth += 1
        try:
            step = self._choose(expr, var, dependent, truth)
        finally:
            self._depth -= 1
        if step.rule == "sympy" or same_function(step.derivative, truth):
            return step
        return fallback(expr, var, truth, confirmed=False)

    def _choose(self, expr, var, dependent, truth) -> Step:
        if not expr.has(var):
            return constant_rule(expr, var)
        if expr == var:
            return variable_rule(expr, var)
        if expr.is_Add:
            return self.sum_rule(expr, var)
        if expr.is_Mul:
            return algebra.mul_rule(self, expr, var, dependent)
        if expr.is_Pow:
            return powers.pow_rule(self, expr, var, dependent)
        if functions.has_rule(expr):
            return functions.function_rule(self, expr, var, dependent)
        if isinstance(expr, sp.Piecewise):
            return self.piecewise_rule(expr, var)
        return fallback(expr, var, truth)

    # -- the rules that differentiate parts, and what the rule modules call back --
    def sum_rule(self, expr: sp.Expr, var: sp.Symbol) -> Step:
        terms = expr.as_ordered_terms()  # the order they are printed in
        subs = tuple(self.derive(term, var) for term in terms)
        derivative = sp.Add(*(s.derivative for s in subs))
        minus = any(term.could_extract_minus_sign() for term in terms)
        title = "Sum and difference rule" if minus else "Sum rule"
        forms = (dm.total(*(s.derivative for s in subs)), dm.Expr(derivative))
        return Step("sum", title, expr, var, derivative, forms, (), subs)

    def piecewise_rule(self, expr: sp.Expr, var: sp.Symbol) -> Step:
        """A function defined by cases (``where`` in code): each piece in turn."""
        subs = tuple(self.derive(piece, var) for piece, _ in expr.args)
        derivative = sp.Piecewise(
            *((sub.derivative, cond) for sub, (_, cond) in zip(subs, expr.args, strict=True))
        )
        note = (
            "differentiate each piece where it applies; "
            "where the pieces meet, the derivative may not exist",
        )
        return Step(
            "piecewise",
            "Piecewise rule",
            expr,
            var,
            derivative,
            (dm.Expr(derivative),),
            (note,),
            subs,
        )

    def chain(
        self,
        expr: sp.Expr,
        var: sp.Symbol,
        inner: sp.Expr,
        outer_of: Callable[[sp.Symbol], sp.Expr],
        dependent: sp.Symbol | None,
    ) -> Step:
        """Chain rule for ``expr = outer(inner)``: d/dx outer(u) = outer'(u) · du/dx."""
        u = self.new_name()
        outer = outer_of(u)
        outer_step = self.derive(outer, u)
        inner_step = self.derive(inner, var, dependent=u)
        d_outer, d_inner = outer_step.derivative, inner_step.derivative
        # substituted after multiplying: 2u·2x gives 4x(x^2 + 1), not 2x(2x^2 + 2)
        derivative = (d_outer * d_inner).xreplace({u: inner})
        first = dm.Leibniz(dependent, u) if dependent is not None else dm.Deriv(outer, u)
        forms = (dm.product(first, dm.Leibniz(u, var)), dm.product(d_outer, d_inner))
        # The product with u replaced but kept whole, e.g. 6(3x + 2), where SymPy's
        # own form distributes it (18x + 12); a form printed the same as the next
        # one is dropped when the line is shown.
        shown = keep_whole(d_outer * d_inner, u, inner)
        if shown.has(Kept):
            forms += (dm.Expr(shown),)
        forms += (dm.Expr(derivative),)
        note = ("where ", dm.equation(u, inner))
        if dependent is not None:
            note += (" and ", dm.equation(dependent, outer))
        link = ChainLink(u, inner, outer, d_outer, d_inner)
        subs = (
            _relabel(outer_step, dm.Leibniz(dependent, u) if dependent is not None else None),
            _relabel(inner_step, dm.Leibniz(u, var)),
        )
        return Step("chain", "Chain rule", expr, var, derivative, forms, (note,), subs, chain=link)

    def outer_or_chain(
        self,
        expr: sp.Expr,
        var: sp.Symbol,
        inner: sp.Expr,
        outer_of: Callable[[sp.Symbol], sp.Expr],
        dependent: sp.Symbol | None,
        direct: Callable[[], Step],
    ) -> Step:
        """``direct()`` when the inner expression is the variable itself, else the chain."""
        if inner == var:
            return direct()
        return self.chain(expr, var, inner, outer_of, dependent)


def _relabel(step: Step, label) -> Step:
    return replace(step, label=label)


def _fresh_names(taken: set[str]) -> Iterator[sp.Symbol]:
    for name in _CHAIN_NAMES:
        if name not in taken:
            yield sp.Symbol(name, real=True)
    k = 1
    while True:
        name = f"u{k}"
        if name not in taken:
            yield sp.Symbol(name, real=True)
        k += 1
