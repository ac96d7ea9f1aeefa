"""Big graphs stay readable: module boxes (and expanding them), repeated structure,
and the size limit, each with a note saying what was collapsed."""

from __future__ import annotations

import re

import numpy as np

import chainrule as cr
import chainrule.numpy as cnp
from chainrule import nn, viz
from chainrule.nn import functional as F

from ._helpers import edges, node_labels


def _mlp_loss():
    cr.manual_seed(0)
    model = nn.Sequential(nn.Linear(6, 5), nn.Tanh(), nn.Linear(5, 3))
    x = cr.randn(4, 6)
    loss = F.cross_entropy(model(x), cr.tensor(np.array([0, 1, 2, 1])))
    loss.backward(retain_graph=True)
    return model, x, loss


def test_modules_become_one_box_each_with_their_parameters():
    model, x, loss = _mlp_loss()
    g = viz.draw(loss, model=model, names={"x": x})
    labels = node_labels(g.to_dot())
    boxes = [v for v in labels.values() if "Linear" in v]
    assert len(boxes) == 2
    first = next(v for v in boxes if "Linear 0" in v)
    assert "weight (5, 6)" in first and "bias (5,)" in first and "‖grad‖" in first
    assert "transpose" not in " ".join(labels.values())  # F.linear's layout steps are inside
    assert not any("0.weight" in v for v in labels.values())  # inside the box
    assert any(v.split()[0] == "tanh" for v in labels.values())  # no parameters: an op
    assert any("Collapsed 2 module(s)" in n for n in g.notes)
    # the input batch still flows into the first Linear box
    xid = next(k for k, v in labels.items() if v.split()[0] == "x")  # not the xᵀ F.linear uses
    first = next(k for k, v in labels.items() if "Linear 0" in v)
    assert (xid, first) in {(s, d) for s, d, _ in edges(g.to_dot())}


def test_expanded_module_is_a_labelled_cluster_of_its_ops():
    model, x, loss = _mlp_loss()
    dot = viz.draw(loss, model=model, expand=["0"]).to_dot()
    assert 'subgraph "cluster_0"' in dot and 'label="Linear 0"' in dot
    cluster = dot[dot.index('subgraph "cluster_0"') :].split("\n  }")[0]
    for part in ["0.weight", "0.bias", "matmul", "transpose", "add"]:
        assert part in cluster
    assert "tanh" not in cluster
    assert "Linear 2" in dot  # the other one stays collapsed
    assert "cluster" in viz.draw(loss, model=model, expand=True).to_dot()


def test_bias_free_linear_keeps_its_matmul():
    cr.manual_seed(1)
    lin = nn.Linear(3, 2, bias=False)
    out = cnp.sum(cnp.tanh(lin(cr.randn(4, 3))))
    labels = node_labels(viz.draw(out, model=lin).to_dot())
    box = next(v for v in labels.values() if "Linear" in v)
    assert "@" in box and "matmul" not in " ".join(labels.values())
    assert "transpose" not in " ".join(labels.values())


def test_a_loop_collapses_into_one_repeated_box():
    x = cr.tensor(0.5, requires_grad=True)
    y = x
    for _ in range(40):
        y = cnp.tanh(y) * 0.9 + 0.1
    y.backward(retain_graph=True)
    g = viz.draw(y)
    labels = " ".join(node_labels(g.to_dot()).values())
    assert "repeated" in labels
    assert len(g.nodes) < 15
    assert any("repeated structure" in n for n in g.notes)
    assert "tanh → × → +" in labels
    assert "grad 1" in labels  # the output keeps its box
    full = viz.draw(y, collapse_repeats=False, max_nodes=None)
    assert len(full.nodes) > 100


