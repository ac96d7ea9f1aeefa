"""Read a Python function of ``chainrule.numpy`` ops into a SymPy expression.

``derive(lambda x: cnp.sin(x) ** 2 * cnp.exp(x))`` runs the function once under a
:class:`SymbolicTrace`: the same tracing hook the autodiff transforms use (a trace
that processes each primitive call), but whose boxes hold SymPy expressions instead of
arrays. Each primitive is translated through this module's own table, from the
primitive's registered name to its SymPy form; a primitive with no symbolic form is a
clear error naming it. So the formula shown is, op for op, the computation that
``grad`` differentiates.

Only scalar functions are supported (the arguments become real SymPy symbols named
after the function's parameters).
"""

from __future__ import annotations

import inspect
import math
import numbers
from functools import cache

import numpy as np
import sympy as sp

from chainrule.core.trace import Box, Trace, new_trace


def _logaddexp(x, y):
    return sp.log(sp.exp(x) + sp.exp(y))


def _clip(x, lo=None, hi=None):
    if lo is not None:
        x = sp.Max(x, lo)
    if hi is not None:
        x = sp.Min(x, hi)
    return x


def _same(x, *args, **kwargs):
    return x


def _is_truth(value) -> bool:
    # SymPy symbols are Booleans too; a truth value here is a comparison or logic
    return isinstance(value, sp.logic.boolalg.Boolean) and not isinstance(value, sp.Expr)


def _where(cond, x, y):
    if not _is_truth(cond):
        cond = sp.Ne(cond, 0)  # a numeric mask: nonzero is true
    return sp.Piecewise((x, cond), (y, True))


def _as_number(value):
    """A comparison used as a number, (x > 0)·x, is 1 where it holds and 0 elsewhere."""
    if _is_truth(value):
        return sp.Piecewise((1, value), (0, True))
    return value


# Primitives whose arguments are truth values (where: only its first).
_LOGICAL = {"logical_and", "logical_or", "logical_not", "logical_xor"}


# primitive name -> SymPy form (arguments are SymPy expressions or numbers)
_SYMBOLIC = {
    "add": lambda x, y: x + y,
    "subtract": lambda x, y: x - y,
    "multiply": lambda x, y: x * y,
    "divide": lambda x, y: x / y,
    "true_divide": lambda x, y: x / y,
    "power": lambda x, y: x**y,
    "float_power": lambda x, y: x**y,
    "negative": lambda x: -x,
    "positive": lambda x: x,
    "square": lambda x: x**2,
    "reciprocal": lambda x: 1 / x,
    "sqrt": sp.sqrt,
    "cbrt": sp.cbrt,
    "absolute": sp.Abs,
    "sign": sp.sign,
    "exp": sp.exp,
    "exp2": lambda x: 2**x,
    "expm1": lambda x: sp.exp(x) - 1,
    "log": sp.log,
    "log2": lambda x: sp.log(x, 2),
    "log10": lambda x: sp.log(x, 10),
    "log1p": lambda x: sp.log(1 + x),
    "logaddexp": _logaddexp,
    "sin": sp.sin,
    "cos": sp.cos,
    "tan": sp.tan,
    "arcsin": sp.asin,
    "arccos": sp.acos,
    "arctan": sp.atan,
    "arctan2": sp.atan2,
    "sinh": sp.sinh,
    "cosh": sp.cosh,
    "tanh": sp.tanh,
    "arcsinh": sp.asinh,
    "arccosh": sp.acosh,
    "arctanh": sp.atanh,
    "hypot": lambda x, y: sp.sqrt(x**2 + y**2),
    "deg2rad": lambda x: x * sp.pi / 180,
    "rad2deg": lambda x: x * 180 / sp.pi,
    "maximum": sp.Max,
    "minimum": sp.Min,
    "fmax": sp.Max,
    "fmin": sp.Min,
    "clip": _clip,
    "where": _where,
    "floor": sp.floor,
    "ceil": sp.ceiling,
    "greater": lambda x, y: sp.StrictGreaterThan(x, y),
    "greater_equal": lambda x, y: sp.GreaterThan(x, y),
    "less": lambda x, y: sp.StrictLessThan(x, y),
    "less_equal": lambda x, y: sp.LessThan(x, y),
    "equal": lambda x, y: sp.Eq(x, y),
    "not_equal": lambda x, y: sp.Ne(x, y),
    "logical_and": sp.And,
    "logical_or": sp.Or,
    "logical_not": sp.Not,
    "logical_xor": sp.Xor,
    "sinc": lambda x: sp.sinc(sp.pi * x),  # NumPy's sinc is sin(pi x)/(pi x)
    "logaddexp2": lambda x, y: sp.log(2**x + 2**y, 2),
    "xlogy": lambda x, y: x * sp.log(y),
    "xlog1py": lambda x, y: x * sp.log(1 + y),
    "erfinv": sp.erfinv,
    "polygamma": sp.polygamma,
    "conj": _same,  # the variables are real
    "real": _same,
    "imag": lambda x: sp.Integer(0),
    "expit": lambda x: 1 / (1 + sp.exp(-x)),
    "logit": lambda p: sp.log(p / (1 - p)),
    "erf": sp.erf,
    "erfc": sp.erfc,
    "gammaln": sp.loggamma,
    "digamma": sp.digamma,
    # ops that are the identity on a scalar
    "astype": _same,
    "sum": _same,
    "mean": _same,
    "prod": _same,
    "max": _same,
    "min": _same,
    "reshape": _same,
    "broadcast_to": _same,
}


