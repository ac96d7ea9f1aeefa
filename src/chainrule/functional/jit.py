"""``jit`` and ``make_program``: trace a function once per signature, then replay it.

``make_program(f)(*args)`` runs ``f`` under a staging trace
(:mod:`chainrule.core.staging`) and returns the flat program of primitive calls it
made. ``jit(f)`` keeps one compiled program per *signature* of its arguments: the
pytree structure, each array leaf's type, shape, dtype and memory layout, and the
values of the static arguments. The first call with a new signature traces and
compiles (:mod:`.codegen`); later calls run the generated code, which
calls each primitive's forward on plain arrays with no tracing at all.

Composition:

* ``jit(grad(f))``, ``jit(jvp...)``: the transform runs inside the staging trace, so its
  backward (or tangent) pass is recorded and compiled with the forward.
* ``grad(jit(f))``: called with values traced by another transform (or with
  ``Tensor``s), a jitted function traces through ``f`` inline, as if it were not
  jitted; the outer transform sees ordinary primitive calls.

Python decisions on traced values (``if x > 0:``, ``float(x)``, ``range(n)`` with a
traced ``n``) raise an error naming the line; decisions the library takes on values
internally (an index array, the branch of a rule) are guarded: a call whose values
would have taken another branch runs ``f`` eagerly instead (``fallbacks`` counts them).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from chainrule.core.staging import (
    GuardFailure,
    Program,
    StagingTrace,
    error_state,
    staged_output,
)
from chainrule.core.trace import Box, new_trace
from chainrule.functional.arguments import check_callable
from chainrule.functional.codegen import CompiledProgram, generate, optimize
from chainrule.functional.pytree import TreeDef, tree_flatten, tree_unflatten

__all__ = ["jit", "make_program"]

_SCALARS = (bool, int, float, complex, np.generic)


def _is_array_leaf(x: Any) -> bool:
    return isinstance(x, (np.ndarray, *_SCALARS)) or hasattr(x, "__array_namespace__")


def _leaf_key(x: Any) -> Any:
    """What a compiled program depends on in one dynamic leaf."""
    if isinstance(x, np.ndarray):
        return (np.ndarray, x.shape, x.dtype, x.flags.c_contiguous, x.flags.f_contiguous)
    if isinstance(x, np.generic):
        return (type(x), x.dtype)
    if isinstance(x, _SCALARS):
        return type(x)
    return (type(x), tuple(x.shape), str(x.dtype), str(getattr(x, "device", "")))


def _flat_key(args: tuple) -> tuple | None:
    """The signature of positional NumPy arrays and Python floats, or ``None``."""
    key: list[Any] = []
    for a in args:
        if type(a) is np.ndarray:
            flags = a.flags
            key.append((a.shape, a.dtype, flags.c_contiguous, flags.f_contiguous))
        elif type(a) is float:
            key.append(float)
        else:
            return None
    return tuple(key)


def _tree_key(td: TreeDef) -> Any:
    meta = td.meta
    if isinstance(meta, list):
        meta = tuple(meta)
    return (td.kind, meta, tuple(_tree_key(c) for c in td.children))


def _static_key(value: Any, what: str) -> Any:
    try:
        hash(value)
    except TypeError:
        raise TypeError(
            f"jit: {what} must be hashable to key the cache of compiled programs "
            f"(got {type(value).__name__}); pass it as a tuple or make it dynamic"
        ) from None
    return (type(value), value)


class _Signature:
    """The arguments of one call split into what is traced and what is static."""

    def __init__(self, static_argnums, static_argnames, args, kwargs):
        static_pos = {i if i >= 0 else i + len(args) for i in static_argnums}
        dyn_args = [a for i, a in enumerate(args) if i not in static_pos]
        dyn_kwargs = {k: v for k, v in kwargs.items() if k not in static_argnames}
        self.static_args = {i: args[i] for i in static_pos if i < len(args)}
        self.static_kwargs = {k: kwargs[k] for k in static_argnames if k in kwargs}
        self.nargs = len(args)
        leaves, self.treedef = tree_flatten((dyn_args, dyn_kwargs))
        self.dynamic = [i for i, x in enumerate(leaves) if _is_array_leaf(x)]
        self.leaves = leaves
        dynamic = set(self.dynamic)
        statics = tuple(
            (i, _static_key(x, f"argument leaf {i}"))
            for i, x in enumerate(leaves)
            if i not in dynamic
        )
        static_args = sorted(
            (i, _static_key(v, f"static argument {i}")) for i, v in self.static_args.items()
        )
        static_kwargs = sorted(
            (k, _static_key(v, f"static argument {k!r}")) for k, v in self.static_kwargs.items()
        )
        self.key = (
            _tree_key(self.treedef),
            self.nargs,
            tuple(_leaf_key(leaves[i]) for i in self.dynamic),
            statics,
            tuple(static_args),
            tuple(static_kwargs),
        )

    def rebuild(self, dynamic_values: Sequence) -> tuple[list, dict]:
        leaves = list(self.leaves)
        for i, v in zip(self.dynamic, dynamic_values):
            leaves[i] = v
        dyn_args, dyn_kwargs = tree_unflatten(self.treedef, leaves)
        it = iter(dyn_args)
        static = self.static_args
        args = [static[i] if i in static else next(it) for i in range(self.nargs)]
        return args, {**dyn_kwargs, **self.static_kwargs}


class _Traced:
    """A program and how to rebuild the function's result from its outputs."""

    __slots__ = ("program", "out_tree")

    def __init__(self, program: Program, out_tree: TreeDef):
        self.program = program
        self.out_tree = out_tree


