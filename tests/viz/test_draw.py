"""viz.draw: the DOT structure of small graphs (nodes, edges, values, gradients, local
derivatives), names, array summaries, freed graphs and trace()."""

from __future__ import annotations

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp
from chainrule import viz

from ._helpers import edges, node_labels, square_of_affine


def _collapse_ws(text: str) -> str:
    return " ".join(text.split())


def test_scalar_graph_nodes_values_grads_and_local_derivatives():
    x, y = square_of_affine()
    y.backward(retain_graph=True)
    dot = viz.draw(y, names={"x": x, "y": y}).to_dot()
    labels = {k: _collapse_ws(v) for k, v in node_labels(dot).items()}
    ops = {k: v for k, v in labels.items() if k.startswith("n")}
    assert len(ops) == 4  # x, multiply, add, power
    text = " | ".join(ops.values())
    for expected in ["x value 1 grad 30", "multiply (×) value 3 grad 10",
                     "add (+) value 5 grad 10", "y = power (^) value 25 grad 1"]:  # fmt: skip
        assert expected in text, (expected, text)
    consts = sorted(v for k, v in labels.items() if k.startswith("c"))
    assert consts == ['"2"', '"2"', '"3"']
    by_label = {(labels[s].split()[0], labels[d].split()[0]): lab for s, d, lab in edges(dot)}
    assert by_label[("x", "multiply")] == "3"  # d(3x)/dx
    assert by_label[("multiply", "add")] == "1"
    assert by_label[("add", "y")] == "10"  # d(u^2)/du at u = 5
    assert 'fillcolor="#fee2e2"' in dot  # the output is highlighted


def test_before_backward_shows_values_and_local_derivatives_but_no_grads():
    x, y = square_of_affine()
    g = viz.draw(y)
    dot = g.to_dot()
    assert "grad " not in " ".join(node_labels(dot).values())
    assert sorted(lab for *_, lab in edges(dot) if lab) == ["1", "10", "3"]
    assert not g.has_grad


def test_caller_names_are_used_by_default():
    weight = cr.tensor(2.0, requires_grad=True)
    out = cnp.sin(weight) * weight
    labels = " ".join(node_labels(viz.draw(out).to_dot()).values())
    assert "weight" in labels and "out = multiply" in labels


def test_repeated_input_gives_two_edges_with_their_own_derivatives():
    a = cr.tensor(3.0, requires_grad=True)
    b = a * a + cnp.sin(a)
    b.backward(retain_graph=True)
    dot = viz.draw(b, names={"a": a}).to_dot()
    labels = node_labels(dot)
    leaf = next(k for k, v in labels.items() if v.split()[0] == "a")
    mult = next(k for k, v in labels.items() if "multiply" in v)
    into_mult = [lab for s, d, lab in edges(dot) if s == leaf and d == mult]
    assert into_mult == ["3", "3"]
    assert "grad " + f"{6 + np.cos(3.0):.6g}" in labels[leaf]


def test_array_nodes_are_summarised_with_shape_mean_min_max():
    w = cr.tensor(np.arange(12.0).reshape(3, 4), requires_grad=True)
    loss = cnp.sum(cnp.tanh(w / 10.0))
    loss.backward(retain_graph=True)
    dot = viz.draw(loss, names={"w": w}).to_dot()
    text = " ".join(node_labels(dot).values())
    assert "(3, 4)" in text
    assert "value mean 5.5  [0, 11]" in text  # w itself
    grads = 0.1 * (1 - np.tanh(np.arange(12.0) / 10) ** 2)
    assert f"grad mean {grads.mean():.4g}" in text
    # the local derivatives of array edges are not drawn
    assert all(lab is None for s, d, lab in edges(dot) if "w" in node_labels(dot)[s])


def test_tensor_without_graph_draws_one_box_with_a_note():
    g = viz.draw(cr.tensor([1.0, 2.0]))
    assert len(g.nodes) == 1
    assert "does not require grad" in g.to_dot()


def test_draw_rejects_non_tensors():
    with pytest.raises(TypeError, match="chainrule Tensor"):
        viz.draw(np.ones(3))


def test_freed_graph_still_shows_leaves_and_output_and_says_what_is_missing():
    x, y = square_of_affine()
    y.backward()
    g = viz.draw(y, names={"x": x, "y": y})
    dot = g.to_dot()
    labels = " ".join(node_labels(dot).values())
    assert "grad 30" in labels and "value 25" in labels
    assert "retain_graph=True" in dot  # the note says how to see everything


def test_freed_graph_edge_labels_are_right_or_absent():
    """After a freed backward(), labels recovered from the recorded cotangents must
    agree with the exact ones (from the nodes' VJPs) wherever they are shown."""

    def labelled(retain):
        x = cr.tensor(0.7, requires_grad=True)
        z = cr.tensor(-1.3, requires_grad=True)
        y = cnp.exp(cnp.sin(x) * z) + cnp.tanh(z)
        y.backward(retain_graph=retain)
        dot = viz.draw(y, names={"x": x, "z": z, "y": y}).to_dot()
        return {(s, d): lab for s, d, lab in edges(dot)}

    exact, freed = labelled(True), labelled(False)
    for key, lab in freed.items():
        if lab is not None:
            assert lab == exact[key]


def test_trace_names_inputs_after_the_function_parameters():
    g = viz.trace(lambda x, y: x * y + cnp.sin(x), 2.0, 3.0)
    labels = " ".join(node_labels(g.to_dot()).values())
    assert "x value 2" in _collapse_ws(labels)
    assert f"grad {3 + np.cos(2.0):.6g}" in labels
    assert "out = add" in labels


def test_trace_of_a_vector_function_draws_without_backward():
    g = viz.trace(lambda v: cnp.sin(v) * 2.0, np.array([0.0, 1.0]))
    assert not g.has_grad
    assert "(2,)" in g.to_dot()


def test_repr_and_direction():
    x, y = square_of_affine()
    g = viz.draw(y)
    assert repr(g) == "<chainrule.viz.Graph: 7 boxes (3 ops), 6 edges>"
    assert "rankdir=LR" in g.to_dot()
    assert "rankdir=TB" in viz.draw(y, rankdir="TB").to_dot()