class SymbolicBox(Box):
    __slots__ = ()


class SymbolicTrace(Trace):
    """A trace whose boxes carry SymPy expressions: one symbolic evaluation."""

    __slots__ = ()

    def process(self, prim, args, kwargs):
        form = _SYMBOLIC.get(prim.name)
        if form is None:
            raise ValueError(
                f"derive(): chainrule operation '{prim.name}' has no symbolic form; write "
                "the formula as a string instead"
            )
        values = [self._to_sympy(a) for a in args]
        if prim.name == "where":
            values = values[:1] + [_as_number(v) for v in values[1:]]
        elif prim.name not in _LOGICAL:
            values = [_as_number(v) for v in values]
        static = {
            k: v for k, v in kwargs.items() if k not in ("axis", "keepdims", "dtype", "shape")
        }
        return SymbolicBox(form(*values, **static), self)

    def _to_sympy(self, value):
        if isinstance(value, Box):
            if value._trace is not self:
                raise ValueError("derive(): the function mixes in values traced elsewhere")
            return value._value
        return _constant(value)


def _constant(value):
    if value is None:
        return None
    if isinstance(value, sp.Basic):
        return value
    arr = np.asarray(value)
    if arr.size != 1:
        raise ValueError(
            f"derive(): only scalar functions can be written as formulas; got a constant of "
            f"shape {arr.shape}"
        )
    v = arr.item()
    if isinstance(v, bool):
        return sp.true if v else sp.false
    if isinstance(v, numbers.Integral):
        return sp.Integer(v)
    if isinstance(v, float):
        return _float_constant(v)
    if isinstance(v, numbers.Number):
        raise ValueError(f"derive(): the constant {v!r} is not a real number")
    return value  # a static argument (a dtype, a mode name): passed on as given


def _float_constant(v: float) -> sp.Expr:
    """The exact number a float stands for: 2.5 is 5/2, 0.1 is 1/10, np.pi/2 is pi/2,
    np.sqrt(2) is sqrt(2). Always a number whose float is ``v`` itself."""
    if v != v or v in (float("inf"), float("-inf")):
        raise ValueError(f"derive(): the constant {v!r} is not a finite number")
    if v == int(v) and abs(v) < 1e15:
        return sp.Integer(int(v))
    simple = sp.Rational(v).limit_denominator(1000)  # 1/3, 2/7
    if float(simple) == v:
        return simple
    for value, expr in _known_constants():
        if math.isclose(v, value, rel_tol=4e-16):
            return expr
    return sp.Rational(repr(v))  # the shortest decimal that gives v: 0.1 is 1/10


@cache
def _known_constants() -> list:
    """(float, exact form) for small rational multiples of common constants."""
    constants = [sp.pi, sp.E, sp.sqrt(2), sp.sqrt(3), sp.sqrt(sp.pi), sp.sqrt(2 * sp.pi)]
    constants += [sp.log(2), sp.log(10)]
    table = []
    for c in constants:
        for q in range(1, 13):
            for p in range(1, 13):
                if math.gcd(p, q) == 1:
                    for expr in (sp.Rational(p, q) * c, sp.Rational(p, q) / c):
                        table += [(float(expr), expr), (-float(expr), -expr)]
    return table


def expression_of(fun, make_symbol=None) -> sp.Expr:
    """The SymPy expression computed by ``fun`` (a function of scalars written with
    ``chainrule.numpy``); its parameters become real symbols of the same names."""
    make_symbol = make_symbol or (lambda name: sp.Symbol(name, real=True))
    try:
        params = [
            p.name
            for p in inspect.signature(fun).parameters.values()
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty
        ]
    except (TypeError, ValueError):
        params = ["x"]
    if not params:
        raise ValueError("derive(): the function takes no arguments to differentiate by")
    symbols = [make_symbol(name) for name in params]
    with new_trace(SymbolicTrace) as trace:
        try:
            out = fun(*[SymbolicBox(s, trace) for s in symbols])
        except ValueError:
            raise
        except (TypeError, AttributeError, IndexError, NotImplementedError) as exc:
            if "truth value of Relational" in str(exc):
                raise ValueError(
                    "derive(): the function branches on its argument (an `if` or max() on "
                    "a traced value); write the condition with cnp.where(cond, a, b)"
                ) from None
            raise ValueError(
                "derive(): this function can't be read as a scalar formula "
                f"({type(exc).__name__}: {exc}); pass the formula as a string instead"
            ) from None
        if isinstance(out, Box):
            if out._trace is not trace:
                raise ValueError("derive(): the function's result was traced elsewhere")
            return out._value
    return _constant(out)
