"""Scalar programs as plain Python float arithmetic.

A program whose inputs are Python floats (or NumPy ``float64`` scalars) and whose every
value is a float64 or boolean scalar pays far more for NumPy's dispatch than for the
arithmetic: ``np.multiply`` on two floats costs ~0.5 µs, ``a * b`` ~20 ns. For such a
program :func:`scalar_source` writes each equation as a Python operator or a ``math``
function. Arithmetic (``+ - * /``, integer powers) is IEEE double arithmetic either
way, so it gives NumPy's bits; ``math``'s transcendental functions (``exp``, ``tanh``
...) may differ from NumPy's own by one unit in the last place. Where Python raises
and NumPy would give inf or NaN with a warning (``1 / 0``, ``math.log(-1)``,
``math.exp(1000)``), the caller runs the NumPy version of the program instead.
Outputs are converted to the type the traced call produced (``np.float64``).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from chainrule.core.staging import Const, Equation, Program, Var, guard_p
from chainrule.core.trace import identity

_BINARY = {
    "add": "+",
    "subtract": "-",
    "multiply": "*",
    "divide": "/",
    "true_divide": "/",
    "equal": "==",
    "not_equal": "!=",
    "less": "<",
    "less_equal": "<=",
    "greater": ">",
    "greater_equal": ">=",
}
_MATH = {
    "exp": "exp",
    "expm1": "expm1",
    "log": "log",
    "log1p": "log1p",
    "sqrt": "sqrt",
    "sin": "sin",
    "cos": "cos",
    "tan": "tan",
    "tanh": "tanh",
    "sinh": "sinh",
    "cosh": "cosh",
    "arctan": "atan",
}
_SCALAR_TYPES = (float, np.float64)
_TYPES = {np.dtype(np.float64), np.dtype(np.bool_)}


def _scalar_var(v: Var) -> bool:
    return v.shape == () and v.dtype is not None and np.dtype(v.dtype) in _TYPES


def _literal(value: Any) -> str | None:
    if isinstance(value, np.ndarray) and value.shape == () and value.dtype in _TYPES:
        value = value[()]  # a 0-d array (a seed cotangent): its scalar, same value
    if isinstance(value, (bool, np.bool_)):
        return repr(bool(value))
    if type(value) is int:
        return repr(value)
    if isinstance(value, (float, np.float64)) and math.isfinite(value):
        return repr(float(value))
    return None


def _operand(a, alias: dict) -> str | None:
    return alias.get(a.name, a.name) if isinstance(a, Var) else _literal(a.value)


def _statement(eqn: Equation, alias: dict) -> str | None:
    """One line of Python for ``eqn``, or ``None`` if it has no scalar form. An
    equation that only copies its input (``x ** 1``) writes no line: ``alias`` maps its
    output to the input's name."""
    if eqn.prim is guard_p:
        # a guard on a flag read as it is: compare it with the value seen while tracing
        expected = _literal(eqn.kwargs["expected"])
        if eqn.kwargs["fn"] is not identity or expected is None or len(eqn.inputs) != 1:
            return None
        x = _operand(eqn.inputs[0], alias)
        return None if x is None else f"if {x} != {expected}: raise _GuardFailure"
    if eqn.kwargs or eqn.out is None or not _scalar_var(eqn.out):
        return None
    args = [_operand(a, alias) for a in eqn.inputs]
    if any(a is None for a in args):
        return None
    name, out = eqn.prim.name, eqn.out.name
    if name in _BINARY and len(args) == 2:
        return f"{out} = {args[0]} {_BINARY[name]} {args[1]}"
    if name in _MATH and len(args) == 1:
        return f"{out} = _{_MATH[name]}({args[0]})"
    if name == "power" and isinstance(eqn.inputs[1], Const):
        y = eqn.inputs[1].value
        if not isinstance(y, (int, float, np.float64)) or not float(y).is_integer():
            return None  # integer powers only (a fractional one of x < 0 is complex)
        if y == 1 and isinstance(eqn.inputs[0], Var):
            alias[out] = args[0]  # x¹ = x exactly: no line, later uses read x
            return ""
        if y == 2:
            return f"{out} = {args[0]} * {args[0]}"  # both correctly rounded: the same
        return f"{out} = {args[0]} ** {args[1]}"
    if name == "negative":
        return f"{out} = -{args[0]}"
    if name == "logical_and":
        if "False" in args:
            return f"{out} = False"
        return f"{out} = bool({args[0]}) and bool({args[1]})"
    if name == "where":
        return f"{out} = {args[1]} if {args[0]} else {args[2]}"
    if name == "safe_mul":  # x * y, but 0 where x is 0 even against an infinite y
        x, y = args
        return f"{out} = {x} * {y}\n    if {out} - {out} != 0.0 and {x} == 0.0: {out} = 0.0"
    return None


def scalar_source(program: Program, name: str) -> str | None:
    """Python source computing ``program`` on floats, or ``None`` if it has no such
    form (see the module docstring)."""
    if not all(_scalar_var(v) and v.cls in _SCALAR_TYPES for v in program.invars):
        return None
    lines = [f"def {name}({', '.join(v.name for v in program.invars)}):"]
    alias: dict[str, str] = {}
    for eqn in program.eqns:
        line = _statement(eqn, alias)
        if line is None:
            return None
        if line:
            lines.append(f"    {line}")
    invars = set(program.invars)
    outs: list[str] = []
    for v in program.outvars:
        if isinstance(v, Const) or v in invars:
            return None  # returned as they are: the NumPy version does that
        if v.cls is np.float64:
            outs.append(f"_float64({alias.get(v.name, v.name)})")
        elif v.cls is np.bool_:
            outs.append(f"_bool({alias.get(v.name, v.name)})")
        else:
            return None
    lines.append(f"    return ({', '.join(outs)}{',' if len(outs) == 1 else ''})")
    return "\n".join(lines) + "\n"


def scalar_globals(guard_failure: type) -> dict:
    """The names the scalar source uses."""
    names = {f"_{fn}": getattr(math, fn) for fn in set(_MATH.values())}
    names.update(_float64=np.float64, _bool=np.bool_, _GuardFailure=guard_failure)
    return names
