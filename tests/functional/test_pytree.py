"""Pytrees as arguments and results: gradients come back in the input's structure,
container types included."""

import gc
import weakref
from collections import OrderedDict, defaultdict, namedtuple

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp


def test_pytrees_dicts_lists_namedtuples():
    Params = namedtuple("Params", ["w", "b"])

    def loss(p, batch):
        pred = p["layer"].w * batch[0] + p["layer"].b
        return cnp.sum((pred - batch[1]) ** 2) + p["extra"][0] ** 2

    params = {"layer": Params(np.array([1.0, 2.0]), 0.5), "extra": [3.0]}
    batch = (np.array([1.0, -1.0]), np.array([0.0, 1.0]))
    g = cr.grad(loss)(params, batch)
    assert isinstance(g, dict) and isinstance(g["layer"], Params)
    assert isinstance(g["extra"], list)
    r = params["layer"].w * batch[0] + 0.5 - batch[1]
    np.testing.assert_allclose(g["layer"].w, 2 * r * batch[0])
    assert g["layer"].b == pytest.approx(2 * r.sum())
    assert g["extra"][0] == pytest.approx(6.0)


def test_ordered_and_default_dicts_come_back_with_their_type():
    od = OrderedDict([("z", 1.0), ("a", 2.0)])
    g = cr.grad(lambda d: d["z"] * d["a"] ** 2)(od)
    assert type(g) is OrderedDict and list(g) == ["z", "a"]
    assert g == OrderedDict([("z", 4.0), ("a", 4.0)])
    dd = defaultdict(float, {"z": 1.0, "a": 2.0})
    g = cr.grad(lambda d: d["z"] * d["a"])(dd)
    assert type(g) is defaultdict and g.default_factory is float
    assert dict(g) == {"z": 2.0, "a": 1.0}
    # plain dicts: keys sorted, as in JAX; a dict of a different order is the same tree
    assert list(cr.grad(lambda d: d["z"] * d["a"])({"z": 1.0, "a": 2.0})) == ["a", "z"]
    _, f_vjp = cr.vjp(lambda x: {"z": x, "a": 2 * x}, 1.0)
    assert f_vjp({"z": 1.0, "a": 1.0}) == (3.0,)


def test_gradients_are_freed_without_the_garbage_collector():
    """Flattening and rebuilding pytrees makes no reference cycles, so a gradient (and
    the graph recorded to compute it) is freed as soon as the caller drops it."""

    gc.collect()
    gc.disable()
    try:
        grads = cr.grad(lambda p: cnp.sum(cnp.tanh(p["w"] @ p["x"])))(
            {"w": np.ones((4, 3)), "x": np.ones(3)}
        )
        ref = weakref.ref(grads["w"])
        del grads
        assert ref() is None
    finally:
        gc.enable()


def test_the_module_exposes_only_its_own_names():
    from chainrule.functional import pytree as module

    public = {n for n in dir(module) if not n.startswith("_")}
    assert public == {"TreeDef", "tree_flatten", "tree_leaves", "tree_map", "tree_unflatten"}
    assert set(module.__all__) == public
