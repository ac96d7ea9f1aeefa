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
import numbers

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


def _where(cond, x, y):
    return sp.Piecewise((x, cond), (y, True))


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
    if isinstance(v, float) and v == int(v) and abs(v) < 1e15:
        return sp.Integer(int(v))
    return sp.nsimplify(v, rational=True) if isinstance(v, float) else sp.sympify(v)


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
            raise ValueError(
                "derive(): this function can't be read as a scalar formula "
                f"({type(exc).__name__}: {exc}); pass the formula as a string instead"
            ) from None
        if isinstance(out, Box):
            if out._trace is not trace:
                raise ValueError("derive(): the function's result was traced elsewhere")
            return out._value
    return _constant(out)
