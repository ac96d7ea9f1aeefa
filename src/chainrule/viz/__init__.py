"""``chainrule.viz``: the chain rule made visible, on the graph the core records.

* :func:`draw` pictures a Tensor's recorded graph: op, shape, forward value and (after
  ``backward()``) gradient on every node, local derivatives on scalar edges.
* :func:`trace` does the same for a plain function of arrays (the functional API).
* :func:`explain_backward` lists, path by path, the chain-rule products that add up to
  a parameter's gradient.

It reads the nodes the eager trace records (:mod:`chainrule.tensors.graph`) and
reuses the core's ``toposort``/``backward_pass``, so what it shows are the numbers
``backward()`` computes. Graphviz is imported only when a picture is rendered.

The modules, in the order a picture is made: :mod:`.build_graph` (the
:class:`.graph.Graph` of a recorded graph, its boxes and arrows in :mod:`.boxes`, the
numbers from backward() in :mod:`.grads`, names from :mod:`.names`, op symbols from
:mod:`.labels`, numbers written by :mod:`.format`); :mod:`.modules` and
:mod:`.collapse` (folding, with :mod:`.regroup`); :mod:`.layout` (the direction);
:meth:`.graph.Graph.to_dot` and :mod:`.dot` (Graphviz). :mod:`.paths` is
``explain_backward``, :mod:`.explanation` its result.
"""

from __future__ import annotations

import inspect

import numpy as np

from chainrule.tensors import Tensor
from chainrule.viz import collapse as _collapse
from chainrule.viz import modules as _modules
from chainrule.viz.build_graph import DEFAULT_MAX_NODES, build
from chainrule.viz.dot import GraphvizNotFound, dot_available
from chainrule.viz.explanation import Explanation
from chainrule.viz.graph import Graph
from chainrule.viz.layout import choose_rankdir
from chainrule.viz.names import caller_names, names_from, param_names
from chainrule.viz.paths import explain_backward

__all__ = [
    "Explanation",
    "Graph",
    "GraphvizNotFound",
    "dot_available",
    "draw",
    "explain_backward",
    "trace",
]


def draw(
    tensor: Tensor,
    *,
    names: dict | None = None,
    model=None,
    expand=False,
    max_nodes: int | None = DEFAULT_MAX_NODES,
    collapse_repeats: bool | str = "auto",
    rankdir: str = "auto",
) -> Graph:
    """Picture the recorded graph that produced ``tensor``.

    ``names``: ``{"x": x, ...}`` labels for tensors; by default the caller's local
    variable names are used. ``model``: an ``nn.Module`` whose parameters are named
    after it and whose modules are drawn as one box each (``expand=True`` or a list of
    module names draws their insides in a cluster). ``max_nodes`` bounds the number of
    boxes (``None``: no limit); ``collapse_repeats`` folds a pattern that repeats 3+
    times along a chain into one box: "auto" does so in pictures of more than 40 boxes
    (a short loop is drawn step by step), True always, False never. Every collapse is
    stated in the picture's notes. ``rankdir``: "LR" (left to right), "TB" (top to
    bottom) or "auto" (LR when that fits a screen, else TB when that fits its width).
    """
    if not isinstance(tensor, Tensor):
        raise TypeError(f"viz.draw expects a chainrule Tensor, got {type(tensor).__name__}")
    frame = inspect.currentframe().f_back
    ids = caller_names(frame) if names is None else names_from(names)
    del frame
    by_node = param_names(model)
    ids = {**by_node, **ids}  # the user's names win over parameter names
    graph = build(tensor, names=ids)
    if model is not None:
        params = {by_node[vn.key]: vid for vid, vn in graph.nodes.items() if vn.key in by_node}
        _modules.collapse_modules(graph, model, params, expand=expand)
    if collapse_repeats is True or (
        collapse_repeats == "auto" and len(graph.nodes) > _collapse.COLLAPSE_ABOVE
    ):
        _collapse.collapse_repeats(graph)
    _collapse.fold_constants(graph)
    _collapse.limit_size(graph, max_nodes)
    if rankdir == "auto":
        rankdir = choose_rankdir(graph)
    graph.rankdir = rankdir
    return graph


def trace(fun, *args, names: list[str] | None = None, **draw_options) -> Graph:
    """Run ``fun`` on tensors made from ``args`` (requiring grad), backprop if the result
    is a scalar, and draw the graph. Arguments are named after ``fun``'s parameters.

    >>> g = trace(lambda x: (3 * x + 2) ** 2, 1.0)   # doctest: +SKIP
    """
    if names is None:
        names = _argument_names(fun, len(args))
    inputs = []
    for a in args:
        if isinstance(a, Tensor):  # a fresh leaf: tracing never adds to the caller's .grad
            inputs.append(a.detach().requires_grad_(True))
        else:
            arr = np.asarray(a, dtype=np.float64) if np.asarray(a).dtype.kind in "iub" else a
            inputs.append(Tensor(arr, requires_grad=True))
    out = fun(*inputs)
    if not isinstance(out, Tensor):
        raise TypeError(f"viz.trace: {fun!r} must return a chainrule Tensor, got {type(out)}")
    if out.requires_grad and out._value.size == 1:
        out.backward(retain_graph=True)
    labels = dict(zip(names, inputs))
    labels.setdefault("out", out)
    return draw(out, names=labels, **draw_options)


def _argument_names(fun, n: int) -> list[str]:
    """Names for ``n`` positional arguments of ``fun``: its parameters' names, ``args[0]``,
    ``args[1]``... for a ``*args``, and ``arg2`` past the end."""
    try:
        params = list(inspect.signature(fun).parameters.values())
    except (TypeError, ValueError):
        params = []
    names: list[str] = []
    for p in params:
        if p.kind == p.VAR_POSITIONAL:
            names += [f"{p.name}[{k}]" for k in range(n - len(names))]
        elif p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD):
            names.append(p.name)
        if len(names) >= n:
            break
    return (names + [f"arg{i}" for i in range(len(names), n)])[:n]
