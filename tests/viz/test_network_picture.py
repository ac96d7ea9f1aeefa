"""The picture of the tour's network: its input as the user has it (x, not xᵀ), its
weights by the names given, and the one-hot targets cross_entropy builds, named."""

import numpy as np

import chainrule as cr
from chainrule import nn, viz
from chainrule.nn import functional as F


def test_the_network_picture_names_input_weights_and_targets():
    cr.manual_seed(0)
    model = nn.Sequential(nn.Linear(6, 5), nn.Tanh(), nn.Linear(5, 3))
    x = cr.randn(4, 6)
    z2 = model(x)
    L = F.cross_entropy(z2, cr.tensor(np.array([0, 2, 1, 2])))
    L.backward(retain_graph=True)
    names = {"x": x, "W1": model[0].weight, "W2": model[2].weight, "L": L}
    graph = viz.draw(L, names=names, model=model)
    consts = {n.title: n.shape for n in graph.nodes.values() if n.kind == "const"}
    assert consts["x"] == (4, 6) and "x\u1d40" not in consts
    assert consts["one-hot"] == (4, 3)
    details = [line for n in graph.nodes.values() if n.kind == "module" for line in n.detail]
    assert any(line.startswith("W1 (5, 6)") for line in details)
    assert any(line.startswith("W2 (3, 5)") for line in details)
