"""Pytrees: nested tuples, lists, dicts and namedtuples whose leaves are arrays/scalars.

Transforms flatten their arguments to a list of leaves plus a tree definition, work on
the leaves, and rebuild the same structure for the results (gradients come back in the
shape of the input). ``None`` is an empty subtree, as in JAX.
"""

from __future__ import annotations

from typing import Any


class TreeDef:
    """The structure of a pytree, without its leaves."""

    __slots__ = ("kind", "meta", "children")

    def __init__(self, kind, meta, children):
        self.kind = kind  # "leaf", "none", "tuple", "list", "dict", "namedtuple"
        self.meta = meta  # dict keys, or the namedtuple class
        self.children = children

    @property
    def num_leaves(self) -> int:
        if self.kind == "leaf":
            return 1
        return sum(c.num_leaves for c in self.children)

    def __eq__(self, other) -> bool:
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


def _is_namedtuple(x) -> bool:
    return isinstance(x, tuple) and hasattr(type(x), "_fields")


def tree_flatten(tree: Any) -> tuple[list, TreeDef]:
    leaves: list = []

    def walk(node) -> TreeDef:
        if node is None:
            return TreeDef("none", None, ())
        if _is_namedtuple(node):
            return TreeDef("namedtuple", type(node), tuple(walk(c) for c in node))
        if isinstance(node, tuple):
            return TreeDef("tuple", None, tuple(walk(c) for c in node))
        if isinstance(node, list):
            return TreeDef("list", None, tuple(walk(c) for c in node))
        if isinstance(node, dict):
            keys = sorted(node, key=repr) if not _sortable(node) else sorted(node)
            return TreeDef("dict", tuple(keys), tuple(walk(node[k]) for k in keys))
        leaves.append(node)
        return _LEAF

    treedef = walk(tree)
    return leaves, treedef


def _sortable(d: dict) -> bool:
    try:
        sorted(d)
        return True
    except TypeError:
        return False


def tree_unflatten(treedef: TreeDef, leaves) -> Any:
    it = iter(leaves)

    def build(td: TreeDef):
        if td.kind == "leaf":
            return next(it)
        if td.kind == "none":
            return None
        children = [build(c) for c in td.children]
        if td.kind == "tuple":
            return tuple(children)
        if td.kind == "list":
            return children
        if td.kind == "namedtuple":
            return td.meta(*children)
        return dict(zip(td.meta, children))

    return build(treedef)


def tree_map(fun, tree, *rest):
    leaves, treedef = tree_flatten(tree)
    others = [tree_flatten(r)[0] for r in rest]
    return tree_unflatten(treedef, [fun(*xs) for xs in zip(leaves, *others)])


def tree_leaves(tree) -> list:
    return tree_flatten(tree)[0]