def test_size_limit_keeps_the_boxes_near_the_output_and_says_so():
    rng = np.random.default_rng(0)
    leaves = [cr.tensor(float(v), requires_grad=True) for v in rng.normal(size=30)]
    total = leaves[0]
    for i, leaf in enumerate(leaves[1:]):  # no repeated pattern: alternating ops and leaves
        total = (
            total * leaf if i % 3 == 0 else (total + cnp.sin(leaf) if i % 3 == 1 else total - leaf)
        )
    g = viz.draw(total, max_nodes=20, collapse_repeats=False)
    assert len(g.nodes) <= 20
    assert "more nodes not drawn" in g.to_dot()
    assert any("Size limit" in n for n in g.notes)
    assert any(n.root for n in g.nodes.values())


def test_random_graphs_collapse_without_losing_nodes():
    """Every recorded node ends up in exactly one box, whatever was collapsed."""
    from chainrule.core.reverse import toposort

    for seed in range(5):
        rng = np.random.default_rng(seed)
        x = cr.tensor(0.5, requires_grad=True)
        values = [x]
        ops = [cnp.add, cnp.multiply, lambda u, v: cnp.sin(u) - v]
        for i in range(400):
            a, b = (values[rng.integers(len(values))] for _ in range(2))
            values.append(ops[i % 3](a, b) * 0.5)
        out = values[-1]
        g = viz.draw(out, max_nodes=40)
        recorded = len(toposort(out._node))
        drawn = sum(n.members for n in g.nodes.values() if n.kind != "const")
        assert drawn == recorded
        assert len(g.nodes) <= 40
        assert g.to_dot().count("->") == len(g.edges)


def test_a_loop_that_ends_at_the_output_keeps_the_output_box():
    x = cr.tensor(0.3, requires_grad=True)
    y = x
    for _ in range(20):
        y = cnp.sin(y) + 0.1
    y.backward(retain_graph=True)
    g = viz.draw(y, names={"x": x, "y": y})
    roots = [n for n in g.nodes.values() if n.root]
    assert len(roots) == 1 and roots[0].kind == "repeat"
    assert "y = repeated 20×" in g.to_dot() and 'fillcolor="#fee2e2"' in g.to_dot()


def test_size_limit_after_a_repeat_that_swallowed_the_output_still_draws_it():
    x = cr.tensor(0.3, requires_grad=True)
    y = x
    for _ in range(30):
        y = cnp.sin(y) + 0.1
    y.backward(retain_graph=True)
    g = viz.draw(y, max_nodes=2)
    assert any(n.root for n in g.nodes.values())
    assert any(n.kind == "repeat" for n in g.nodes.values())


def test_a_long_chain_collapses_in_one_pass(monkeypatch):
    """Dozens of short runs on a long chain are folded in one pass over the graph, not
    one pass each (which would be quadratic: 10 s for a 10,000-node chain)."""
    from chainrule.viz import regroup

    passes = []
    sort = regroup._sort_topologically
    monkeypatch.setattr(regroup, "_sort_topologically", lambda g: passes.append(1) or sort(g))
    rng = np.random.default_rng(0)
    fs = [cnp.sin, cnp.cos, cnp.tanh, cnp.exp, cnp.arctan, cnp.sinh, cnp.cosh]
    x = cr.tensor(0.5, requires_grad=True)
    y = x
    for _ in range(600):
        y = fs[rng.integers(7)](y) * 0.3
    g = viz.draw(y)
    assert "and" in next(n for n in g.notes if "repeated structure" in n)  # many runs
    assert len(passes) <= 2  # the repeats, then the size limit
    assert len(g.nodes) <= 60 and any("Size limit" in n for n in g.notes)


def test_big_pictures_write_scalar_constants_inside_their_boxes():
    x = cr.tensor(0.3, requires_grad=True)
    y = x
    fs = [cnp.sin, cnp.cos, cnp.tanh, cnp.exp]
    for i in range(20):  # period 8: not a repeat the collapse looks for
        y = fs[i % 4](y) * (0.5 if i % 3 else 1.1)
    g = viz.draw(y, names={"x": x})
    assert not [n for n in g.nodes.values() if n.kind == "const"]
    assert "· × 0.5" in g.to_dot() and "· × 1.1" in g.to_dot()
    assert any("scalar constants are written inside" in n for n in g.notes)
    small = viz.draw(cnp.sin(x) * 0.5)  # a small picture keeps its ovals
    assert any(n.kind == "const" for n in small.nodes.values())


