"""The layer-level view of :func:`.paths.explain_backward`: a path's op-by-op factors
folded into one factor per step of the story a person tells about the network.

Op by op, the gradient of a network's loss with respect to its first weights is a long
product: the loss's own ops (``log_softmax``, ``multiply``, ``sum``, ``negative``,
``divide``), and for each ``Linear`` the ``transpose``/``matmul``/``transpose``/``add``
it computes ``x Wᵀ + b`` with. The tutorial's reading is shorter:
∂L/∂W1 = ∂L/∂z2 · ∂z2/∂h · ∂h/∂z1 · ∂z1/∂W1. Folding follows three rules:

* a node the user named (``names={"z1": z1}``, or a variable of the caller) always
  starts a new factor;
* with a ``model``, each module with parameters is one region (what depends on its
  parameters, up to its output, as :mod:`.modules` finds for pictures): entering or
  leaving a region starts a new factor, and the ops outside every region between two
  boundaries (the loss's ops, a several-op activation) fold into one;
* without a model or intermediate names, each op is its own factor, except layout
  steps (``transpose``, ``reshape``...), which fold into the op they feed.

A folded factor is the composition of its ops' vector-Jacobian products, so the
cotangent after it is exactly the op-by-op one: the product of the folded factors is
still the path's contribution.
"""

from __future__ import annotations

import numpy as np

from chainrule.tensors.graph import EagerNode
from chainrule.viz.explanation import Factor, Path
from chainrule.viz.labels import local_derivative

# layout ops that carry no derivative of their own (F.linear transposes x and its result)
ADAPTERS = {"transpose", "reshape", "broadcast_to", "astype", "expand_dims", "squeeze"}


class Regions:
    """Which module (path, kind, index among the modules with parameters) each node
    belongs to, and each module's output node."""

    def __init__(self, order, model):
        self.of: dict = {}  # node -> (path, kind name, k)
        self.ends: dict = {}  # output node -> (path, kind name, k)
        self.params: dict = {}  # parameter node -> (path, parameter name, kind, k)
        self.names: dict = {}  # id(node) -> the name the user or auto_names gave it
        if model is None:
            return
        forward = list(reversed(order))
        consumers: dict = {}
        for node in forward:
            for p in node.parents:
                consumers.setdefault(p, []).append(node)
        owners: dict[str, list] = {}
        for name, p in model.named_parameters():
            if p._node is not None and p._node in consumers:
                path, _, leaf = name.rpartition(".")
                owners.setdefault(path, []).append((leaf, p._node))
        modules = dict(model.named_modules())
        for k, (path, params) in enumerate(owners.items(), 1):
            kind = type(modules.get(path, model)).__name__
            for leaf, node in params:
                self.params[node] = (path, leaf, kind, k)
            self._add_region(forward, consumers, [n for _, n in params], (path, kind, k))

    def _add_region(self, forward, consumers, params, info) -> None:
        reach = [_dependents(p, forward) for p in params]
        on_all = set.intersection(*reach)
        if not on_all:
            return
        end = next(n for n in forward if n in on_all)
        after = consumers.get(end, [])
        if len(after) == 1 and _op(after[0]) in ADAPTERS:
            end = after[0]
        ancestors = {end}
        stack = [end]
        while stack:
            for p in stack.pop().parents:
                if p not in ancestors:
                    ancestors.add(p)
                    stack.append(p)
        region = set().union(*reach) & ancestors
        for node in list(region):  # the layout step on the module's input (F.linear's xᵀ)
            for p in node.parents:
                if _op(p) in ADAPTERS and all(c in region for c in consumers.get(p, [])):
                    region.add(p)
        for node in region:
            self.of.setdefault(node, info)
        self.ends[end] = info

    def auto_names(self, named: set) -> dict:
        """The tutorial's symbols for what the user did not name: ``z1`` for the first
        module's output, ``W1``/``b1`` for a ``Linear``'s weight and bias."""
        out = {}
        for node, (_, _, k) in self.ends.items():
            if node not in named:
                out[node] = f"z{k}"
        for node, (_, leaf, kind, k) in self.params.items():
            if node not in named and kind == "Linear" and leaf in ("weight", "bias"):
                out[node] = f"{'W' if leaf == 'weight' else 'b'}{k}"
        return out


def _dependents(start, forward) -> set:
    dep = {start}
    for node in forward:
        if any(p in dep for p in node.parents):
            dep.add(node)
    return dep - {start}


def _op(node) -> str | None:
    return node.prim.name if isinstance(node, EagerNode) else None


def fold(path: Path, named: set, regions: Regions, by_name: bool) -> Path:
    """``path`` with its factors folded into layer-level ones (see the module's doc).
    ``named``: the nodes the user named; ``by_name``: cut only at named nodes and
    region changes (the user named intermediates, or gave a model)."""
    groups: list[list[Factor]] = []
    current: list[Factor] = []
    for f in path.factors:
        current.append(f)
        if _cut(f, named, regions, by_name):
            groups.append(current)
            current = []
    if current:
        groups.append(current)
    return Path([_merge(g, regions) for g in groups], path.contribution)


def _cut(f: Factor, named: set, regions: Regions, by_name: bool) -> bool:
    below, above = f.input_node, f.consumer_node
    if below in named or not isinstance(below, EagerNode):
        return True
    if below in regions.ends or regions.of.get(below) != regions.of.get(above):
        return True
    return not by_name and _op(below) not in ADAPTERS


def _merge(group: list[Factor], regions: Regions) -> Factor:
    if len(group) == 1:
        return group[0]
    top, bottom = group[0], group[-1]
    ops = [f.op for f in reversed(group)]  # in the order the forward pass ran them
    core = [f for f in group if f.op not in ADAPTERS]
    module = regions.of.get(top.consumer_node)
    if module is not None and module[1] == "Linear":
        op = f"{module[1]} {module[0]}"
        rule = _linear_rule(bottom, group, regions)
    elif len(core) == 1:
        op, rule = core[0].op, core[0].rule or f"vjp of {core[0].op}"
    else:
        op = f"{len(ops)} ops"
        rule = ", ".join(ops)
    local = None
    if all(f.local is not None for f in group):
        local = np.prod([np.asarray(f.local) for f in group]).reshape(())
    return Factor(
        consumer=top.consumer,
        input=bottom.input,
        op=op,
        argnum=bottom.argnum,
        rule=rule,
        local=local,
        out_shape=top.out_shape,
        in_shape=bottom.in_shape,
        cotangent=bottom.cotangent,
        consumer_node=top.consumer_node,
        input_node=bottom.input_node,
    )


def _linear_rule(bottom: Factor, group, regions: Regions) -> str:
    """What a ``Linear``'s backward does, in batch form (z = x Wᵀ + b)."""
    info = regions.params.get(bottom.input_node)
    if info is not None and info[1] == "weight":
        return "gᵀ @ input"
    if info is not None and info[1] == "bias":
        return "g summed over the batch"
    matmul = next((f for f in group if f.op == "matmul"), None)
    weight = _weight_name(matmul, regions)
    return f"g @ {weight}" if weight else local_derivative("matmul", 1) or "vjp of matmul"


def _weight_name(matmul: Factor | None, regions: Regions) -> str | None:
    if matmul is None:
        return None
    for p in matmul.consumer_node.parents:
        if p in regions.params:
            return regions.names.get(id(p))
    return None
