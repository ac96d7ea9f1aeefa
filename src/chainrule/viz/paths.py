"""``explain_backward``: the chain rule, path by path, on the graph the core recorded.

The gradient of a scalar loss with respect to a parameter is a sum over every path
from the loss back to the parameter; along one path it is the product of the local
derivatives (one per op). For arrays the "product" is a composition of
vector-Jacobian products: a path's contribution is found by pushing the cotangent 1
from the loss along that path only, through each node's own ``vjp`` (the rule
``backward()`` runs). The total is computed with the core's ``backward_pass``, exactly
as ``backward()`` does, and the explanation checks that the paths add up to it.

This needs the recorded inputs: before ``backward()``, after
``backward(retain_graph=True)``, or after a plain ``backward()`` where it kept the
saved arrays of a small graph (as it keeps values for pictures); on a freed graph it
raises an error saying what to do.
The result, and how it is written out, is :class:`.explanation.Explanation`.
"""

from __future__ import annotations

import inspect

import numpy as np

from chainrule.core.reverse import backward_pass, toposort
from chainrule.tensors import Tensor, no_grad
from chainrule.tensors.graph import EagerNode, TensorLeaf
from chainrule.viz.explanation import DEFAULT_SHOWN_PATHS, Explanation, Factor, Path
from chainrule.viz.format import as_array
from chainrule.viz.grads import has_inputs, local_vjp, scalar_local_derivatives
from chainrule.viz.labels import local_derivative
from chainrule.viz.layers import Regions, fold
from chainrule.viz.names import caller_names, names_from, param_names

MAX_PATHS = 2000  # paths enumerated one by one; beyond that the rest is summed at once

FREED = (
    "explain_backward needs the graph's saved inputs, but backward() has already freed "
    "them. Call viz.explain_backward(loss, wrt=...) before loss.backward(), or call "
    "loss.backward(retain_graph=True), or re-run the forward pass to record a new graph."
)


_SUB = str.maketrans("0123456789", "\u2080\u2081\u2082\u2083\u2084\u2085\u2086\u2087\u2088\u2089")


def explain_backward(
    loss: Tensor,
    wrt: Tensor,
    *,
    names: dict | None = None,
    model=None,
    max_paths: int = DEFAULT_SHOWN_PATHS,
    level: str = "layers",
) -> Explanation:
    """Explain ``d loss / d wrt`` as a sum over paths of chain-rule products.

    ``loss`` must be a scalar Tensor whose graph still holds its saved arrays (before
    ``loss.backward()``, after ``loss.backward(retain_graph=True)``, or after a plain
    ``backward()`` of a graph whose saved arrays are small). ``wrt`` is a
    tensor the loss depends on (a parameter, or an intermediate value). ``names``
    (``{"W1": w1, ...}``) and ``model`` (names parameters after ``named_parameters()``)
    label the factors; by default the caller's variable names are used. At most
    ``max_paths`` paths are listed in full; all of them are counted in the sum.

    ``level="layers"`` (the default) folds each path into one factor per layer step
    (see :mod:`.layers`): with a ``model``, ∂L/∂z2 · ∂z2/∂h · ∂h/∂z1 · ∂z1/∂W1, named
    after the tutorial's symbols (``z1``, ``W1``) where the user gave no names;
    ``level="ops"`` lists every recorded op.
    """
    if level not in ("layers", "ops"):
        raise ValueError(f"level must be 'layers' or 'ops', got {level!r}")
    _check_arguments(loss, wrt)
    if names is None:
        frame = inspect.currentframe().f_back
        ids = caller_names(frame)
        del frame
    else:
        ids = names_from(names)
    root, target = loss._node, wrt._node
    order = toposort(root)
    leads = _on_some_path(order, root, target)
    regions = Regions(order, model if level == "layers" else None)
    ids = _with_symbols(ids, param_names(model), regions, order)
    labels = _display_names([n for n in order if n in leads], ids, root, target)
    seed = np.ones_like(np.asarray(loss._value))
    total = _total(root, target, seed)
    paths, n_paths, rest = _enumerate(root, target, leads, labels, seed, total)
    if level == "layers":
        named = {n for n in leads if id(n) in ids}
        # names the user gave set the level of the story; the caller's variables do not
        by_name = model is not None or (names is not None and bool(named - {root, target}))
        paths = [fold(p, named, regions, by_name) for p in paths]
    return Explanation(
        loss=labels[root],
        wrt=labels[target],
        wrt_shape=tuple(wrt._value.shape),
        paths=paths,
        n_paths=n_paths,
        rest=rest,
        total=total,
        grad=None if wrt._grad is None else wrt._grad._value,  # (no non-leaf warning)
        shown=max_paths,
        keeps_grad=isinstance(target, TensorLeaf) or target.retained is not None,
    )


def _with_symbols(ids: dict, by_param: dict, regions: Regions, order) -> dict:
    """The names to show: the user's, else the tutorial's symbols (``W1``, ``z1``) for a
    model's layers, else parameter paths (``0.weight``). Kept on ``regions`` too."""
    ids = {**by_param, **ids}
    named = {n for n in order if id(n) in ids and ids[id(n)] != by_param.get(id(n))}
    ids = {**ids, **{id(n): s for n, s in regions.auto_names(named).items()}}
    regions.names = ids
    return ids


def _check_arguments(loss, wrt) -> None:
    if not isinstance(loss, Tensor) or not isinstance(wrt, Tensor):
        raise TypeError("explain_backward(loss, wrt=...) expects chainrule Tensors")
    if loss._value.size != 1:
        raise ValueError(
            f"explain_backward needs a scalar loss; this one has shape {loss._value.shape}. "
            "Reduce it first (e.g. loss.sum() or loss.mean())."
        )
    if loss._node is None:
        raise ValueError("the loss has no recorded graph (nothing in it requires grad)")
    if wrt._node is None:
        raise ValueError("wrt does not require grad, so the loss has no gradient for it")
    if wrt._node is loss._node:
        raise ValueError(
            "wrt is the loss itself: d loss / d loss is 1, with no chain rule to show; "
            "pass a tensor the loss was computed from"
        )


