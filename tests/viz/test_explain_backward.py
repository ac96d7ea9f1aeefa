"""explain_backward: golden text for (3x+2)^2, the path sum equals .grad for scalar and
array graphs (property test over random small graphs), and clear errors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import chainrule as cr
import chainrule.numpy as cnp
from chainrule import viz
from chainrule.viz.explanation import describe_factor

from ._helpers import square_of_affine

GOLDEN = """\
∂y/∂x by the chain rule: 1 path from y back to x. Each path contributes the
product of its local derivatives; the gradient is the sum over paths.

Path 1 of 1:  ∂y/∂x = ∂y/∂add · ∂add/∂multiply · ∂multiply/∂x
                  = 10 · 1 · 3
                  = 30
    factor          op        local derivative  value  gradient so far
    ∂y/∂add         power     b·a^(b−1)         10     10
    ∂add/∂multiply  add       1                 1      10
    ∂multiply/∂x    multiply  a                 3      30
    contribution of this path: 30

Sum over the 1 path:  30
backward() computes:  30   ✓ equal (max |diff| 0)
x.grad:  30   ✓ the same"""


def test_golden_text_for_square_of_affine():
    x, y = square_of_affine()
    y.backward(retain_graph=True)
    assert str(viz.explain_backward(y, wrt=x)) == GOLDEN


def test_before_backward_it_says_where_the_gradient_will_go():
    x, y = square_of_affine()
    text = str(viz.explain_backward(y, wrt=x))
    assert "x.grad is not set yet: y.backward() will put this there" in text


def test_two_paths_each_with_its_product_and_their_sum():
    x = cr.tensor(0.5, requires_grad=True)
    y = x * x + cnp.sin(x)  # three paths: both factors of x*x, and sin
    y.backward(retain_graph=True)
    ex = viz.explain_backward(y, wrt=x)
    assert ex.n_paths == 3
    contributions = sorted(float(p.contribution) for p in ex.paths)
    assert contributions == pytest.approx(sorted([0.5, 0.5, np.cos(0.5)]))
    assert float(ex.path_sum) == pytest.approx(x.grad.item())
    text = str(ex)
    assert "Path 3 of 3" in text and "✓ the same" in text


def test_markdown_has_a_table_per_path_and_the_summary():
    x, y = square_of_affine()
    y.backward(retain_graph=True)
    md = viz.explain_backward(y, wrt=x)._repr_markdown_()
    assert md.count("| factor | op | local derivative |") == 1
    assert "| ∂multiply/∂x | multiply | a | 3 | 30 |" in md
    assert "= 10 · 1 · 3 = **30**" in md


def test_arrays_show_shapes_and_norms_and_the_sum_equals_grad():
    rng = np.random.default_rng(0)
    W1 = cr.tensor(rng.normal(size=(4, 3)), requires_grad=True)
    W2 = cr.tensor(rng.normal(size=(2, 4)), requires_grad=True)
    x = cr.tensor(rng.normal(size=(5, 3)))
    h = cnp.tanh(x @ W1.T)
    L = cnp.mean((h @ W2.T) ** 2) + 0.1 * cnp.sum(W1 * W1)
    L.backward(retain_graph=True)
    ex = viz.explain_backward(L, wrt=W1)
    assert ex.n_paths == 3  # through the network, and twice through the penalty
    np.testing.assert_allclose(ex.path_sum, W1.grad.numpy(), rtol=1e-12, atol=1e-14)
    text = str(ex)
    assert "(5, 4) ← (5, 4)" in text  # the Jacobian of tanh maps (5, 4) to (5, 4)
    assert "‖·‖ = " in text and "shape (4, 3)" in text
    assert "∂h/∂matmul" in text  # factors named by the user's variables and ops


def test_freed_graph_raises_a_clear_error():
    x = cr.tensor(np.linspace(0, 1, 5000), requires_grad=True)  # past the display limit
    y = cnp.sum((3 * x + 2) ** 2)
    y.backward()
    with pytest.raises(RuntimeError, match="retain_graph=True") as info:
        viz.explain_backward(y, wrt=x)
    assert "before loss.backward()" in str(info.value)
    assert "re-run the forward" in str(info.value)


def test_bad_arguments():
    x, y = square_of_affine()
    other = cr.tensor(1.0, requires_grad=True)
    with pytest.raises(ValueError, match="does not depend on wrt"):
        viz.explain_backward(y, wrt=other)
    v = cr.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(ValueError, match=r"scalar loss.*\(2,\)"):
        viz.explain_backward(v * 2.0, wrt=v)
    with pytest.raises(ValueError, match="does not require grad"):
        viz.explain_backward(y, wrt=cr.tensor(1.0))


def test_many_paths_are_summarised_but_all_counted():
    x = cr.tensor(0.3, dtype=cr.float64, requires_grad=True)  # sums compared to 1e-12
    y = x
    for _ in range(6):  # each step doubles the number of paths
        y = y * y + y
    ex = viz.explain_backward(y, wrt=x, max_paths=5)
    assert ex.n_paths == 3**6
    text = str(ex)
    assert "Path 5 of 729" in text and "Path 6 of" not in text
    assert "The other 724 paths are not listed" in text
    assert float(ex.path_sum) == pytest.approx(float(ex.total), rel=1e-12)


def test_intermediate_tensor_as_wrt():
    x = cr.tensor(2.0, requires_grad=True)
    u = 3 * x + 2
    y = u**2
    ex = viz.explain_backward(y, wrt=u)
    assert float(ex.total) == pytest.approx(16.0)
    assert ex.n_paths == 1 and len(ex.paths[0].factors) == 1


# -- property: the paths add up to .grad on random small graphs ------------------------------
UNARY = [cnp.sin, cnp.tanh, lambda a: a * 1.5, lambda a: cnp.exp(0.3 * a), cnp.negative]
BINARY = [cnp.add, cnp.subtract, cnp.multiply, lambda a, b: a * cnp.cos(b)]


@st.composite
def programs(draw):
    steps = []
    for k in range(draw(st.integers(1, 7))):
        n_values = 2 + k  # x, c, then one value per step
        if draw(st.booleans()):
            steps.append(("u", draw(st.integers(0, len(UNARY) - 1)),
                          draw(st.integers(0, n_values - 1))))  # fmt: skip
        else:
            steps.append(("b", draw(st.integers(0, len(BINARY) - 1)),
                          draw(st.integers(0, n_values - 1)), draw(st.integers(0, n_values - 1))))  # fmt: skip
    return steps


def _run(steps, x, c):
    values = [x, c]
    for step in steps:
        if step[0] == "u":
            values.append(UNARY[step[1]](values[step[2]]))
        else:
            values.append(BINARY[step[1]](values[step[2]], values[step[3]]))
    # the loss uses the last value and, to add paths, every other one
    return cnp.sum(values[-1]) + 0.5 * sum(cnp.sum(v) for v in values[2:-1]) + cnp.sum(x)


@settings(max_examples=60, deadline=None)
@given(programs(), st.sampled_from([(), (3,), (2, 3)]), st.integers(0, 2**16))
def test_path_sum_equals_grad_on_random_graphs(steps, shape, seed):
    rng = np.random.default_rng(seed)
    x = cr.tensor(rng.uniform(-1, 1, size=shape), requires_grad=True)
    c = cr.tensor(rng.uniform(-1, 1, size=shape[-1:]))  # broadcasts against x
    loss = _run(steps, x, c)
    ex = viz.explain_backward(loss, wrt=x, names={})
    loss.backward(retain_graph=True)
    np.testing.assert_allclose(ex.path_sum, x.grad.numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ex.total, x.grad.numpy(), rtol=0, atol=0)
    assert ex.n_paths == len(ex.paths) >= 1
    for path in ex.paths:  # each path's contribution has the parameter's shape
        assert np.shape(path.contribution) == shape


def test_a_one_element_loss_of_shape_1_is_explained():
    v = cr.tensor(np.array([2.0]), requires_grad=True)
    loss = v * 3.0  # shape (1,): backward() accepts it, so does the explanation
    ex = viz.explain_backward(loss, wrt=v)
    assert "= 3" in str(ex) and "= **3**" in ex.to_markdown()
    np.testing.assert_allclose(ex.path_sum, [3.0])


def test_an_intermediate_wrt_is_not_promised_a_grad():
    x = cr.tensor(2.0, requires_grad=True)
    u = 3 * x + 2
    y = u**2
    y.backward(retain_graph=True)
    text = str(viz.explain_backward(y, wrt=u))
    assert "not set yet" not in text
    assert "u.retain_grad()" in text


def test_wrt_the_loss_itself_is_a_clear_error():
    x, y = square_of_affine()
    with pytest.raises(ValueError, match="wrt is the loss itself"):
        viz.explain_backward(y, wrt=y)


def test_broadcast_inputs_say_the_gradient_is_summed():
    s = cr.tensor(0.5, requires_grad=True)
    m = np.arange(6.0).reshape(2, 3)
    y = cnp.sum((m + s) ** 2)
    y.backward(retain_graph=True)
    ex = viz.explain_backward(y, wrt=s)
    rules = [describe_factor(f)[0] for f in ex.paths[0].factors]
    assert "1, summed over the broadcast axes" in rules
    assert float(ex.path_sum) == pytest.approx(s.grad.item())


def test_parameters_of_the_callers_model_are_named_and_paths_add_up():
    from chainrule import nn

    cr.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1))
    x = cr.randn(5, 3)
    loss = cnp.mean(model(x) ** 2) + 0.01 * cnp.sum(model[0].weight ** 2)
    loss.backward(retain_graph=True)
    ex = viz.explain_backward(loss, wrt=model[0].weight)
    assert ex.wrt == "0.weight" and ex.n_paths == 2
    np.testing.assert_allclose(ex.path_sum, model[0].weight.grad.numpy(), rtol=1e-12)


def test_single_factor_paths_are_not_written_twice():
    x = cr.tensor(0.7, requires_grad=True)
    y = x * x * x
    y.backward(retain_graph=True)
    text = str(viz.explain_backward(y, wrt=x))
    assert "= 0.49\n                  = 0.49" not in text
    assert "Path 3 of 3:  ∂y/∂x = ∂y/∂x\n                  = 0.49\n" in text


def _tour_network():
    from chainrule import nn
    from chainrule.nn import functional as F

    cr.manual_seed(0)
    model = nn.Sequential(nn.Linear(6, 5), nn.Tanh(), nn.Linear(5, 3))
    x = cr.randn(4, 6)
    labels = cr.tensor(np.array([0, 2, 1, 2]))
    loss = F.cross_entropy(model(x), labels)
    return model, loss


def test_layer_level_follows_the_tutorials_formula_and_multiplies_out_to_grad():
    model, loss = _tour_network()
    loss.backward(retain_graph=True)
    ex = viz.explain_backward(loss, wrt=model[0].weight, model=model)
    (path,) = ex.paths
    assert [f.symbol for f in path.factors] == ["∂loss/∂z2", "∂z2/∂tanh", "∂tanh/∂z1", "∂z1/∂W1"]
    assert path.factors[1].rule == "g @ W2"
    np.testing.assert_allclose(ex.path_sum, model[0].weight.grad.numpy(), rtol=1e-12)
    ops = viz.explain_backward(loss, wrt=model[0].weight, model=model, level="ops")
    assert len(ops.paths[0].factors) == 13  # the transposes and the loss's own ops
    np.testing.assert_allclose(ops.path_sum, ex.path_sum, rtol=1e-12)
    assert all(len(line) <= 80 for line in str(ex).splitlines())
    assert all(len(line) <= 80 for line in str(ops).splitlines())
    # after a plain backward() too: it keeps a small graph's saved arrays
    model, loss = _tour_network()
    loss.backward()
    after = viz.explain_backward(loss, wrt=model[0].weight, model=model)
    assert str(after) == str(ex)
    with pytest.raises(RuntimeError, match="second time"):
        loss.backward()


def test_user_names_set_the_factors_of_a_scalar_graph():
    x = cr.tensor(1.0, requires_grad=True)
    u = 3 * x + 2
    y = u**2
    ex = viz.explain_backward(y, wrt=x, names={"x": x, "u": u, "y": y})
    assert [f.symbol for f in ex.paths[0].factors] == ["∂y/∂u", "∂u/∂x"]
    assert [float(f.local) for f in ex.paths[0].factors] == [10.0, 3.0]


def test_unknown_level_is_a_clear_error():
    x, y = square_of_affine()
    with pytest.raises(ValueError, match="level must be 'layers' or 'ops'"):
        viz.explain_backward(y, wrt=x, level="modules")


@settings(max_examples=25, deadline=None)
@given(programs(), st.sampled_from([(), (3,), (2, 3)]), st.integers(0, 2**16))
def test_after_backward_the_kept_arrays_explain_the_gradient(steps, shape, seed):
    rng = np.random.default_rng(seed)
    x = cr.tensor(rng.uniform(-1, 1, size=shape), requires_grad=True)
    c = cr.tensor(rng.uniform(-1, 1, size=shape[-1:]))
    loss = _run(steps, x, c)
    loss.backward()
    ex = viz.explain_backward(loss, wrt=x, names={})
    np.testing.assert_allclose(ex.path_sum, x.grad.numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ex.total, x.grad.numpy(), rtol=1e-12, atol=1e-14)
