"""Staging: record a function as a flat program of primitive calls instead of running it.

A :class:`StagingTrace` is a trace like reverse or forward mode, but what it records is
the computation itself. Each input becomes a :class:`Var`; every primitive applied to
a staged value runs once on the concrete values (so shapes, dtypes and every Python
decision on them are known) and is written down as an :class:`Equation`: the record,
its inputs (variables or constants), its static keyword arguments and its output
variable. The result is a :class:`Program` (the IR that ``chainrule.make_program``
prints and ``chainrule.jit`` compiles).

Because derivative rules are written with chainrule's own ops, a transform running
*inside* the staging trace (``jit(grad(f))``) has its backward pass recorded too: the
program of a gradient is the forward and the backward sweep as one straight line.

What a program cannot hold is a Python decision taken on a staged *value*
(``if x > 0:``, ``float(x)``): replaying the program would silently repeat the branch
taken at tracing time. Boxes therefore ask every trace under them
(:meth:`~chainrule.core.trace.Trace.refuse_concrete`) before handing out a Python
value, and a staging trace refuses with the line of user code that asked.
"""

from __future__ import annotations

import keyword
import re
from typing import Any

from chainrule.core import anomaly
from chainrule.core.backend import array_namespace
from chainrule.core.primitive import Primitive
from chainrule.core.trace import Box, Trace, box_type


class ConcretizationError(TypeError):
    """A Python value was asked of a staged value (``bool(x)``, ``float(x)``, ...)."""


class GuardFailure(Exception):
    """A replayed program met a value on which tracing took a different decision."""


def _same(xp, x, expected) -> bool:
    if isinstance(expected, tuple):
        return (
            isinstance(x, tuple)
            and len(x) == len(expected)
            and all(_same(xp, a, b) for a, b in zip(x, expected))
        )
    return x is expected or (
        type(x) is type(expected)
        and getattr(x, "shape", ()) == getattr(expected, "shape", ())
        and getattr(x, "dtype", None) == getattr(expected, "dtype", None)
        and bool(xp.all(x == expected))
    )


def _guard_impl(xp, *values, fn, expected):
    if not _same(xp, fn(*values), expected):
        raise GuardFailure
    return None


# A check, not an operation: ``fn`` of the values, which the library read while
# tracing to take a decision (an index array, a rule's mask), must give what it gave
# then. Not in the registry: it is the staging machinery's own, never user-called.
guard_p = Primitive("guard", _guard_impl)


class Var:
    """A value of a program: its number, shape and dtype (the 'abstract value')."""

    __slots__ = ("num", "shape", "dtype", "kind", "cls", "layout")

    def __init__(self, num: int, value: Any):
        self.num = num
        self.cls = type(value)  # the Python type of the value while tracing
        if isinstance(value, tuple):  # the output of a multiple-result primitive
            self.kind, self.shape, self.dtype = "tuple", (len(value),), None
        else:
            self.kind = "array"
            self.shape = tuple(getattr(value, "shape", ()))
            self.dtype = getattr(value, "dtype", None) or _PYTHON_TYPES.get(type(value))
        # "C" or "F" for a contiguous array while tracing, else None (NumPy's layouts
        # follow the inputs' layouts, part of a jitted function's signature: a replay
        # has the same ones)
        flags = getattr(value, "flags", None)
        c_order, f_order = (flags.c_contiguous, flags.f_contiguous) if flags else (0, 0)
        self.layout = "C" if c_order else "F" if f_order else None

    @property
    def name(self) -> str:
        """``a`` ... ``z``, then ``ba``, ``bb`` ... (base 26, as jaxprs do)."""
        n, out = self.num, ""
        while True:
            out = chr(ord("a") + n % 26) + out
            n //= 26
            if not n:
                return out + "_" if keyword.iskeyword(out) else out  # as_, if_, in_ ...

    def type_str(self) -> str:
        if self.kind == "tuple":
            return f"tuple[{self.shape[0]}]"
        return type_str(self.shape, self.dtype)

    def __repr__(self) -> str:
        return f"{self.name}:{self.type_str()}"


# the dtype a Python number takes in an operation with no array (NumPy's defaults)
_PYTHON_TYPES = {bool: "bool", int: "int64", float: "float64", complex: "complex128"}


def type_str(shape: tuple, dtype: Any) -> str:
    """``f64[3,2]``: the dtype in short (float64 -> f64, int32 -> i32, uint8 -> u8)."""
    short = re.sub(r"^(u?)(int|float|complex)", lambda m: m[1] or m[2][0], str(dtype))
    return f"{short}[{','.join(map(str, shape))}]"


class Const:
    """A constant input of an equation (a Python number, or an array made outside)."""

    __slots__ = ("value",)

    def __init__(self, value: Any):
        self.value = value

    def __repr__(self) -> str:
        v = self.value
        if isinstance(v, (int, float, complex, bool)) or v is None:
            return repr(v)
        if getattr(v, "shape", None) == () and hasattr(v, "item"):  # a NumPy scalar
            return repr(v.item())
        if hasattr(v, "shape") and hasattr(v, "dtype"):
            return f"const:{type_str(v.shape, v.dtype)}"
        return _short(v)