def _on_some_path(order, root, target) -> set:
    """The nodes on some path from ``root`` back to ``target``; an error when there is
    no such path, or when backward() freed the inputs of a node on one."""
    leads: set = {target}
    for node in reversed(order):  # inputs before consumers
        if node is not target and any(p in leads for p in node.parents):
            leads.add(node)
    if root not in leads:
        raise ValueError(
            "the loss does not depend on wrt: there is no path from the loss back to it"
        )
    for node in leads:
        if node is not target and isinstance(node, EagerNode) and not has_inputs(node):
            raise RuntimeError(FREED)
    return leads


def _display_names(order, names, root, target) -> dict:
    """A short name per node: the user's variable, else the op, numbered if repeated."""
    forward = list(reversed(order))
    counts: dict[str, int] = {}
    for node in forward:
        if isinstance(node, EagerNode) and id(node) not in names:
            counts[node.prim.name] = counts.get(node.prim.name, 0) + 1
    seen: dict[str, int] = {}
    out = {}
    for node in forward:
        if id(node) in names:
            out[node] = names[id(node)]
        elif isinstance(node, EagerNode):
            op = node.prim.name
            seen[op] = seen.get(op, 0) + 1
            out[node] = op if counts[op] == 1 else f"{op}{str(seen[op]).translate(_SUB)}"
        else:
            out[node] = "leaf"
    used = set(names.values())
    if id(root) not in names:
        out[root] = _free_name(("L", "loss", "out"), used)
    if id(target) not in names and target is not root:
        out[target] = _free_name(("w", "wrt", "\u03b8"), used | {out[root]})
    return out


def _free_name(choices, used) -> str:
    """The first of ``choices`` that names no other node."""
    return next((c for c in choices if c not in used), choices[-1])


def _shape(node) -> tuple:
    if isinstance(node, TensorLeaf):
        t = node.tensor()
        return () if t is None else tuple(t._value.shape)
    arr = as_array(node.ans)
    return () if arr is None else tuple(arr.shape)


def _total(root, target, seed):
    """d root / d target exactly as backward() computes it (same sweep, same rules)."""
    found = {}

    def visit(node, ct):
        if node is target:
            found["ct"] = ct

    with no_grad():
        if all(n.args is not None for n in toposort(root) if isinstance(n, EagerNode)):
            backward_pass(root, seed, visit=visit)
        else:  # after backward(): the same rules, on the arrays it kept
            found["ct"] = _sweep(root, target, seed)
    return as_array(found.get("ct", np.zeros(_shape(target))))


def _sweep(root, target, seed):
    """d root / d target by one reverse sweep of the nodes' rules (for a graph whose
    inputs backward() kept, where its own sweep refuses to run twice)."""
    cts = {root: seed}
    for node in toposort(root):
        ct = cts.pop(node, None)
        if node is target or ct is None or not isinstance(node, EagerNode):
            if node is target:
                return ct
            continue
        for parent, pct in zip(node.parents, local_vjp(node, ct)):
            if pct is not None:
                cts[parent] = pct if parent not in cts else cts[parent] + pct
    return None


def _enumerate(root, target, leads, labels, seed, total):
    """Push the cotangent along each path separately (depth first, sharing prefixes)."""
    paths: list[Path] = []
    n_paths = 0
    truncated = False
    # stack items: (node, cotangent reaching it along this prefix, factors so far)
    stack = [(root, seed, [])]
    with no_grad():
        while stack:
            node, ct, factors = stack.pop()
            if node is target:
                n_paths += 1
                paths.append(Path(factors, as_array(ct)))
                continue
            if len(paths) >= MAX_PATHS:
                truncated = True
                break
            cts = local_vjp(node, ct)
            local = _scalar_locals(node)
            children = []
            for k, (parent, pct) in enumerate(zip(node.parents, cts)):
                if parent not in leads:
                    continue
                if pct is None:  # a zero cotangent: the path contributes nothing
                    pct = np.zeros(_shape(parent))
                argnum = node.argnums[k]
                f = Factor(
                    consumer=labels[node],
                    input=labels[parent],
                    op=node.prim.name,
                    argnum=argnum,
                    rule=local_derivative(node.prim.name, argnum),
                    local=None if local is None else local[k],
                    out_shape=_shape(node),
                    in_shape=_shape(parent),
                    cotangent=as_array(pct),
                    consumer_node=node,
                    input_node=parent,
                )
                children.append((parent, pct, [*factors, f]))
            stack.extend(reversed(children))  # so that paths come out in argument order
    rest = None
    if truncated:
        listed = sum((p.contribution for p in paths), np.zeros_like(total))
        rest = total - listed
        n_paths = _count_paths(root, target, leads)
    return paths, n_paths, rest


def _scalar_locals(node) -> list | None:
    """d out / d parent_k as numbers, when the node's output and that input are scalars."""
    cts = scalar_local_derivatives(node)
    if cts is None:
        return None
    out = []
    for parent, arr in zip(node.parents, cts):
        scalar_in = int(np.prod(_shape(parent))) == 1
        out.append(arr.reshape(()) if arr is not None and arr.size == 1 and scalar_in else None)
    return out


def _count_paths(root, target, leads) -> int:
    counts = {target: 1}
    for node in reversed(toposort(root)):
        if node in leads and node is not target:
            counts[node] = sum(counts.get(p, 0) for p in node.parents if p in leads)
    return counts.get(root, 0)
