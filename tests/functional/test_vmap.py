"""``vmap``: in_axes / out_axes semantics, pytrees, errors, nesting, and composition
with the derivative transforms. Every result is checked against a Python loop."""

from __future__ import annotations

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp

rng = np.random.default_rng(0)
X = rng.standard_normal((5, 3))
W = rng.standard_normal((3, 2))


def _loop(f, *args, axes=None):
    axes = axes or (0,) * len(args)
    n = next(np.shape(a)[ax] for a, ax in zip(args, axes) if ax is not None)
    picks = [
        [a if ax is None else np.take(a, i, axis=ax) for a, ax in zip(args, axes)] for i in range(n)
    ]
    return np.stack([np.asarray(f(*p)) for p in picks])


def layer(x, w):
    return cnp.tanh(x @ w)


def test_maps_over_the_first_axis_by_default():
    np.testing.assert_allclose(
        cr.vmap(layer, in_axes=(0, None))(X, W), _loop(layer, X, W, axes=(0, None))
    )


def test_inside_the_function_a_batched_value_looks_like_one_example():
    seen = []

    def f(x):
        seen.append((x.shape, x.ndim, x.size, len(x)))
        return x.sum()

    cr.vmap(f)(X)
    assert seen == [((3,), 1, 3, 3)]


def test_negative_and_nonzero_in_axes():
    xt = X.T  # batch along the last axis
    want = _loop(layer, X, W, axes=(0, None))
    np.testing.assert_allclose(cr.vmap(layer, in_axes=(-1, None))(xt, W), want)
    np.testing.assert_allclose(cr.vmap(layer, in_axes=(1, None))(xt, W), want)


@pytest.mark.parametrize("out_axes", [0, 1, -1])
def test_out_axes_places_the_batch_axis(out_axes):
    got = cr.vmap(lambda x: cnp.outer(x, x), out_axes=out_axes)(X)
    want = np.moveaxis(_loop(lambda x: np.outer(x, x), X), 0, out_axes)
    np.testing.assert_allclose(got, want)


def test_unbatched_outputs_are_repeated_or_kept_with_out_axes_none():
    got_repeated, got_kept = cr.vmap(lambda x, w: (x * 2.0, w + 1.0), in_axes=(0, None),
                                     out_axes=(0, None))(X, W)  # fmt: skip
    np.testing.assert_allclose(got_repeated, 2.0 * X)
    np.testing.assert_allclose(got_kept, W + 1.0)
    repeated = cr.vmap(lambda x: 7.0)(X)
    np.testing.assert_allclose(repeated, np.full(5, 7.0))


def test_pytree_arguments_with_in_axes_prefixes():
    params = {"w": W, "b": rng.standard_normal(2)}
    batch = (X, rng.standard_normal((5, 2)))

    def f(p, xy):
        x, y = xy
        return cnp.sum((x @ p["w"] + p["b"] - y) ** 2)

    got = cr.vmap(f, in_axes=({"w": None, "b": None}, (0, 0)))(params, batch)
    want = [f(params, (batch[0][i], batch[1][i])) for i in range(5)]
    np.testing.assert_allclose(got, want)
    # a whole-tree None is the same as None at every leaf
    np.testing.assert_allclose(cr.vmap(f, in_axes=(None, 0))(params, batch), want)


def test_pytree_outputs_with_out_axes_tree():
    out = cr.vmap(lambda x: {"sum": x.sum(), "twice": 2 * x}, out_axes={"sum": 0, "twice": 1})(X)
    np.testing.assert_allclose(out["sum"], X.sum(1))
    np.testing.assert_allclose(out["twice"], 2 * X.T)


def test_keyword_arguments_are_mapped_along_axis_0():
    got = cr.vmap(lambda x, *, scale: x * scale)(X, scale=np.arange(5.0))
    np.testing.assert_allclose(got, X * np.arange(5.0)[:, None])


def test_nesting_maps_two_axes():
    a, b = rng.standard_normal((4, 3)), rng.standard_normal((6, 3))
    dist = cr.vmap(
        cr.vmap(lambda u, v: cnp.sum((u - v) ** 2), in_axes=(None, 0)), in_axes=(0, None)
    )
    want = ((a[:, None, :] - b[None, :, :]) ** 2).sum(-1)
    np.testing.assert_allclose(dist(a, b), want)
    inner_first = cr.vmap(cr.vmap(lambda u: u * 3.0), in_axes=1, out_axes=1)
    np.testing.assert_allclose(inner_first(X), 3.0 * X)


def loss(w, x):
    return cnp.sum(cnp.tanh(x @ w) ** 2)


def test_per_example_gradients_vmap_of_grad():
    got = cr.vmap(cr.grad(loss), in_axes=(None, 0))(W, X)
    want = np.stack([cr.grad(loss)(W, x) for x in X])
    np.testing.assert_allclose(got, want, rtol=1e-12)


def test_grad_through_vmap():
    def total(w):
        return cnp.sum(cr.vmap(loss, in_axes=(None, 0))(w, X))

    np.testing.assert_allclose(cr.grad(total)(W), cr.grad(loss)(W, X), rtol=1e-12)
    cr.check_grads(total, (W,), order=2)


def test_jvp_and_vjp_both_ways():
    v = rng.standard_normal(3)
    f = cr.vmap(lambda x: cnp.sin(x) * x)
    out, t = cr.jvp(f, (X,), (np.tile(v, (5, 1)),))
    np.testing.assert_allclose(t, (np.cos(X) * X + np.sin(X)) * v)
    batched_jvp = cr.vmap(lambda x: cr.jvp(lambda y: cnp.sin(y) * y, (x,), (v,))[1])
    np.testing.assert_allclose(batched_jvp(X), t)
    _, pull = cr.vjp(f, X)
    np.testing.assert_allclose(pull(np.ones_like(X))[0], np.cos(X) * X + np.sin(X))