class Equation:
    """``outvar = prim(*inputs, **kwargs)``, evaluated in namespace ``xp``, under the
    floating-point error settings ``errstate`` (``xp.geterr()`` while tracing: the
    backward pass silences NumPy's warnings, and a replay must too)."""

    __slots__ = ("prim", "inputs", "kwargs", "out", "xp", "errstate")

    def __init__(
        self,
        prim: Primitive,
        inputs: list,
        kwargs: dict,
        out: Var | None,
        xp: Any,
        errstate: tuple | None = None,
    ):
        self.prim = prim
        self.inputs = inputs
        self.kwargs = kwargs
        self.out = out
        self.xp = xp
        self.errstate = errstate

    def replace(self, inputs: list) -> Equation:
        """The same equation on other inputs."""
        return Equation(self.prim, inputs, self.kwargs, self.out, self.xp, self.errstate)

    def __str__(self) -> str:
        args = " ".join(repr(a) if isinstance(a, Const) else a.name for a in self.inputs)
        params = "".join(f" {k}={_short(v)}" for k, v in self.kwargs.items())
        if self.out is None:
            return f"{self.prim.name}{params} {args}"
        return f"{self.out!r} = {self.prim.name}{params} {args}"


def _short(v: Any) -> str:
    if callable(v) and hasattr(v, "__name__"):  # a branch of cond, a guard's check
        return f"<{v.__name__}>"
    if hasattr(v, "shape") and hasattr(v, "dtype") and len(v.shape) > 0:
        return f"const:{type_str(v.shape, v.dtype)}"
    text = repr(v)
    return text if len(text) <= 40 else text[:37] + "..."


class Program:
    """A flat program: input variables, equations in order, outputs (variables or
    constants). ``str()`` prints it as ``{ lambda ; a:f64[3]. let b = sin a in (b) }``."""

    __slots__ = ("invars", "eqns", "outvars")

    def __init__(self, invars: list[Var], eqns: list[Equation], outvars: list):
        self.invars = invars
        self.eqns = eqns
        self.outvars = outvars

    def __str__(self) -> str:
        head = " ".join(map(repr, self.invars))
        outs = ", ".join(repr(v) if isinstance(v, Const) else v.name for v in self.outvars)
        if not self.eqns:
            return f"{{ lambda ; {head}. let in ({outs}) }}"
        body = "\n    ".join(map(str, self.eqns))
        return f"{{ lambda ; {head}. let\n    {body}\n  in ({outs}) }}"

    __repr__ = __str__


class StagingBox(Box):
    __slots__ = ("_var",)

    def __init__(self, value, trace: Trace, var: Var):
        self._value = value
        self._trace = trace
        self._var = var


class StagingTrace(Trace):
    """Records every primitive applied to its boxes as an :class:`Equation`."""

    __slots__ = ("eqns", "_count")

    def __init__(self, level: int):
        super().__init__(level)
        self.eqns: list[Equation] = []
        self._count = 0

    def new_var(self, value) -> Var:
        var = Var(self._count, value)
        self._count += 1
        return var

    def new_input(self, value) -> StagingBox:
        return box_type(StagingBox, value)(value, self, self.new_var(value))

    def process(self, prim, args, kwargs):
        vals = list(args)
        inputs: list = []
        for i, a in enumerate(args):
            if isinstance(a, StagingBox) and a._trace is self:
                vals[i] = a._value
                inputs.append(a._var)
            elif isinstance(a, Box):
                raise _closure_error(prim)
            else:
                inputs.append(Const(a))
        for v in kwargs.values():
            if isinstance(v, Box):
                raise _closure_error(prim)
        ans = prim(*vals, **kwargs)
        if isinstance(ans, Box):  # an outer transform's box: the function closed over it
            raise _closure_error(prim)
        xp = array_namespace(vals, prim.name)
        var = self.new_var(ans)
        self.eqns.append(Equation(prim, inputs, dict(kwargs), var, xp, error_state(xp)))
        return box_type(StagingBox, ans)(ans, self, var)

    def note_concrete(self, fn, xs: tuple, result) -> None:
        inputs: list = []
        values = []
        for x in xs:
            while isinstance(x, Box) and x._trace is not self:
                x = x._value
            if isinstance(x, StagingBox):
                inputs.append(x._var)
                values.append(x._value)
            else:
                inputs.append(Const(x))
                values.append(x)
        expected = result.copy() if hasattr(result, "copy") else result
        xp = array_namespace(tuple(values), "guard")
        kwargs = {"fn": fn, "expected": expected}
        self.eqns.append(Equation(guard_p, inputs, kwargs, None, xp))

    def refuse_concrete(self, what: str) -> None:
        raise ConcretizationError(
            f"{what} of a traced value inside a jitted function, at {anomaly.user_line()}: "
            "the program would bake in the value seen while tracing. Use "
            "cnp.where(cond, a, b) for a value-dependent choice, or make the argument "
            "static (static_argnums / static_argnames)."
        )


def error_state(xp: Any) -> tuple | None:
    """The namespace's floating-point error settings (NumPy's ``geterr``), if it has any."""
    geterr = getattr(xp, "geterr", None)
    return tuple(sorted(geterr().items())) if geterr is not None else None


def _closure_error(prim: Primitive) -> TypeError:
    return TypeError(
        f"jit: {prim.name} at {anomaly.user_line()} uses a value traced by a transform "
        "outside the jitted function (a closure over it). Pass it to the jitted function "
        "as an argument instead."
    )


def staged_output(trace: StagingTrace, x: Any) -> Var | Const:
    """The program output for a result of the traced function."""
    if isinstance(x, StagingBox) and x._trace is trace:
        return x._var
    if isinstance(x, Box):
        raise TypeError(
            "jit: the function returned a value traced by a transform outside it "
            "(a closure over it); pass that value as an argument instead"
        )
    return Const(x)
