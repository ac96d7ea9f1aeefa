"""Evaluate a SymPy expression with ``chainrule.numpy`` ops, so that its graph is recorded.

The reverse of :mod:`.tracing` (which reads ``chainrule.numpy`` ops into SymPy).
``chainrule graph "(3x+2)^2" --at x=1`` parses the text with :func:`.build.parse`
(which yields SymPy) and needs the same computation as chainrule ops on Tensors. This
small evaluator walks the SymPy tree and calls one ``cnp`` function per node, choosing
the op a person would write: ``x - y`` is ``subtract`` (not ``add`` of ``-1·y``),
``x/y`` is ``divide``, ``x^(1/2)`` is ``sqrt``, ``e^x`` is ``exp``, and sums and
products keep SymPy's printed order. A subexpression that occurs twice is computed
once, so its node feeds both uses (the chain rule then sums over both paths). Numbers
(``3``, ``pi``, ``log(2)``) become constants. Only the functions the parser accepts
are handled; anything else raises ``ValueError`` naming it.
"""

from __future__ import annotations

import sympy as sp

import chainrule.numpy as cnp


def _inv(f):
    return lambda x: cnp.divide(1.0, f(x))


def _of_inv(f):
    return lambda x: f(cnp.divide(1.0, x))


_FUNCTIONS = {
    sp.sin: cnp.sin,
    sp.cos: cnp.cos,
    sp.tan: cnp.tan,
    sp.cot: _inv(cnp.tan),
    sp.sec: _inv(cnp.cos),
    sp.csc: _inv(cnp.sin),
    sp.asin: cnp.arcsin,
    sp.acos: cnp.arccos,
    sp.atan: cnp.arctan,
    sp.acot: _of_inv(cnp.arctan),
    sp.asec: _of_inv(cnp.arccos),
    sp.acsc: _of_inv(cnp.arcsin),
    sp.sinh: cnp.sinh,
    sp.cosh: cnp.cosh,
    sp.tanh: cnp.tanh,
    sp.coth: _inv(cnp.tanh),
    sp.sech: _inv(cnp.cosh),
    sp.csch: _inv(cnp.sinh),
    sp.asinh: cnp.arcsinh,
    sp.acosh: cnp.arccosh,
    sp.atanh: cnp.arctanh,
    sp.acoth: _of_inv(cnp.arctanh),
    sp.asech: _of_inv(cnp.arccosh),
    sp.acsch: _of_inv(cnp.arcsinh),
    sp.exp: cnp.exp,
    sp.log: cnp.log,
    sp.Abs: cnp.absolute,
    sp.sign: cnp.sign,
}


def evaluate(expr, values: dict):
    """Compute the SymPy ``expr`` with chainrule ops; ``values`` maps variable names to
    Tensors (or numbers). Raises ``ValueError`` for a variable without a value."""
    done: dict = {}  # a subexpression written twice (x*y in x*y + sin(x*y)) is one node

    def ev(e):
        if e not in done:
            done[e] = compute(e)
        return done[e]

    def compute(e):
        if e.is_number:
            value = complex(e.evalf())
            if value.imag != 0:
                raise ValueError(f"{e} is not a real number")
            return value.real
        if isinstance(e, sp.Symbol):
            if e.name not in values:
                raise ValueError(f"no value for the variable {e.name}: pass --at {e.name}=...")
            return values[e.name]
        if isinstance(e, sp.Add):
            terms = e.as_ordered_terms()
            acc = ev(terms[0])
            for term in terms[1:]:
                if term.could_extract_minus_sign():
                    acc = cnp.subtract(acc, ev(-term))
                else:
                    acc = cnp.add(acc, ev(term))
            return acc
        if isinstance(e, sp.Mul):
            return _product(e, ev)
        if isinstance(e, sp.Pow):
            return _power(e, ev)
        func = _FUNCTIONS.get(type(e))
        if func is None:
            raise ValueError(f"can't evaluate {type(e).__name__} with chainrule ops")
        return func(*[ev(a) for a in e.args])

    return ev(expr)


def _product(e, ev):
    coeff, rest = e.as_coeff_Mul()
    if coeff == -1:
        return cnp.negative(ev(rest))
    num, den = [], []
    for f in e.as_ordered_factors():
        if isinstance(f, sp.Pow) and f.exp.is_number and f.exp.is_negative:
            den.append(f.base if f.exp == -1 else f.base ** (-f.exp))
        else:
            num.append(f)
    top = None
    for f in num:
        top = ev(f) if top is None else cnp.multiply(top, ev(f))
    if not den:
        return top
    bottom = None
    for f in den:
        bottom = ev(f) if bottom is None else cnp.multiply(bottom, ev(f))
    return cnp.divide(1.0 if top is None else top, bottom)


def _power(e, ev):
    base, exp = e.base, e.exp
    if base == sp.E:
        return cnp.exp(ev(exp))
    if exp.is_number and exp.is_negative:
        return cnp.divide(1.0, ev(base ** (-exp)))
    if exp == sp.Rational(1, 2):
        return cnp.sqrt(ev(base))
    return cnp.power(ev(base), ev(exp))