def _trace(fun: Callable, sig: _Signature) -> _Traced:
    with new_trace(StagingTrace) as trace:
        boxes = [trace.new_input(sig.leaves[i]) for i in sig.dynamic]
        args, kwargs = sig.rebuild(boxes)
        out = fun(*args, **kwargs)
        out_leaves, out_tree = tree_flatten(out)
        outvars = [staged_output(trace, x) for x in out_leaves]
    invars = [b._var for b in boxes]
    return _Traced(Program(invars, trace.eqns, outvars), out_tree)


def _check_static(static_argnums, static_argnames) -> tuple[tuple[int, ...], tuple[str, ...]]:
    nums = (static_argnums,) if isinstance(static_argnums, int) else tuple(static_argnums)
    names = (static_argnames,) if isinstance(static_argnames, str) else tuple(static_argnames)
    for n in nums:
        if not isinstance(n, int):
            raise TypeError(f"jit: static_argnums must be ints, got {n!r}")
    return nums, names


def _has_box(sig: _Signature) -> bool:
    return any(isinstance(x, Box) for x in sig.leaves) or any(
        isinstance(x, Box) for x in (*sig.static_args.values(), *sig.static_kwargs.values())
    )


class JittedFunction:
    """``fun``, traced and compiled once per argument signature (see :func:`jit`)."""

    def __init__(self, fun: Callable, static_argnums, static_argnames, exact: bool):
        check_callable(fun, "jit")
        self.fun = fun
        self.exact = exact
        self.static_argnums, self.static_argnames = _check_static(static_argnums, static_argnames)
        self._cache: dict[Any, tuple[_Traced, CompiledProgram]] = {}
        self._flat_cache: dict[Any, tuple[_Traced, CompiledProgram]] = {}
        self.fallbacks = 0  # calls run eagerly because a guard failed
        functools.update_wrapper(self, fun)

    def _signature(self, args, kwargs) -> _Signature:
        return _Signature(self.static_argnums, self.static_argnames, args, kwargs)

    def _compiled(self, sig: _Signature) -> tuple[_Traced, CompiledProgram]:
        entry = self._cache.get(sig.key)
        if entry is None:
            errstate = error_state(np)
            traced = _trace(self.fun, sig)
            name = getattr(self.fun, "__name__", "program")
            name = name if name.isidentifier() else "program"
            program = optimize(traced.program)
            entry = (traced, generate(program, name, scalar=not self.exact, errstate=errstate))
            self._cache[sig.key] = entry
        return entry

    def __call__(self, *args, **kwargs):
        # the common call, positional arrays and floats only, skips the pytree machinery
        flat = None if kwargs or self.static_argnums else _flat_key(args)
        entry = self._flat_cache.get(flat) if flat is not None else None
        inputs = args
        if entry is None:
            sig = self._signature(args, kwargs)
            if _has_box(sig):  # under another transform: trace through fun inline
                return self.fun(*args, **kwargs)
            entry = self._compiled(sig)
            if flat is not None:
                self._flat_cache[flat] = entry
            inputs = tuple(sig.leaves[i] for i in sig.dynamic)
        traced, compiled = entry
        try:
            outs = compiled.fn(*inputs)
        except GuardFailure:
            self.fallbacks += 1
            return self.fun(*args, **kwargs)
        if traced.out_tree.kind == "leaf":
            return outs[0]
        return tree_unflatten(traced.out_tree, outs)

    def program(self, *args, **kwargs) -> Program:
        """The optimised program that calls with these arguments run."""
        return self._compiled(self._signature(args, kwargs))[1].program

    def source(self, *args, **kwargs) -> str:
        """The generated Python source that calls with these arguments run."""
        return self._compiled(self._signature(args, kwargs))[1].source

    def cache_size(self) -> int:
        """How many signatures have been traced and compiled."""
        return len(self._cache)

    def __repr__(self) -> str:
        return f"<jit of {getattr(self.fun, '__qualname__', self.fun)!r}>"


def jit(
    fun: Callable,
    static_argnums: int | Sequence[int] = (),
    static_argnames: str | Sequence[str] = (),
    *,
    exact: bool = False,
) -> JittedFunction:
    """``fun`` traced once per argument signature and replayed as generated code.

    The signature is the pytree structure of the arguments, the type, shape, dtype and
    memory layout of every array leaf, and the value of every static argument
    (``static_argnums`` / ``static_argnames``, which must be hashable; they may steer
    Python control flow). Non-numeric leaves (strings, ``None``) are static too.

    The compiled code calls each primitive's NumPy forward as an eager call would, so
    results are the eager ones bit for bit; except that a program on Python float
    scalars runs as Python float arithmetic and the ``math`` module (tens of times
    faster), where ``exp``, ``tanh`` ... may differ from NumPy's in the last bit.
    ``exact=True`` keeps NumPy's calls there too.
    """
    return JittedFunction(fun, static_argnums, static_argnames, exact)


def make_program(
    fun: Callable,
    static_argnums: int | Sequence[int] = (),
    static_argnames: str | Sequence[str] = (),
    optimized: bool = False,
) -> Callable[..., Program]:
    """``make_program(f)(*args)``: the program that ``f`` runs on arguments like these,
    as traced (or after ``jit``'s passes, with ``optimized=True``)."""
    check_callable(fun, "make_program")
    nums, names = _check_static(static_argnums, static_argnames)

    def staged(*args, **kwargs) -> Program:
        sig = _Signature(nums, names, args, kwargs)
        program = _trace(fun, sig).program
        return optimize(program) if optimized else program

    return staged
