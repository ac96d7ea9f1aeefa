"""Batching: the trace behind ``vmap``, whose boxes carry a batch axis.

A :class:`BatchBox` holds a value with one extra axis, the batch axis, at position
``_bdim``; the function being mapped never sees that axis (``x.shape`` leaves it out,
see :func:`chainrule.core.trace.visible_shape`). A value without a batch axis (an
argument mapped with ``in_axes=None``, a constant) is not boxed at all.

When a primitive meets a box of a :class:`BatchTrace`, the trace looks up the
primitive's *batching rule* in :data:`batch_rules`::

    rule(prim, args, dims, kwargs) -> (out, out_dim)

``args`` are the values one level down (boxes of outer traces stay boxes), ``dims``
the batch axis of each (``None``: not batched). The rule returns the batched output and
the position of its batch axis (``None``: the output is the same for every example).
Rules are written with chainrule's own primitives (moving axes, reshaping, calling the
primitive on the whole batch), so outer transforms record them: ``grad(vmap(f))`` and
``vmap(grad(f))`` both work. A multiple-result primitive's output is a tuple whose
members all carry the batch axis at ``out_dim``.

The rules live in the primitives layer (``chainrule.primitives.batching_*``), one per
primitive, looked up by its registry name. The one-off primitives made per call
(``custom_vjp``, ``custom_jvp``, ``checkpoint``) are not registered; they use the rule
registered under :data:`ONE_OFF`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from chainrule.core.primitive import Primitive, registry
from chainrule.core.trace import Box, Trace, box_type, visible_shape

BatchRule = Callable[..., tuple[Any, "int | None"]]

# registry name -> batching rule; filled by chainrule.primitives.batching_*
batch_rules: dict[str, BatchRule] = {}
# the key of the rule for primitives made per call (custom rules, checkpoint)
ONE_OFF = "<one-off primitive>"


class Batched(NamedTuple):
    """An item of a boxed keyword argument (see ``Primitive.boxed_kwargs``) that this
    trace batches, as its rule sees it: the value one level down, and its batch axis."""

    value: Any
    dim: int


def index_part(v: Any) -> Any:
    """An index array as indexing uses it: boxes of the derivative transforms removed
    (an index is not differentiated), the batch boxes of ``vmap`` kept."""
    while isinstance(v, Box) and not isinstance(v, BatchBox):
        v = v._value
    return v


def is_batched(v: Any) -> bool:
    return isinstance(index_part(v), BatchBox)


class BatchBox(Box):
    """A batched value: ``_value`` has the batch axis at position ``_bdim``."""

    __slots__ = ("_bdim",)

    def __init__(self, value, trace: Trace, bdim: int):
        self._value = value
        self._trace = trace
        self._bdim = bdim

    def _visible_shape(self) -> tuple:
        shape = visible_shape(self._value)
        return shape[: self._bdim] + shape[self._bdim + 1 :]


class BatchTrace(Trace):
    """One ``vmap``: every box of this trace has a batch axis of length ``size``."""

    __slots__ = ("size",)

    def __init__(self, level: int, size: int):
        super().__init__(level)
        self.size = size

    def new_input(self, value, bdim: int) -> BatchBox:
        return box_type(BatchBox, value)(value, self, bdim)

    def refuse_concrete(self, what: str) -> None:
        """A batched value has no one truth value: it depends on the example. (The
        conversions to numbers are refused by the box itself, for every trace.)"""
        if what == "bool()":
            raise TypeError(
                "vmap: the truth value of a batched value depends on the example, so Python "
                "control flow (if, while, and, or) can't branch on it inside vmap. Use "
                "cnp.where(cond, a, b) to select per example instead."
            )

    def process(self, prim: Primitive, args: tuple, kwargs: dict) -> Any:
        values: list = []
        dims: list[int | None] = []
        for a in args:
            if isinstance(a, BatchBox) and a._trace is self:
                values.append(a._value)
                dims.append(a._bdim)
            else:
                values.append(a)
                dims.append(None)
        if prim.boxed_kwargs:
            kwargs = dict(kwargs)
            for name in prim.boxed_kwargs:
                if name in kwargs:
                    kwargs[name] = tuple(self._marked(a) for a in kwargs[name])
        key = prim.name if registry.get(prim.name) is prim else ONE_OFF
        rule = batch_rules.get(key)
        if rule is None:
            raise NotImplementedError(f"vmap: primitive '{prim.name}' has no batching rule")
        out, out_dim = rule(prim, values, dims, kwargs)
        if out_dim is None:
            return out
        return box_type(BatchBox, out)(out, self, out_dim)

    def _marked(self, item: Any) -> Any:
        if isinstance(item, BatchBox) and item._trace is self:
            return Batched(index_part(item._value), item._bdim)
        return item