def test_custom_vjp_and_checkpoint_run_per_example():
    @cr.custom_vjp
    def clipped(x):
        return cnp.sin(x)

    clipped.defvjp(lambda x: (cnp.sin(x), x), lambda x, g: (g * 2.0,))
    np.testing.assert_allclose(cr.vmap(clipped)(X), np.sin(X))
    per_example = cr.vmap(cr.grad(lambda x: cnp.sum(clipped(x))))(X)
    np.testing.assert_allclose(per_example, np.full_like(X, 2.0))
    ck = cr.vmap(cr.grad(cr.checkpoint(lambda x: cnp.sum(cnp.exp(x)))))(X)
    np.testing.assert_allclose(ck, np.exp(X))


def test_a_batched_setting_is_applied_per_example():
    got = cr.vmap(lambda x, v: cnp.full_like(x, v))(X, np.arange(5.0))
    np.testing.assert_allclose(got, np.arange(5.0)[:, None] * np.ones_like(X))


def test_python_control_flow_on_batched_values_is_refused():
    def f(x):
        if cnp.sum(x) > 0:
            return x
        return -x

    with pytest.raises(TypeError, match="vmap: the truth value .* cnp.where"):
        cr.vmap(f)(X)
    with pytest.raises(TypeError, match="vmap: the truth value"):
        cr.vmap(cr.grad(lambda x: cnp.sum(x) if cnp.sum(x) > 0 else 0.0))(X)


def test_mismatched_batch_sizes_name_the_arguments():
    with pytest.raises(ValueError, match=r"argument 0: 5, argument 1: 4"):
        cr.vmap(lambda a, b: a + b)(X, np.ones((4, 3)))


@pytest.mark.parametrize(
    "in_axes, match",
    [
        ((0,), "in_axes has 1 entries but .* 2 positional"),
        (((0, 0), None), r"in_axes \(0, 0\) for argument 0 does not match"),
        ((None, None), "maps no argument"),
        ((2, None), "in_axes 2 for argument 0 is out of range: it has shape"),
        ("rows", "in_axes must be an int, None, or a tuple"),
    ],
)
def test_bad_in_axes_are_explained(in_axes, match):
    with pytest.raises((ValueError, TypeError), match=match):
        cr.vmap(layer, in_axes=in_axes)(X, W)


def test_out_axes_none_on_a_batched_output_is_an_error():
    with pytest.raises(ValueError, match="out_axes is None for output leaf 0"):
        cr.vmap(lambda x: x * 2, out_axes=None)(X)
    with pytest.raises(ValueError, match="out_axes 3 is out of range for output leaf 0"):
        cr.vmap(lambda x: x * 2, out_axes=3)(X)


def test_index_arrays_that_differ_per_example():
    np.testing.assert_allclose(cr.vmap(lambda x: x[cnp.argmax(x)])(X), X.max(1))
    tables = rng.standard_normal((5, 4, 6, 3))
    rows = np.array([[0, 2], [1, 1], [2, 0], [2, 2], [0, 1]])
    cases = [
        lambda t, r: t[r],
        lambda t, r: t[:, r],  # advanced after a slice: NumPy's axis order differs
        lambda t, r: t[r, :, r],  # non-adjacent advanced indices
        lambda t, r: t[..., r[0]],
        lambda t, r: t[r, 1:, 2],
    ]
    for f in cases:
        np.testing.assert_allclose(cr.vmap(f)(tables, rows), _loop(f, tables, rows))
    table = tables[0]
    picked = cr.vmap(lambda r: cnp.take(table, r, axis=1))(rows)  # only the index batched
    np.testing.assert_allclose(picked, _loop(lambda r: np.take(table, r, axis=1), rows))
    gather = lambda t, r: cnp.sum(cnp.sin(t[:, r]))  # noqa: E731
    per_example = cr.vmap(cr.grad(gather), in_axes=(None, 0))(table, rows)
    np.testing.assert_allclose(per_example, np.stack([cr.grad(gather)(table, r) for r in rows]))
    total = lambda t: cnp.sum(cr.vmap(gather, in_axes=(None, 0))(t, rows))  # noqa: E731
    np.testing.assert_allclose(cr.grad(total)(table), per_example.sum(0))


def test_sort_under_vmap_and_its_gradient():
    np.testing.assert_allclose(cr.vmap(cnp.sort)(X), np.sort(X, axis=1))
    top2 = lambda x: cnp.sum(cnp.sort(x)[-2:] ** 2)  # noqa: E731
    got = cr.vmap(cr.grad(top2))(X)
    np.testing.assert_allclose(got, np.stack([cr.grad(top2)(x) for x in X]))


def test_per_example_masks_and_writes_are_refused_clearly():
    with pytest.raises(NotImplementedError, match="vmap: a boolean mask .* cnp.where"):
        cr.vmap(lambda x: x[x > 0])(X)
    with pytest.raises(NotImplementedError, match="vmap: index_update at positions"):
        cr.vmap(lambda x: cnp.index_update(x, cnp.argmax(x), 0.0))(X)
    with pytest.raises(NotImplementedError, match="vmap: a NumPy function without a deriv"):
        cr.vmap(lambda x: cnp.convolve(x, np.ones(2)))(X)  # NumPy's, passed through


def test_escaped_batched_values_are_refused():
    kept = []
    cr.vmap(lambda x: kept.append(x) or x)(X)
    with pytest.raises(RuntimeError, match="escaped"):
        cnp.sin(kept[0])