def _conv_net():
    cr.manual_seed(0)
    model = nn.Sequential(
        nn.Conv2d(1, 2, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(2 * 2 * 2, 3),
        nn.Tanh(),
    )
    loss = cnp.sum(model(cr.randn(2, 1, 4, 4)))
    loss.backward(retain_graph=True)
    return model, loss


def test_modules_without_parameters_in_a_sequential_get_their_own_boxes():
    model, loss = _conv_net()
    g = viz.draw(loss, model=model)
    titles = [n.title for n in g.nodes.values() if n.kind == "module"]
    assert titles == ["Conv2d 0", "ReLU 1", "MaxPool2d 2", "Flatten 3", "Linear 4"]
    consts = [n for n in g.nodes.values() if n.kind == "const"]
    assert [c.value.dtype.kind for c in consts] == ["f"]  # the input; ReLU's mask is inside
    assert any(n.kind == "op" and n.title == "tanh" for n in g.nodes.values())  # namesake
    assert "ops: windows → reshape → [·] → [·]" in g.to_dot()
    # the boxes form a chain, in the model's order
    order = {n.id: n.title for n in g.nodes.values() if n.kind == "module"}
    chain = [(order[e.src], order[e.dst]) for e in g.edges if e.src in order and e.dst in order]
    assert chain == list(zip(titles, titles[1:]))
    expanded = viz.draw(loss, model=model, expand=["2"]).to_dot()
    assert 'label="MaxPool2d 2"' in expanded and "sliding_windows" in expanded


def test_modules_without_parameters_after_a_freed_backward():
    cr.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2))
    loss = cnp.sum(model(cr.randn(5, 4)))
    loss.backward()
    titles = [n.title for n in viz.draw(loss, model=model).nodes.values() if n.kind == "module"]
    assert titles == ["Linear 0", "ReLU 1", "Linear 2"]


def test_the_default_size_limit_keeps_a_picture_readable():
    leaves = [cr.tensor(float(v), requires_grad=True) for v in np.linspace(0.1, 1, 80)]
    total = leaves[0]
    for i, leaf in enumerate(leaves[1:]):
        total = total * leaf if i % 2 else total + cnp.sin(leaf)
    g = viz.draw(total, collapse_repeats=False)
    assert len(g.nodes) <= 60


def test_batchnorm_statistics_belong_to_its_box_in_training_and_eval():
    cr.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 2))
    for train in (True, False):
        model.train(train)
        loss = cnp.sum(model(cr.randn(6, 4)) ** 2)
        loss.backward(retain_graph=True)
        g = viz.draw(loss, model=model)
        modules = [n.title for n in g.nodes.values() if n.kind == "module"]
        assert modules == ["Linear 0", "BatchNorm1d 1", "ReLU 2", "Linear 3"]
        ops = [n.title for n in g.nodes.values() if n.kind == "op"]
        assert ops == ["power", "sum"], ops  # nothing of BatchNorm's left outside
        if train:  # batch statistics: a long list of ops, cut to its ends and counted
            assert re.search(r"ops: [^<]* … [^<]* \(\d+ ops\)", g.to_dot())


def test_a_short_loop_is_drawn_step_by_step_unless_asked():
    x = cr.tensor(0.5, requires_grad=True)
    y = x
    for _ in range(10):
        y = cnp.sin(y)
    y.backward(retain_graph=True)
    g = viz.draw(y)
    assert len(g.nodes) == 11 and not g.notes  # every step, with its value and gradient
    assert len(viz.draw(y, collapse_repeats=True).nodes) == 2
