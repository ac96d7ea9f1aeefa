"""One expression at one point: what the Derivative and Graph panels show.

:func:`analyse` parses the text with :mod:`chainrule.symbolic` (the whitelist parser:
mathematics only, never evaluated as code, with its own limits on length, nesting and
exponents), derives it step by step, then computes it with chainrule ops on tensors at
the point, back-propagates, and draws the recorded graph with :func:`chainrule.viz.draw`.
The answer is plain JSON data. User mistakes raise :class:`InputError` with a message
for the page; the caller runs this in a worker process it can stop (see :mod:`.worker`).
"""

from __future__ import annotations

import itertools
import math

import numpy as np

from chainrule import symbolic, viz
from chainrule.symbolic.numpy_eval import evaluate
from chainrule.tensors import Tensor, tensor
from chainrule.viz.dot import GraphvizNotFound

MAX_PATHS_SHOWN = 6  # chain-rule paths listed in a node's hover text


class InputError(ValueError):
    """The user's expression or point is unusable; the message is shown on the page."""


def _first_line(exc: BaseException) -> str:
    # the parser's message is its first argument; str(exc) adds a caret picture
    text = exc.args[0] if exc.args and isinstance(exc.args[0], str) else str(exc)
    return text.splitlines()[0] if text else type(exc).__name__


def _number(value: float) -> float | None:
    """A float for JSON: None for nan and the infinities (JSON has neither)."""
    value = float(value)
    return value if math.isfinite(value) else None


def analyse(text: str, point: dict | None = None, wrt: str | None = None) -> dict:
    """The derivation, value, gradient and graph of ``text`` at ``point``.

    Variables missing from ``point`` are taken at 1; other names are ignored. Returns
    ``{"variables", "wrt",
    "point", "latex", "rules", "result", "value", "derivative", "symbolic_derivative",
    "note", "gradient", "graph": {"svg", "dot", "hover"}}``: ``derivative`` is the
    autodiff ∂f/∂wrt, ``symbolic_derivative`` the derivation's result evaluated there
    (``note`` says why it is missing, if it is); non-finite numbers are ``None``.
    """
    if not isinstance(text, str) or not text.strip():
        raise InputError("type an expression, e.g. (3x+2)^2")
    try:
        expr = symbolic.parse(text)
    except (ValueError, RecursionError, OverflowError) as exc:
        raise InputError(_first_line(exc)) from None
    names = sorted(str(s) for s in expr.free_symbols)
    if not names:
        raise InputError(f"{text.strip()!r} has no variables, so there is nothing to vary")
    point = _read_point(point or {}, names)
    wrt = wrt if wrt in names else names[0]
    try:
        derivation = symbolic.derive(expr, wrt=wrt)
    except (ValueError, RecursionError, OverflowError) as exc:
        raise InputError(_first_line(exc)) from None
    with np.errstate(all="ignore"):  # outside the domain values are nan: shown, not warned
        try:
            symbolic_value, note = derivation.at(**point), None
        except ValueError as exc:  # e.g. undefined at this point, or too large to evaluate
            symbolic_value, note = math.nan, _first_line(exc)
        answer = _autodiff(expr, names, point)
    return {
        "variables": names,
        "wrt": wrt,
        "point": point,
        "latex": derivation.to_latex(),
        "rules": [step.title for step in derivation.steps.walk()],
        "result": str(derivation.result),
        "symbolic_derivative": _number(symbolic_value),
        "note": note,
        **answer,
        "derivative": answer["gradient"][wrt],
    }


def _read_point(point: dict, names: list[str]) -> dict[str, float]:
    # values for names the expression lacks are dropped: the page keeps x's value when
    # the expression changes, and the answer's "point" shows what was used
    values = {}
    for name in names:
        raw = point.get(name, 1.0)
        if isinstance(raw, bool) or not isinstance(raw, (int, float)) or not math.isfinite(raw):
            raise InputError(f"the value of {name} must be a finite number, got {raw!r}")
        values[name] = float(raw)
    return values


def _autodiff(expr, names: list[str], point: dict[str, float]) -> dict:
    """Forward and backward pass with chainrule tensors, and the graph picture."""
    inputs = {n: tensor(point[n], requires_grad=True) for n in names}
    try:
        out = evaluate(expr, inputs)
    except ValueError as exc:
        raise InputError(_first_line(exc)) from None
    if not isinstance(out, Tensor) or not out.requires_grad:
        raise InputError("the expression does not depend on its variables")
    out.backward(retain_graph=True)  # keep the graph: the picture shows every node
    graph = viz.draw(out, names={**inputs, "f": out})
    grads = {n: _number(t.grad.item()) if t.grad is not None else 0.0 for n, t in inputs.items()}
    return {
        "value": _number(out.item()),
        "gradient": grads,
        "graph": {"svg": _svg(graph), "dot": graph.to_dot(), "hover": hover_texts(graph)},
    }


def _svg(graph) -> str | None:
    """The picture as SVG, or None without Graphviz's ``dot`` (the page says so)."""
    try:
        return graph.to_svg()
    except GraphvizNotFound:
        return None


def hover_texts(graph) -> dict[str, str]:
    """For each box, the chain-rule product that gives the output's gradient there.

    ∂f/∂node is the sum, over the paths from the node up to the output, of the product
    of the local derivatives on the path's edges (the numbers on the picture's edges).
    """
    consumers: dict[str, list] = {}
    for edge in graph.edges:
        consumers.setdefault(edge.src, []).append(edge)
    root = next((vid for vid, node in graph.nodes.items() if node.root), None)
    label = {vid: _box_name(node) for vid, node in graph.nodes.items()}
    texts: dict[str, str] = {}
    memo: dict[str, int] = {}
    for vid, node in graph.nodes.items():
        if node.kind == "const" or root is None:
            continue
        shown = list(itertools.islice(_paths(vid, root, consumers), MAX_PATHS_SHOWN))
        total = _count_paths(vid, root, consumers, memo)
        texts[vid] = _product_text(node, label, shown, total)
    return texts


def _box_name(node) -> str:
    return node.name or node.title


def _paths(start: str, root: str, consumers: dict):
    """Yield the edge lists of the paths from ``start`` up to ``root``, lazily (shared
    subexpressions can make their number grow exponentially with depth)."""
    if start == root:
        yield []
        return
    for edge in consumers.get(start, []):
        for rest in _paths(edge.dst, root, consumers):
            yield [edge, *rest]


def _count_paths(start: str, root: str, consumers: dict, memo: dict) -> int:
    if start == root:
        return 1
    if start not in memo:
        memo[start] = sum(
            _count_paths(e.dst, root, consumers, memo) for e in consumers.get(start, [])
        )
    return memo[start]


def _product_text(node, label: dict, paths: list[list], total: int) -> str:
    me = _box_name(node)
    grad = "?" if node.grad is None else f"{float(np.asarray(node.grad).ravel()[0]):.6g}"
    if not paths:
        return f"{me}: the output itself, ∂f/∂f = 1"
    lines = [f"∂f/∂{me} = {grad}, the sum over {total} path(s) of chain-rule products:"]
    for path in paths:
        factors = " · ".join(f"∂{label[e.dst]}/∂{label[e.src]}" for e in reversed(path))
        numbers = " · ".join(e.label.strip() if e.label else "?" for e in reversed(path))
        lines.append(f"  {factors or '1'} = {numbers or '1'}")
    if total > len(paths):
        lines.append(f"  ... and {total - len(paths)} more")
    return "\n".join(lines)
