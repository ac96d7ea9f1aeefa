"""Memory planning for generated programs: when each intermediate is released, which
elementwise call may write into a dead operand (``out=``), and which broadcasts can
stay views.

An eager computation releases each array as soon as its last name goes away; the
allocator then hands that memory to the next array of its size. A generated function
that kept every intermediate until ``return`` would instead hold them all at once, and
large ones come fresh from the operating system (page faults) on every call: the
batched Hessian of a 100-d function, whose intermediates are 4 MB each, ran twice as
slow as eager for that alone. So the plan

* deletes each variable after the equation that reads it last (:attr:`MemoryPlan.freed`);
* lets a NumPy ufunc write its result into an operand that dies there
  (:attr:`MemoryPlan.reuse`), when that operand is an array the program made itself
  with a ufunc (a fresh array, never a view or an input), only ever read by ufuncs (so
  no view of it is alive), of the result's shape and dtype, and contiguous in the
  order (C or Fortran) that the result had while tracing. The same ufunc loop runs on
  the same values, so the result is bit for bit the eager one, in the eager layout;
* keeps ``broadcast_to`` a read-only view (:attr:`MemoryPlan.views`; its forward copies,
  so that users get writable arrays) where no user sees it: every reader is a ufunc
  whose traced result was in C order, called with ``order="C"``, so that the layout is
  the eager one too.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from chainrule.core.staging import Equation, Program, Var, guard_p


def elementwise_ufunc(eqn: Equation, direct: str | None) -> np.ufunc | None:
    """The NumPy ufunc of one result that ``eqn``'s forward merely calls, if it is one."""
    if direct is None or eqn.xp is not np or eqn.kwargs:
        return None
    fn = getattr(np, direct, None)
    return fn if isinstance(fn, np.ufunc) and fn.nout == 1 else None


class MemoryPlan:
    """``freed[k]``: the variables to delete after equation ``k``; ``reuse[k]``: the
    operand whose buffer equation ``k`` writes into, or ``None``; ``views``: the
    ``broadcast_to`` outputs written as views; ``ordered``: the equations that read one
    and so are called with ``order="C"``."""

    __slots__ = ("freed", "reuse", "views", "ordered")

    def __init__(self, program: Program, directs: list[str | None]):
        eqns = program.eqns
        outputs = {v for v in program.outvars if isinstance(v, Var)}
        ufuncs = [elementwise_ufunc(e, d) is not None for e, d in zip(eqns, directs)]
        readers: dict[Var, list[int]] = {}
        for k, eqn in enumerate(eqns):
            for a in eqn.inputs:
                if isinstance(a, Var):
                    readers.setdefault(a, []).append(k)
        self.freed = _freed(eqns, readers, outputs)
        self.views, self.ordered = _views(eqns, ufuncs, readers, outputs)
        self.reuse = _reuse(eqns, ufuncs, readers, self.freed, self.ordered)


def _array(var: Var) -> bool:
    return var.cls is np.ndarray and var.shape != () and var.layout is not None


def _freed(eqns: list[Equation], readers: dict, outputs: set) -> list[list[Var]]:
    freed: list[list[Var]] = [[] for _ in eqns]
    for var, ks in readers.items():
        if var not in outputs:
            freed[ks[-1]].append(var)
    for k, eqn in enumerate(eqns):
        if eqn.out is not None and eqn.out not in readers and eqn.out not in outputs:
            freed[k].append(eqn.out)  # a result nothing reads
    return [sorted(vs, key=lambda v: v.num) for vs in freed]


def _views(eqns, ufuncs, readers, outputs) -> tuple[set[Var], set[int]]:
    views: set[Var] = set()
    ordered: set[int] = set()
    for eqn in eqns:
        out = eqn.out
        if eqn.prim.name != "broadcast_to" or eqn.xp is not np or out in outputs:
            continue
        ks = readers.get(out, [])
        if ks and all(ufuncs[k] and _array(eqns[k].out) and eqns[k].out.layout == "C" for k in ks):
            views.add(out)
            ordered.update(ks)
    return views, ordered


def _reuse(eqns, ufuncs, readers, freed, ordered) -> list[Any]:
    owned = {
        eqn.out
        for eqn, u in zip(eqns, ufuncs)
        if u
        and _array(eqn.out)
        and all(ufuncs[k] or eqns[k].prim is guard_p for k in readers.get(eqn.out, []))
    }
    reuse: list[Any] = [None] * len(eqns)
    for k, eqn in enumerate(eqns):
        if not ufuncs[k] or not _array(eqn.out):
            continue
        for a in eqn.inputs:
            if (
                a in owned
                and a in freed[k]
                and a.shape == eqn.out.shape
                and a.dtype == eqn.out.dtype
                and a.layout == eqn.out.layout
            ):
                reuse[k] = a
                ordered.discard(k)  # the buffer's layout decides, and it is the eager one
                break
    return reuse
