"""The public entry points: :func:`derive`, :func:`gradient` and their results.

:func:`derive` parses the input (safely, see :mod:`.build`), picks the variable,
runs the :class:`.differentiator.Differentiator` and wraps the step tree in a
:class:`Derivation`, which prints as text, LaTeX or Markdown and evaluates its
result at a point. :func:`gradient` does the same for every variable.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping

import sympy as sp

from .budget import LimitError, attempt, budget, measure, refuse_large
from .build import parse, symbol
from .differentiator import Differentiator
from .grammar import GREEK
from .lexer import ParseError
from .printer import text
from .render_latex import (
    derivation_latex,
    derivation_markdown,
    gradient_latex,
    gradient_markdown,
)
from .render_text import render_derivation, render_gradient
from .steps import Step
from .tracing import expression_of
from .verify import same_function, value_at

_POLY_MAX_DEGREE = 12  # expand polynomial results up to this degree ...
_POLY_MAX_TERMS = 12  # ... when that gives at most this many terms
_POLY_MAX_EXPANDED = 2000  # ... and expanding cannot produce more than this many
_SIMPLIFY_MAX_OPS = 30  # try sympy.simplify only on results this small ...
_SIMPLIFY_MAX_TERMS = 100  # ... whose expansion stays small
_TIDY_MAX_DEGREE = 60  # factor(x^400 + 1) takes SymPy minutes: tidy only lower degrees
_TIDY_MAX_BITS = 128  # ... and numbers smaller than this (sin(10^300 x) sends fu looping)


class Derivation:
    """A derivative together with the steps that produce it.

    ``result`` is a SymPy expression equal to ``sympy.diff(expr, var)``; ``steps`` is
    the root :class:`.Step`. ``print(d)`` shows the steps; ``d.to_latex()`` and
    ``d.to_markdown()`` give the same in other notations.
    """

    def __init__(
        self, expr: sp.Expr, var: sp.Symbol, steps: Step, result: sp.Expr, notes: tuple = ()
    ):
        self.expr = expr
        self.var = var
        self.steps = steps
        self.result = result
        self.notes = notes  # e.g. that tidying the answer was skipped, and why
        self.constants = tuple(
            sorted(expr.free_symbols - {var}, key=lambda s: s.name)
        )  # other variables, held fixed

    def __str__(self) -> str:
        return render_derivation(self)

    def to_text(self, color: bool = False) -> str:
        """The plain-text derivation; ``color=True`` adds ANSI colours."""
        return render_derivation(self, color=color)

    def to_latex(self) -> str:
        """The derivation as a LaTeX ``aligned`` block (no surrounding ``$``)."""
        return derivation_latex(self)

    def to_markdown(self) -> str:
        """The derivation as Markdown with ``$...$`` maths (Jupyter, GitHub)."""
        return derivation_markdown(self)

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    def _repr_latex_(self) -> str:
        return f"$${self.to_latex()}$$"

    def __repr__(self) -> str:
        return f"<Derivation d/d{text(self.var)} {text(self.expr)} = {text(self.result)}>"

    def at(self, value: float | None = None, /, **values: float) -> float:
        """The derivative's value at a point: ``d.at(x=1)``, or ``d.at(1)`` for ``var``.
        Greek variables may be named either way: ``theta=1`` or ``θ=1``."""
        if value is not None:
            if self.var.name in {GREEK.get(name, name) for name in values}:
                raise TypeError(f"{self.var.name} given twice")
            values = {self.var.name: value, **values}
        with budget("evaluating the derivative at this point"):
            return _evaluate(self.expr, self.result, self.expr.free_symbols | {self.var}, values)


class Gradient(Mapping):
    """Every partial derivative of an expression: a read-only mapping from variable
    name to :class:`Derivation`, ordered by name."""

    def __init__(self, expr: sp.Expr, derivations: dict[str, Derivation]):
        self.expr = expr
        self._derivations = dict(sorted(derivations.items()))

    def __getitem__(self, name: str) -> Derivation:
        return self._derivations[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._derivations)

    def __len__(self) -> int:
        return len(self._derivations)

    @property
    def result(self) -> tuple:
        """The partial derivatives, in the order of the variable names."""
        return tuple(d.result for d in self._derivations.values())

    def at(self, **values: float) -> dict[str, float]:
        """Every partial derivative at a point, by variable name."""
        return {name: d.at(**values) for name, d in self._derivations.items()}

    def __str__(self) -> str:
        return self.to_text()

    def to_text(self, color: bool = False) -> str:
        """Every partial derivation as plain text; ``color=True`` adds ANSI colours."""
        return render_gradient(self, color=color)

    def to_latex(self) -> str:
        return gradient_latex(self)

    def to_markdown(self) -> str:
        return gradient_markdown(self)

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    def __repr__(self) -> str:
        parts = ", ".join(f"{name}: {text(d.result)}" for name, d in self.items())
        return f"<Gradient of {text(self.expr)}: {{{parts}}}>"


def derive(expr, wrt: str | sp.Symbol | None = None) -> Derivation:
    """Differentiate ``expr`` step by step.

    ``expr`` is a string in the syntax of ``docs/symbolic.md`` (or a SymPy
    expression). ``wrt`` names the variable; it may be left out when the expression
    has exactly one (or none, then ``x`` is used). Other variables are held constant.
    """
    with budget("differentiating this expression"):
        tree = to_expression(expr)
        return _derive(tree, _pick_variable(tree, wrt))


def gradient(expr) -> Gradient:
    """All partial derivatives of ``expr``, each with its steps."""
    with budget("differentiating this expression"):
        tree = to_expression(expr)
        variables = sorted(tree.free_symbols, key=lambda s: s.name)
        return Gradient(tree, {v.name: _derive(tree, v) for v in variables})


def to_expression(expr) -> sp.Expr:
    """A SymPy expression from a string, a SymPy expression or a function."""
    if isinstance(expr, str):
        return parse(expr)
    if isinstance(expr, sp.Basic):
        if not isinstance(expr, sp.Expr):
            raise TypeError(f"expected a SymPy expression, got {type(expr).__name__}")
        return expr
    if callable(expr):
        return _from_callable(expr)
    raise TypeError(
        f"derive() takes an expression string, a SymPy expression or a function, "
        f"not {type(expr).__name__}"
    )


def _from_callable(fun: Callable) -> sp.Expr:
    """Turn a Python function of ``chainrule.numpy`` ops into a SymPy expression by
    running it once under the engine's tracing hook (:mod:`.tracing`): the formula is,
    op for op, the computation that ``grad`` differentiates."""
    return expression_of(fun, make_symbol=symbol)


def _pick_variable(expr: sp.Expr, wrt) -> sp.Symbol:
    names = {s.name: s for s in expr.free_symbols}
    listed = ", ".join(sorted(names))
    if wrt is None:
        if len(names) > 1:
            raise ValueError(
                f"the expression has several variables ({listed}); choose one with wrt="
            )
        return next(iter(names.values())) if names else symbol("x")
    name = wrt.name if isinstance(wrt, sp.Symbol) else wrt
    if not isinstance(name, str):
        raise TypeError(f"wrt must be a variable name, not {type(wrt).__name__}")
    try:
        candidate = parse(name)
    except ParseError:
        candidate = None
    if not isinstance(candidate, sp.Symbol):
        raise ValueError(f"wrt={name!r} is not a variable name")
    if candidate.name in names:
        return names[candidate.name]
    if names:
        raise ValueError(f"unknown variable {name!r}: the expression's variables are {listed}")
    return candidate  # a constant expression: any variable will do (derivative 0)


def _derive(expr: sp.Expr, var: sp.Symbol) -> Derivation:
    """The derivation, within the open budget: the expression (which may come from
    SymPy or a traced function, not the parser) and SymPy's derivative are checked
    against the size limits before any step is narrated; tidying the answer has its
    own share of the time, and is skipped with a note past it."""
    refuse_large(*measure(expr))
    refuse_large(*measure(sp.diff(expr, var)))
    differentiator = Differentiator({s.name for s in expr.free_symbols} | {var.name})
    try:
        root = differentiator.derive(expr, var, dependent=differentiator.dependent)
    except RecursionError:  # a safety net for SymPy expressions given directly
        raise LimitError("too large to work with: nested too deeply to differentiate") from None
    result, notes = root.derivative, ()
    with attempt() as skipped:
        result = _comparable(tidy(root.derivative), expr, var)
    if skipped:
        notes = (f"the answer was left as derived: tidying it up {skipped[0]}",)
    return Derivation(expr, var, root, result, notes)


_COMPARE_MAX_OPS = 60  # expand the difference only for results this small


def _comparable(result: sp.Expr, expr: sp.Expr, var: sp.Symbol) -> sp.Expr:
    """``result`` when it is plainly SymPy's derivative, else SymPy's own form.

    The narrated answer may use a textbook identity that ``sympy.simplify`` does not
    undo (``3sec²(3x+2)`` for SymPy's ``3tan²(3x+2) + 3``). Users compare ``.result``
    with SymPy's derivative, so ``.result`` keeps the tidied form only when expanding
    or cancelling the difference gives 0 (cheap, bounded in size); otherwise SymPy's own
    ``diff``. The steps keep the textbook form (each checked against SymPy).
    """
    ref = sp.diff(expr, var)
    if result == ref:
        return result
    small = sp.count_ops(result) + sp.count_ops(ref) <= _COMPARE_MAX_OPS
    if small and not _has_big_power(result) and not _has_big_power(ref):
        difference = result - ref
        if sp.expand(difference) == 0 or sp.cancel(sp.together(difference)) == 0:
            return result
    return ref


def tidy(expr: sp.Expr) -> sp.Expr:
    """A simpler equal form for the final answer, found within tight bounds.

    Small polynomials are expanded (``6(3x + 2)`` becomes ``18x + 12``); other small
    results go through ``sympy.simplify`` and are kept only if that is clearly
    shorter (a third fewer operations), so a mere refactoring is not shown.
    Results with a high power of a sum are left alone: expanding or simplifying
    ``(x + 1)^999`` takes SymPy seconds for nothing.
    """
    _, degree, bits = measure(expr)
    if _has_big_power(expr) or degree > _TIDY_MAX_DEGREE or bits > _TIDY_MAX_BITS:
        return expr
    if _small_polynomial(expr):
        if _max_terms(expr) > _POLY_MAX_EXPANDED:
            return expr  # (a + b + ... + s)^12 has millions of terms: don't build them
        expanded = sp.expand(expr)
        if len(sp.Add.make_args(expanded)) <= _POLY_MAX_TERMS:
            return expanded
        return expr
    ops = sp.count_ops(expr)
    # simplify expands products of powers of sums: (x+1)^11·(y+1)^12·(z+1)^12 takes it
    # seconds for nothing, so only small expansions are tried
    if ops <= _SIMPLIFY_MAX_OPS and _max_terms(expr) <= _SIMPLIFY_MAX_TERMS:
        # factor is the fallback when simplify's answer is refused: it finds
        # e^x/(e^x + 1)^2 where simplify goes to 1/(4cosh(x/2)^2)
        for simplifier in (sp.simplify, sp.factor):
            simpler = simplifier(expr)
            if (
                3 * sp.count_ops(simpler) <= 2 * ops
                and not simpler.has(sp.Piecewise)  # SymPy's case splits read worse
                # no identity the steps never showed: 2sin(x)cos(x) stays, rather
                # than becoming sin(2x); the sigmoid's derivative gets no cosh
                and simpler.atoms(sp.Function) <= expr.atoms(sp.Function)
                and same_function(simpler, expr)
            ):
                return simpler
    return expr


def _max_terms(expr: sp.Expr) -> int:
    """An upper bound on the number of terms of ``expand(expr)`` (for a polynomial;
    otherwise of its numerator and denominator, with functions counted as one)."""
    if expr.is_Add:
        return sum(_max_terms(a) for a in expr.args)
    if expr.is_Mul:
        return math.prod(_max_terms(a) for a in expr.args)
    if expr.is_Pow and expr.exp.is_Integer and abs(expr.exp) > 1:
        n, k = _max_terms(expr.base), abs(int(expr.exp))
        return math.comb(n + k - 1, k)  # monomials of degree k in n terms
    return 1


def _has_big_power(expr: sp.Expr) -> bool:
    return any(
        p.exp.is_Integer and abs(p.exp) > _POLY_MAX_DEGREE and not p.base.is_Atom
        for p in expr.atoms(sp.Pow)
    )


def _small_polynomial(expr: sp.Expr) -> bool:
    symbols = expr.free_symbols
    if not symbols or not expr.is_polynomial(*symbols):
        return False
    return _degree(expr) <= _POLY_MAX_DEGREE


def _degree(expr: sp.Expr) -> int:
    """Total degree of a polynomial, read off its unexpanded form (no expansion)."""
    if not expr.free_symbols:
        return 0
    if expr.is_Symbol:
        return 1
    if expr.is_Add:
        return max(_degree(a) for a in expr.args)
    if expr.is_Mul:
        return sum(_degree(a) for a in expr.args)
    if expr.is_Pow and expr.exp.is_Integer:
        return _degree(expr.base) * int(expr.exp)
    return _POLY_MAX_DEGREE + 1  # anything else: treat as too big to expand


def _evaluate(function: sp.Expr, result: sp.Expr, known: set, values: dict) -> float:
    """``result`` (the derivative of ``function``) at ``values``; a ValueError where the
    function itself is not real there (log or sqrt at -1, asin at 2): a derivative is
    only given inside the function's real domain."""
    values = {GREEK.get(name, name): v for name, v in values.items()}  # θ=1 is theta=1
    by_name = {s.name: s for s in known}
    unknown = [name for name in values if name not in by_name]
    if unknown:
        listed = ", ".join(sorted(by_name)) or "none"
        raise ValueError(f"unknown variable {unknown[0]!r}: the variables are {listed}")
    missing = sorted(s.name for s in result.free_symbols if s.name not in values)
    if missing:
        raise ValueError(f"give a value for {', '.join(missing)}")
    point = {by_name[name]: sp.Float(float(v), 30) for name, v in values.items()}
    where = ", ".join(f"{name} = {v:g}" for name, v in values.items())
    own = value_at(function, point)
    if own is not None and abs(own.imag) > 1e-12 * max(1.0, abs(own)):
        raise ValueError(f"the function is not real at {where} (outside its domain)")
    value = value_at(result, point)
    if value is None:
        raise ValueError(f"the derivative is undefined at {where}, or too large for a float")
    if abs(value.imag) > 1e-12 * max(1.0, abs(value)):
        raise ValueError(f"the derivative is not real at {where}")
    return float(value.real)
