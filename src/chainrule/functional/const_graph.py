"""autograd's ``const_graph``: record the primitive calls a function makes once, then
replay only those calls on new inputs.

The first call runs the function on a recording trace: each primitive applied to a
recorded value is kept as a step (the record, which arguments are earlier results, the
constants, the keywords); everything that does not depend on the inputs (Python code,
constants, work on the fixed arguments) runs then and only then. Later calls with
inputs of the same shapes and dtypes replay the steps, so a transform inside the
function (``grad`` of an inner function, say) is replayed as the operations it made.
Replayed steps are ordinary primitive calls: an outer ``grad`` differentiates them.

The contract is autograd's: the function's sequence of operations must not depend on
its inputs' values. A Python branch on a recorded value (``if x > 0``) is refused while
recording, since replaying it could take the wrong branch silently; new shapes or dtypes
record again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from chainrule.core.trace import Box, Trace, box_type, new_trace, unbox_all
from chainrule.functional.pytree import tree_flatten, tree_unflatten

__all__ = ["const_graph"]


class _Slot:
    """A reference to the value of input or step ``index`` in a replay."""

    __slots__ = ("index",)

    def __init__(self, index: int):
        self.index = index


class _RecordBox(Box):
    __slots__ = ("_slot",)

    def __init__(self, value: Any, trace: Trace, slot: _Slot):
        self._value = value
        self._trace = trace
        self._slot = slot

    def __bool__(self) -> bool:
        raise TypeError(
            "const_graph: the function branches on a value that depends on its inputs; "
            "a replay could take the other branch, so call the function directly (or "
            "use cnp.where)"
        )


class _RecordTrace(Trace):
    """Runs primitives on the recorded values and keeps each call as a step."""

    __slots__ = ("steps", "count")

    def __init__(self, level: int):
        super().__init__(level)
        self.steps: list[tuple] = []
        self.count = 0

    def new_input(self, value: Any) -> _RecordBox:
        slot = _Slot(self.count)
        self.count += 1
        return box_type(_RecordBox, value)(value, self, slot)

    def process(self, prim, args: tuple, kwargs: dict) -> Any:
        for v in kwargs.values():
            if isinstance(v, Box) and v._trace is self:
                raise TypeError(f"const_graph: {prim.name} got a recorded value as a keyword")
        mine = [isinstance(a, Box) and a._trace is self for a in args]
        vals = [a._value if own else a for a, own in zip(args, mine)]
        ans = prim(*vals, **kwargs)
        spec = tuple(a._slot if own else a for a, own in zip(args, mine))
        self.steps.append((prim, spec, kwargs))
        return self.new_input(ans)


def _signature(leaves: list) -> tuple:
    return tuple((np.shape(unbox_all(x)), np.result_type(unbox_all(x))) for x in leaves)


def const_graph(fun: Callable[..., Any], *args: Any, **kwargs: Any) -> Callable[..., Any]:
    """``fun`` with ``args``/``kwargs`` fixed, as a function of the remaining positional
    arguments that records its operations on the first call and replays them after."""
    recorded: list[tuple] = []  # (input structure, shapes and dtypes, recording)

    def lookup(in_def, signature) -> tuple | None:
        for known_def, known_signature, recording in recorded:
            if known_def == in_def and known_signature == signature:
                return recording
        return None

    def replay_or_record(*inputs: Any) -> Any:
        leaves, in_def = tree_flatten(inputs)
        signature = _signature(leaves)
        recording = lookup(in_def, signature)
        if recording is None:
            steps, outputs, first = _record(fun, args, kwargs, leaves, in_def)
            recorded.append((in_def, signature, (steps, outputs)))
            return tree_unflatten(*first)
        steps, (out_def, out_refs) = recording
        env = list(leaves)
        for prim, spec, kw in steps:
            env.append(prim(*(env[a.index] if isinstance(a, _Slot) else a for a in spec), **kw))
        return tree_unflatten(
            out_def, [env[x.index] if isinstance(x, _Slot) else x for x in out_refs]
        )

    return replay_or_record


def _record(fun, args, kwargs, leaves, in_def) -> tuple:
    """``(steps, (output structure, output slots or constants), first result)``."""
    with new_trace(_RecordTrace) as trace:
        boxes = [trace.new_input(x) for x in leaves]
        out = fun(*args, *tree_unflatten(in_def, boxes), **kwargs)
        out_leaves, out_def = tree_flatten(out)
        mine = [isinstance(x, _RecordBox) and x._trace is trace for x in out_leaves]
        refs = [x._slot if own else x for x, own in zip(out_leaves, mine)]
        values = [x._value if own else x for x, own in zip(out_leaves, mine)]
    return trace.steps, (out_def, refs), (out_def, values)
