"""Pytrees: nested tuples, lists, dicts and namedtuples whose leaves are arrays/scalars.

Transforms flatten their arguments to a list of leaves plus a tree definition, work on
the leaves, and rebuild the same structure for the results (gradients come back in the
shape of the input). ``None`` is an empty subtree, as in JAX.

Dict keys are sorted, as in JAX, so ``{"b": 1, "a": 2}`` and ``{"a": 2, "b": 1}`` have
the same structure. An ``OrderedDict`` keeps its insertion order and a ``defaultdict``
its ``default_factory``; both come back with their own type.
"""

from collections import OrderedDict as _OrderedDict
from collections import defaultdict as _defaultdict
from collections.abc import Callable as _Callable
from collections.abc import Iterable as _Iterable
from collections.abc import Iterator as _Iterator
from typing import Any as _Any

__all__ = ["TreeDef", "tree_flatten", "tree_leaves", "tree_map", "tree_unflatten"]


class TreeDef:
    """The structure of a pytree, without its leaves."""

    __slots__ = ("kind", "meta", "children")

    def __init__(self, kind: str, meta: _Any, children: tuple["TreeDef", ...]):
        # "leaf", "none", "tuple", "list", "dict", "odict", "ddict", "namedtuple"
        self.kind = kind
        # dict keys; (default_factory, keys) for a defaultdict; the namedtuple class
        self.meta = meta
        self.children = children

    @property
    def num_leaves(self) -> int:
        if self.kind == "leaf":
            return 1
        return sum(c.num_leaves for c in self.children)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, TreeDef)
            and self.kind == other.kind
            and self.meta == other.meta
            and self.children == other.children
        )

    def __repr__(self) -> str:
        if self.kind == "leaf":
            return "*"
        return f"{self.kind}({', '.join(map(repr, self.children))})"


_LEAF = TreeDef("leaf", None, ())


def _is_namedtuple(x: _Any) -> bool:
    return isinstance(x, tuple) and hasattr(type(x), "_fields")


def tree_flatten(tree: _Any) -> tuple[list, TreeDef]:
    """``(leaves, treedef)``: the leaves of ``tree`` in order, and its structure."""
    leaves: list = []
    treedef = _flatten_into(tree, leaves)
    return leaves, treedef


# The walkers are module functions, not closures: a recursive closure refers to itself
# (a reference cycle), which kept every leaf it saw (a whole recorded graph, for
# gradients) alive until the garbage collector ran.
def _flatten_into(node: _Any, leaves: list) -> TreeDef:
    """``node``'s structure; its leaves are appended to ``leaves`` in order."""
    if node is None:
        return TreeDef("none", None, ())
    if _is_namedtuple(node):
        return TreeDef("namedtuple", type(node), tuple(_flatten_into(c, leaves) for c in node))
    if isinstance(node, tuple):
        return TreeDef("tuple", None, tuple(_flatten_into(c, leaves) for c in node))
    if isinstance(node, list):
        return TreeDef("list", None, tuple(_flatten_into(c, leaves) for c in node))
    if isinstance(node, _OrderedDict):
        keys = tuple(node)
        return TreeDef("odict", keys, tuple(_flatten_into(node[k], leaves) for k in keys))
    if isinstance(node, dict):
        keys = tuple(sorted(node) if _sortable(node) else sorted(node, key=repr))
        children = tuple(_flatten_into(node[k], leaves) for k in keys)
        if isinstance(node, _defaultdict):
            return TreeDef("ddict", (node.default_factory, keys), children)
        return TreeDef("dict", keys, children)
    leaves.append(node)
    return _LEAF


def _sortable(d: dict) -> bool:
    try:
        sorted(d)
        return True
    except TypeError:
        return False


def tree_unflatten(treedef: TreeDef, leaves: _Iterable[_Any]) -> _Any:
    """The pytree of structure ``treedef`` holding ``leaves``, in order."""
    return _build(treedef, iter(leaves))


def _build(td: TreeDef, it: _Iterator[_Any]) -> _Any:
    """The pytree of structure ``td``, taking its leaves from ``it``."""
    if td.kind == "leaf":
        return next(it)
    if td.kind == "none":
        return None
    children = [_build(c, it) for c in td.children]
    if td.kind == "tuple":
        return tuple(children)
    if td.kind == "list":
        return children
    if td.kind == "namedtuple":
        return td.meta(*children)
    if td.kind == "odict":
        return _OrderedDict(zip(td.meta, children))
    if td.kind == "ddict":
        return _defaultdict(td.meta[0], zip(td.meta[1], children))
    return dict(zip(td.meta, children))


def tree_map(fun: _Callable[..., _Any], tree: _Any, *rest: _Any) -> _Any:
    """``fun`` applied leaf by leaf to ``tree`` (and to the leaves of ``rest``, trees of
    the same structure), in ``tree``'s structure."""
    leaves, treedef = tree_flatten(tree)
    others = [tree_flatten(r)[0] for r in rest]
    return tree_unflatten(treedef, [fun(*xs) for xs in zip(leaves, *others)])


def tree_leaves(tree: _Any) -> list:
    return tree_flatten(tree)[0]
