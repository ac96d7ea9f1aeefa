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


# -- gradients shown are this backward pass's ------------------------------------------------
def _leaf_label(dot: str, name: str) -> str:
    return _collapse_ws(next(v for v in node_labels(dot).values() if v.split()[0] == name))


def test_no_gradients_from_another_backward_before_this_graph_ran_backward():
    """After y.backward(create_graph=True), x.grad = 3 belongs to y's graph, not to the
    graph of x.grad itself (d(3x²)/dx = 6): drawing that one shows no gradient."""
    x = cr.tensor(1.0, requires_grad=True)
    y = x**3
    y.backward(create_graph=True)
    gx = x.grad
    g = viz.draw(gx, names={"x": x, "gx": gx})
    assert "grad" not in _leaf_label(g.to_dot(), "x")
    assert not g.has_grad
    assert any("has not run from this tensor" in n for n in g.notes)


def test_a_leaf_shows_this_pass_gradient_and_says_when_grad_holds_more():
    x, y = square_of_affine()
    y.backward(retain_graph=True)
    y.backward(retain_graph=True)  # x.grad is now 60: two passes of 30
    label = _leaf_label(viz.draw(y, names={"x": x}).to_dot(), "x")
    assert "grad 30" in label and ".grad holds 60" in label


def test_freed_graph_never_labels_an_edge_from_an_accumulated_grad():
    """x.grad adds up over backward() calls: after the second one it is 3 + 6 = 9, and
    9 / 3 is not d(x²)/dx = 2. Such a label is left out, never shown wrong."""
    x = cr.tensor(1.0, requires_grad=True)
    y = x**3
    y.backward(create_graph=True)
    gx = x.grad
    gx.backward()
    dot = viz.draw(gx, names={"x": x, "gx": gx}).to_dot()
    labels = node_labels(dot)
    leaf = next(k for k, v in labels.items() if v.split()[0] == "x")
    assert [lab for s, _, lab in edges(dot) if s == leaf] in ([None], ["2"])


# -- tuple-valued ops, indexing, summaries ------------------------------------------------------
def test_tuple_results_show_their_parts_and_the_part_index_is_not_an_input():
    a = cr.tensor(np.array([[2.0, 1.0], [1.0, 3.0]]), requires_grad=True)
    vals, vecs = cnp.linalg.eigh(a)
    loss = cnp.sum(vals**2) + cnp.sum(vecs[:, 0])
    loss.backward(retain_graph=True)
    g = viz.draw(loss, names={"a": a, "vals": vals, "vecs": vecs})
    text = _collapse_ws(" | ".join(node_labels(g.to_dot()).values()))
    assert "value tuple: (2,), (2, 2)" in text
    assert "part [0] of the result" in text and "part [1] of the result" in text
    assert "index [:, 0]" in text
    # the part numbers 0 and 1 are static, not constant inputs drawn as ovals
    assert not [n for n in g.nodes.values() if n.kind == "const" and n.title in ("0", "1")]
    np.testing.assert_allclose(
        next(n.grad for n in g.nodes.values() if n.name == "a"), a.grad.numpy()
    )


def test_split_parts_each_feed_their_consumers():
    v = cr.tensor(np.arange(6.0), requires_grad=True)
    p1, p2, p3 = cnp.split(v, 3)
    loss = cnp.sum(p1 * p2) + cnp.sum(p3)
    loss.backward(retain_graph=True)
    g = viz.draw(loss, names={"v": v})
    assert sum(n.kind == "const" for n in g.nodes.values()) == 0
    assert "grad mean 1.333 [0, 3]" in _leaf_label(g.to_dot(), "v")


def test_summaries_of_masks_uniform_arrays_and_float32(float64_default):
    # float32 is labelled where it is not the default dtype (float64 here)
    from chainrule.viz.format import summary

    assert summary(np.array([True, False, False, True])) == "mask, 50% true"
    assert summary(np.full((2, 3), 0.5)) == "all 0.5"
    a = cr.tensor(np.array([0.1, 0.2], dtype=np.float32), requires_grad=True)
    out = cnp.sum(cnp.exp(a))
    out.backward(retain_graph=True)
    assert "(2,) float32" in _leaf_label(viz.draw(out, names={"a": a}).to_dot(), "a")


def test_trace_names_star_args_and_leaves_the_callers_tensors_alone():
    w = cr.tensor(2.0, requires_grad=True)
    g = viz.trace(lambda x, *rest: x * rest[0], w, 3.0)
    assert "rest[0]" in " ".join(node_labels(g.to_dot()).values())
    assert w.grad is None  # tracing ran backward on its own copy


def test_a_tensor_without_graph_shows_its_value():
    g = viz.trace(lambda x: x.detach() * 2, 1.0)
    assert "out = 2" in g.to_dot()


def test_module_parameters_are_named_after_the_callers_module():
    from chainrule import nn

    cr.manual_seed(0)
    net = nn.Sequential(nn.Linear(3, 2), nn.Tanh())
    out = cnp.sum(net(cr.randn(4, 3)))
    names = [n.name for n in viz.draw(out).nodes.values() if n.kind == "leaf"]
    assert sorted(names) == ["0.bias", "0.weight"]


def test_edge_labels_multiply_and_add_up_to_the_gradient_on_random_scalar_graphs():
    """The chain rule, read off the picture: the sum over paths of the product of edge
    labels from the output back to x is x's gradient (labels have 6 digits)."""
    rng = np.random.default_rng(1)
    unary = [cnp.sin, cnp.tanh, cnp.exp, lambda a: a * 1.5]
    binary = [cnp.add, cnp.multiply, cnp.subtract, lambda a, b: a / (1 + b * b)]
    checked = 0
    for _ in range(20):
        x = cr.tensor(rng.uniform(-1, 1), requires_grad=True)
        z = cr.tensor(rng.uniform(-1, 1), requires_grad=True)
        values = [x, z]
        for _ in range(rng.integers(2, 7)):
            if rng.random() < 0.5:
                values.append(unary[rng.integers(4)](values[rng.integers(len(values))]))
            else:
                a, b = (values[rng.integers(len(values))] for _ in range(2))
                values.append(binary[rng.integers(4)](a, b))
        out = values[-1] + values[-2] * 0.5
        out.backward(retain_graph=True)
        g = viz.draw(out, names={"x": x}, collapse_repeats=False, max_nodes=None)
        into: dict[str, list] = {}
        for e in g.edges:
            if g.nodes[e.src].kind != "const":
                assert e.label is not None
                into.setdefault(e.dst, []).append((e.src, float(e.label)))
        total: dict[str, float] = {}  # d out / d node, summed over paths
        for nid in reversed(list(g.nodes)):
            n = g.nodes[nid]
            if n.root:
                total[nid] = 1.0
            for src, local in into.get(nid, []):
                total[src] = total.get(src, 0.0) + total.get(nid, 0.0) * local
        leaf = next((k for k, n in g.nodes.items() if n.name == "x"), None)
        if leaf is None:  # out does not depend on x
            continue
        assert total[leaf] == pytest.approx(x.grad.item(), rel=1e-4, abs=1e-6)
        checked += 1
    assert checked > 0  # some of the random graphs depend on x
