"""``vmap``: a function of one example, mapped over a batch without a Python loop.

``vmap(f, in_axes, out_axes)`` opens a :class:`~chainrule.core.batching.BatchTrace`;
each mapped input leaf becomes a box whose value keeps its batch axis, and every
primitive ``f`` applies runs once on the whole batch through its batching rule
(``chainrule.primitives.batching``). Inside ``f`` a batched value looks like one
example (``x.shape`` leaves the batch axis out). The semantics are JAX's:

* ``in_axes``: an int (the batch axis of every argument), ``None`` (not mapped), or a
  tuple with one entry per positional argument, each an int, ``None`` or a pytree that
  matches the argument's structure down to where it gives an int or ``None``. Negative
  axes count from the end. Keyword arguments are mapped along their axis 0.
* ``out_axes``: the same for the output: where each output leaf gets its batch axis;
  ``None`` only for outputs that do not depend on the mapped inputs.
* Every mapped leaf must have the same size along its batch axis.

``vmap`` nests (``vmap(vmap(f))``) and composes with the derivative transforms both
ways: ``vmap(grad(f))`` gives per-example gradients, ``grad`` of a function calling
``vmap`` differentiates through the batched computation.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable
from typing import Any

import numpy as np

import chainrule.numpy as cnp
from chainrule.core.batching import BatchBox, BatchTrace
from chainrule.core.trace import new_trace, visible_shape
from chainrule.functional.arguments import check_callable
from chainrule.functional.pytree import TreeDef, tree_flatten, tree_unflatten

__all__ = ["vmap"]

_SEQUENCES = ("tuple", "list", "namedtuple")
_DICTS = ("dict", "odict", "ddict")


def _dict_keys(td: TreeDef) -> tuple:
    return td.meta[1] if td.kind == "ddict" else td.meta


def _leaf_axes(spec: Any, td: TreeDef, where: str, what: str) -> list:
    """The axis of each leaf of a tree of structure ``td``, from ``spec``: an int or
    ``None`` for the whole subtree, or a container matching ``td``'s next level."""
    if spec is None or isinstance(spec, (int, np.integer)) and not isinstance(spec, bool):
        return [spec] * td.num_leaves
    if td.kind in _SEQUENCES and isinstance(spec, (tuple, list)):
        if len(spec) == len(td.children):
            return [a for s, c in zip(spec, td.children) for a in _leaf_axes(s, c, where, what)]
    elif td.kind in _DICTS and isinstance(spec, dict):
        keys = _dict_keys(td)
        if set(spec) == set(keys):
            return [
                a for k, c in zip(keys, td.children) for a in _leaf_axes(spec[k], c, where, what)
            ]
    raise ValueError(
        f"vmap: {what} {spec!r} for {where} does not match its structure {td}: give an "
        "int, None, or a container of the same kind and length (keys) as the value"
    )


def _in_leaf_axes(in_axes: Any, args: tuple, kwargs: dict) -> tuple[list, TreeDef, list, list]:
    """``(leaves, treedef, axes, names)`` of ``(args, kwargs)``: each leaf's batch axis
    (or ``None``) and a name for it in errors."""
    if isinstance(in_axes, (tuple, list)):
        if len(in_axes) != len(args):
            raise ValueError(
                f"vmap: in_axes has {len(in_axes)} entries but the function was called with "
                f"{len(args)} positional arguments; give one entry per argument"
            )
        per_arg = list(in_axes)
    elif in_axes is None or isinstance(in_axes, (int, np.integer)):
        per_arg = [in_axes] * len(args)
    else:
        raise TypeError(
            f"vmap: in_axes must be an int, None, or a tuple with one entry per "
            f"positional argument, got {type(in_axes).__name__}"
        )
    axes, names = [], []
    for i, (arg, spec) in enumerate(zip(args, per_arg)):
        td = tree_flatten(arg)[1]
        axes += _leaf_axes(spec, td, f"argument {i}", "in_axes")
        names += [f"argument {i}" + (f" (leaf {k})" if td.kind != "leaf" else "")
                  for k in range(td.num_leaves)]  # fmt: skip
    for key in sorted(kwargs):
        n = tree_flatten(kwargs[key])[1].num_leaves
        axes += [0] * n
        names += [f"keyword argument {key!r}"] * n
    leaves, treedef = tree_flatten((tuple(args), kwargs))
    return leaves, treedef, axes, names


def _batch_size(leaves: list, axes: list, names: list) -> tuple[int, list]:
    """The common batch size, and each mapped leaf's axis made non-negative."""
    sizes: list[tuple[str, int]] = []
    fixed: list[int | None] = []
    for leaf, axis, name in zip(leaves, axes, names):
        if axis is None:
            fixed.append(None)
            continue
        shape = visible_shape(leaf)
        axis = operator.index(axis)
        if not -len(shape) <= axis < len(shape):
            raise ValueError(
                f"vmap: in_axes {axis} for {name} is out of range: it has shape {shape}"
            )
        fixed.append(axis % len(shape))
        sizes.append((name, shape[axis % len(shape)]))
    if not sizes:
        raise ValueError("vmap: in_axes maps no argument (all None); map at least one")
    if len({s for _, s in sizes}) > 1:
        listed = ", ".join(f"{name}: {s}" for name, s in sizes)
        raise ValueError(f"vmap: the mapped arguments have different batch sizes ({listed})")
    return sizes[0][1], fixed


def _output(leaf: Any, axis: Any, trace: BatchTrace, k: int) -> Any:
    """Output leaf ``k`` with its batch axis at ``axis`` (or none, for ``None``)."""
    batched = isinstance(leaf, BatchBox) and leaf._trace is trace
    if axis is None:
        if batched:
            raise ValueError(
                f"vmap: out_axes is None for output leaf {k}, but that output depends on "
                "the mapped inputs (it has a batch axis); give it an int out_axes"
            )
        return leaf
    axis = operator.index(axis)
    if batched:
        value, src = leaf._value, leaf._bdim
    else:  # the same for every example: repeat it along a new axis
        value = cnp.expand_dims(leaf, 0)
        shape = visible_shape(value)
        value, src = cnp.broadcast_to(value, (trace.size, *shape[1:])), 0
    rank = len(visible_shape(value))
    if not -rank <= axis < rank:
        raise ValueError(
            f"vmap: out_axes {axis} is out of range for output leaf {k}, which has "
            f"{rank - 1} dimensions per example"
        )
    return value if src == axis % rank else cnp.moveaxis(value, src, axis % rank)


def vmap(fun: Callable[..., Any], in_axes: Any = 0, out_axes: Any = 0) -> Callable[..., Any]:
    """``fun`` mapped over a batch axis of its arguments (see the module docstring)."""
    check_callable(fun, "vmap")

    @functools.wraps(fun)
    def mapped(*args: Any, **kwargs: Any) -> Any:
        leaves, treedef, axes, names = _in_leaf_axes(in_axes, args, kwargs)
        size, axes = _batch_size(leaves, axes, names)
        with new_trace(BatchTrace, size) as trace:
            boxed = [x if a is None else trace.new_input(x, a) for x, a in zip(leaves, axes)]
            args_b, kwargs_b = tree_unflatten(treedef, boxed)
            out = fun(*args_b, **kwargs_b)
            out_leaves, out_def = tree_flatten(out)
            spec = _leaf_axes(out_axes, out_def, "the output", "out_axes")
            results = [_output(o, a, trace, k) for k, (o, a) in enumerate(zip(out_leaves, spec))]
        return tree_unflatten(out_def, results)

    return mapped
