"""From a staged :class:`~chainrule.core.staging.Program` to a plain Python function.

Three passes clean the program, then :func:`generate` writes it out as straight-line
Python source, one line per equation, each calling the primitive's forward
(``record.impl(xp, ...)``) exactly as an eager call would, so the results are the
eager ones bit for bit:

* common subexpressions: an equation with the same record, inputs and keyword
  arguments as an earlier one reuses its output;
* constant folding: an equation whose inputs are all constants is evaluated once, here
  (tracing already evaluates most of these: an operation on constants alone never
  reaches the trace), and so is ``x and False``, which rules use to build masks; a
  guard on constants alone is checked here and dropped;
* dead code: equations whose outputs no result needs are dropped (guards are kept:
  they are checks, see :mod:`chainrule.core.staging`).

The source is kept (``CompiledProgram.source``): a learner can read the forward and
backward pass of their function as the code that actually runs.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from chainrule.core.staging import Const, Equation, GuardFailure, Program, Var, guard_p
from chainrule.functional.codegen_memory import MemoryPlan
from chainrule.functional.codegen_scalar import scalar_globals, scalar_source


# -- passes -------------------------------------------------------------------------------
def _const_key(value: Any) -> Any:
    """A key under which equal constants compare equal (by value for Python and NumPy
    scalars, with the type so that 1, 1.0, True and -0.0 stay apart; by identity for
    arrays)."""
    if isinstance(value, (bool, int, float, complex, str, np.generic)) or value is None:
        return (type(value), repr(value))
    return ("id", id(value))


def _kwargs_key(kwargs: dict) -> Any:
    try:
        key = tuple(sorted((k, _static_key(v)) for k, v in kwargs.items()))
        hash(key)
    except TypeError:
        return None
    return key


def _static_key(v: Any) -> Any:
    if isinstance(v, (tuple, list)):
        return (type(v), tuple(_static_key(x) for x in v))
    if isinstance(v, np.ndarray):
        return ("id", id(v))
    return (type(v), v)


def eliminate_common(program: Program) -> Program:
    """Share the output of equations that repeat an earlier one, and check a repeated
    guard once (same check of the same values: it gave the same result while tracing)."""
    seen: dict[Any, Var] = {}
    rename: dict[Var, Var] = {}
    guards: set[Any] = set()
    eqns = []
    for eqn in program.eqns:
        inputs = [rename.get(a, a) if isinstance(a, Var) else a for a in eqn.inputs]
        eqn = eqn.replace(inputs)
        ins = tuple(("v", a.num) if isinstance(a, Var) else _const_key(a.value) for a in inputs)
        if eqn.prim is guard_p:
            check = (id(eqn.kwargs["fn"]), ins, id(eqn.xp))
            if check in guards:
                continue
            guards.add(check)
        kw = _kwargs_key(eqn.kwargs)
        if eqn.out is not None and kw is not None:
            key = (id(eqn.prim), ins, kw, id(eqn.xp))
            earlier = seen.get(key)
            if earlier is not None:
                rename[eqn.out] = earlier
                continue
            seen[key] = eqn.out
        eqns.append(eqn)
    outs = [rename.get(v, v) if isinstance(v, Var) else v for v in program.outvars]
    return Program(program.invars, eqns, outs)


# An operand that fixes the result whatever the other one is (``x and False``), for the
# masks that rules build from one traced and one constant flag.
_ABSORBING = {"logical_and": False, "logical_or": True}


def _absorbed(eqn: Equation, inputs: list, outputs: set) -> Const | None:
    """The constant result of ``x and False`` / ``x or True``; an array one only where
    it is not a result of the program (a caller could modify a shared array)."""
    flag = _ABSORBING.get(eqn.prim.name)
    out = eqn.out
    if flag is None or out is None or eqn.kwargs or out.dtype != np.bool_:
        return None
    if out.shape != () and out in outputs:
        return None
    for a in inputs:
        if isinstance(a, Const) and isinstance(a.value, (bool, np.bool_)) and a.value == flag:
            return Const(np.bool_(flag) if out.shape == () else np.full(out.shape, flag))
    return None


def _guard_holds(eqn: Equation, inputs: list) -> bool:
    """A guard on constants alone is checked once, here."""
    try:
        eqn.prim.impl(eqn.xp, *(a.value for a in inputs), **eqn.kwargs)
    except GuardFailure:
        return False
    return True


def fold_constants(program: Program) -> Program:
    """Evaluate the equations whose inputs are all constants (and ``x and False``)."""
    values: dict[Var, Const] = {}
    outputs = {v for v in program.outvars if isinstance(v, Var)}
    eqns = []
    for eqn in program.eqns:
        inputs: list[Any] = [values.get(a, a) if isinstance(a, Var) else a for a in eqn.inputs]
        constant = all(isinstance(a, Const) for a in inputs)
        if eqn.out is None and constant and _guard_holds(eqn, inputs):
            continue
        if eqn.out is not None and constant:
            values[eqn.out] = Const(eqn.prim.impl(eqn.xp, *(a.value for a in inputs), **eqn.kwargs))
            continue
        absorbed = _absorbed(eqn, inputs, outputs)
        if absorbed is not None and eqn.out is not None:
            values[eqn.out] = absorbed
            continue
        eqns.append(eqn.replace(inputs))
    outs = [values.get(v, v) if isinstance(v, Var) else v for v in program.outvars]
    return Program(program.invars, eqns, outs)


def eliminate_dead(program: Program) -> Program:
    """Drop the equations no output depends on (guards always stay)."""
    live = {v for v in program.outvars if isinstance(v, Var)}
    kept = []
    for eqn in reversed(program.eqns):
        if eqn.prim is guard_p or eqn.out in live:
            kept.append(eqn)
            live.update(a for a in eqn.inputs if isinstance(a, Var))
    kept.reverse()
    return Program(program.invars, kept, program.outvars)


def optimize(program: Program) -> Program:
    return eliminate_dead(fold_constants(eliminate_common(program)))


# -- code generation ----------------------------------------------------------------------
class CompiledProgram:
    """The generated function (``fn(*inputs) -> tuple of outputs``) and its source (the
    scalar version's, where that is what runs first)."""

    __slots__ = ("fn", "source", "program")

    def __init__(self, fn, source: str, program: Program):
        self.fn = fn
        self.source = source
        self.program = program


def _literal(value: Any) -> str | None:
    """Python source for ``value`` if it reads back as an equal object of the same type."""
    if value is None or isinstance(value, (bool, str)):
        return repr(value)
    if type(value) is int:
        return repr(value)
    if type(value) is float and math.isfinite(value):
        return repr(value)
    if type(value) is tuple and all(_literal(v) is not None for v in value):
        inner = ", ".join(_literal(v) for v in value)  # type: ignore[misc]
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    return None


class _Names:
    """The generated module's global names: forwards, namespaces and constants."""

    def __init__(self):
        self.globals: dict[str, Any] = {}
        self._by_id: dict[int, str] = {}

    def bind(self, obj: Any, stem: str) -> str:
        name = self._by_id.get(id(obj))
        if name is not None:
            return name
        name = f"_{stem}"
        k = 1
        while name in self.globals:
            name = f"_{stem}{k}"
            k += 1
        self.globals[name] = obj
        self._by_id[id(obj)] = name
        return name

    def value(self, value: Any) -> str:
        text = _literal(value)
        return text if text is not None else self.bind(value, "c")


class _Probe:
    """A stand-in array namespace that records the calls a forward makes on it."""

    def __init__(self):
        self.calls: list = []

    def __getattr__(self, name: str):
        def record(*args, **kwargs):
            self.calls.append((name, args, kwargs))
            return _Probe

        return record


def direct_call(eqn: Equation) -> str | None:
    """The name of the namespace function that ``eqn``'s forward merely forwards to
    (``lambda xp, x, y: xp.multiply(x, y)``), so the code can call it without the
    wrapper; ``None`` when the forward does anything else."""
    probe = _Probe()
    markers = [object() for _ in eqn.inputs]
    try:
        out = eqn.prim.impl(probe, *markers, **eqn.kwargs)
    except Exception:  # the forward looked at its inputs: not a plain forwarder
        return None
    if out is not _Probe or len(probe.calls) != 1:
        return None
    name, args, kwargs = probe.calls[0]
    same_args = len(args) == len(markers) and all(a is m for a, m in zip(args, markers))
    if not same_args or kwargs.keys() != eqn.kwargs.keys():
        return None
    if any(kwargs[k] is not v for k, v in eqn.kwargs.items()):
        return None
    return name if callable(getattr(eqn.xp, name, None)) else None


def _call(eqn: Equation, direct, names: _Names, operand, plan: MemoryPlan, k: int) -> str:
    """The source of equation ``k``'s call (see :mod:`.codegen_memory` for ``out=``, the
    views and ``order``)."""
    if eqn.out in plan.views:
        direct = "broadcast_to"  # the view that the forward copies
    if direct is not None:
        fn = names.bind(getattr(eqn.xp, direct), f"{_module_name(eqn.xp)}_{direct}")
        args = [operand(a) for a in eqn.inputs]
    else:
        fn = names.bind(eqn.prim.impl, eqn.prim.name)
        args = [names.bind(eqn.xp, _module_name(eqn.xp))] + [operand(a) for a in eqn.inputs]
    args += [f"{key}={names.value(v)}" for key, v in eqn.kwargs.items()]
    if plan.reuse[k] is not None:
        args.append(f"out={plan.reuse[k].name}")
    elif k in plan.ordered:
        args.append("order='C'")
    return f"{fn}({', '.join(args)})"


def _module_name(xp: Any) -> str:
    return getattr(xp, "__name__", "xp").split(".")[0]


def generate(
    program: Program, name: str = "program", scalar: bool = True, errstate: tuple | None = None
) -> CompiledProgram:
    """Write ``program`` as a Python function and compile it. With ``scalar``, a
    program on float scalars runs as Python float arithmetic first (see
    :mod:`.codegen_scalar`), and as NumPy calls where Python raises. Equations traced
    under other floating-point error settings than ``errstate`` (those in effect when
    tracing began: the backward pass silences NumPy's warnings) run in a
    ``with np.errstate(...)`` block of their settings, as they did eagerly."""
    names = _Names()

    def operand(a) -> str:
        return a.name if isinstance(a, Var) else names.value(a.value)

    lines = [f"def {name}({', '.join(v.name for v in program.invars)}):"]
    block = None
    directs = [direct_call(eqn) for eqn in program.eqns]
    plan = MemoryPlan(program, directs)
    for k, eqn in enumerate(program.eqns):
        wanted = eqn.errstate if eqn.errstate not in (None, errstate) else None
        if wanted != block:
            block = wanted
            if block is not None:
                settings = ", ".join(f"{k}={v!r}" for k, v in block)
                lines.append(f"    with {names.bind(np.errstate, 'errstate')}({settings}):")
        indent = "        " if block is not None else "    "
        call = _call(eqn, directs[k], names, operand, plan, k)
        lines.append(indent + (call if eqn.out is None else f"{eqn.out.name} = {call}"))
        if plan.freed[k]:
            lines.append(indent + f"del {', '.join(v.name for v in plan.freed[k])}")
    outs = [operand(v) for v in program.outvars]
    lines.append(f"    return ({', '.join(outs)}{',' if len(outs) == 1 else ''})")
    source = "\n".join(lines) + "\n"
    fn = _compile(source, name, names.globals)
    fast_source = scalar_source(program, name) if scalar else None
    if fast_source is None:
        return CompiledProgram(fn, source, program)
    fast = _compile(fast_source, name, scalar_globals(GuardFailure))

    def run(*args):
        try:
            return fast(*args)
        except (ArithmeticError, ValueError):  # 1 / 0, log(-1): NumPy's inf and NaN
            return fn(*args)

    return CompiledProgram(run, fast_source, program)


def _compile(source: str, name: str, names: dict):
    namespace = dict(names)
    exec(compile(source, f"<chainrule.jit {name}>", "exec"), namespace)  # noqa: S102
    return namespace[name]
