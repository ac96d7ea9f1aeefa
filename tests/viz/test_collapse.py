"""Big graphs stay readable: module boxes (and expanding them), repeated structure,
and the size limit, each with a note saying what was collapsed."""

from __future__ import annotations

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
    xid = next(k for k, v in labels.items() if v.split()[0] == "xᵀ")  # F.linear uses x.T
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
