"""autograd's ``builtins`` and ``misc`` (``flatten``, ``optimizers``,
``fixed_points``), and ``grad`` of one-element outputs."""

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp
from chainrule.builtins import isinstance, type
from chainrule.extend import defvjp, primitive
from chainrule.misc import const_graph, flatten, flatten_func
from chainrule.misc.fixed_points import fixed_point
from chainrule.misc.optimizers import adam, rmsprop, sgd


def test_isinstance_and_type_see_through_traces():
    def f(x):
        assert isinstance(x, np.ndarray) and type(x) is np.ndarray
        return cnp.sum(x)

    cr.grad(f)(np.ones(2))
    assert cr.tuple is tuple and cr.isinstance is isinstance


def test_flatten_round_trip_and_gradient():
    value = {"w": np.arange(6.0).reshape(2, 3), "b": (np.ones(2), 3.0)}
    vec, unflatten = flatten(value)
    assert vec.shape == (9,)
    back = unflatten(vec)
    np.testing.assert_array_equal(back["w"], value["w"])
    assert back["b"][1] == 3.0
    g = cr.grad(lambda v: cnp.sum(unflatten(v)["w"] ** 2) + unflatten(v)["b"][1])(vec)
    g_tree = unflatten(g)
    np.testing.assert_allclose(g_tree["w"], 2 * value["w"])
    assert g_tree["b"][1] == 1.0 and not np.any(g_tree["b"][0])
    flat_f, _, flat_x = flatten_func(lambda p: cnp.sum(p["w"]), value)
    assert flat_f(flat_x) == 15.0


@pytest.mark.parametrize("opt", [adam, sgd, rmsprop])
def test_optimizers_minimise_and_call_back(opt):
    calls = []

    def callback(params, i, g):
        calls.append(i)

    grad = cr.grad(lambda p, i: cnp.sum((p["w"] - 3.0) ** 2))
    out = opt(grad, {"w": np.zeros(2)}, callback=callback, num_iters=1500, step_size=0.05)
    np.testing.assert_allclose(out["w"], 3.0, atol=1e-2)
    assert calls[:3] == [0, 1, 2] and len(calls) == 1500


def test_fixed_point_gradient_uses_the_adjoint_equation():
    def newton_sqrt(a):
        return lambda x: 0.5 * (x + a / x)

    def sqrt(a):
        return fixed_point(newton_sqrt, a, 1.0, lambda x, y: abs(x - y), 1e-12)

    assert np.isclose(sqrt(2.0), np.sqrt(2.0))
    assert np.isclose(cr.grad(sqrt)(2.0), 0.5 / np.sqrt(2.0))


def test_fixed_point_second_derivative_and_parameters_in_a_tuple():
    # x* = sqrt(a * b), reached by slow gradient steps; the tuple's leaves are traced
    def step(params):
        a, b = params
        return lambda x: x - 0.05 * (x * x - a * b)

    def root(a, b):
        return fixed_point(step, (a, b), 1.0, lambda x, y: abs(x - y), 1e-13)

    a, b = 2.0, 1.5
    da, db = cr.grad(root, argnums=(0, 1))(a, b)
    assert np.isclose(da, 0.5 * np.sqrt(b / a), rtol=1e-9)
    assert np.isclose(db, 0.5 * np.sqrt(a / b), rtol=1e-9)
    second = cr.grad(cr.grad(root))(a, b)  # through the adjoint's own fixed point
    assert np.isclose(second, -0.25 * np.sqrt(b) * a**-1.5, rtol=1e-8)


def test_const_graph_records_once_and_replays_the_operations():
    calls = []

    @primitive
    def logged(x, name):
        calls.append(name)
        return x

    defvjp(logged, lambda ans, x, name: lambda g: g, None)

    def f(a, x, y):
        x = logged(x, "x")
        a = logged(a, "a")  # a is fixed: not recorded, not replayed
        return cnp.sin(x) * y + a * cnp.exp(y) + cnp.sum(cnp.stack([x, y]) ** 2)

    fast = const_graph(f, 0.5)
    assert fast(1.0, 2.0) == pytest.approx(f(0.5, 1.0, 2.0))
    assert calls == ["x", "a", "x", "a"]
    points = [(0.3, -1.2), (2.0, 0.1)]
    wants = [f(0.5, x, y) for x, y in points]
    calls.clear()
    assert [fast(x, y) for x, y in points] == pytest.approx(wants)
    assert calls == ["x", "x"]  # only the recorded call runs again
    # replayed steps are ordinary primitive calls: an outer grad differentiates them
    want = cr.grad(lambda x: f(0.5, x, 0.7))(0.4)
    assert cr.grad(lambda x: fast(x, 0.7))(0.4) == pytest.approx(want)


def test_const_graph_replays_an_inner_transform_and_records_new_shapes_again():
    fast = const_graph(lambda x: cr.grad(lambda z: cnp.sum(cnp.tanh(z) * z))(x * 2.0))
    for x in (np.array([0.1, -0.4]), np.array([1.5, 0.2]), np.arange(3.0)):
        want = 1.0 * (np.tanh(2 * x) + 2 * x / np.cosh(2 * x) ** 2)
        np.testing.assert_allclose(fast(x), want, rtol=1e-12)


def test_const_graph_refuses_a_branch_on_a_recorded_value():
    fast = const_graph(lambda x: x * 2.0 if x > 0 else -x)
    with pytest.raises(TypeError, match="branches on a value"):
        fast(1.0)


@pytest.mark.parametrize("shape", [(1,), (1, 1)])
def test_grad_of_a_one_element_output(shape):
    g = cr.grad(lambda x: cnp.reshape(cnp.sum(x**2), shape))(np.array([1.0, 2.0]))
    np.testing.assert_allclose(g, [2.0, 4.0])
    with pytest.raises(TypeError, match=r"shape \(2,\)"):
        cr.grad(lambda x: x * 2)(np.ones(2))
