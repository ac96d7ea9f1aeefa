"""Reductions at their awkward points: zeros in products, ties in extrema, a zero
variance, NaNs, dtypes, and the errors for bad arguments."""

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp


def _others(x):
    """prod of all the other entries, by brute force."""
    return np.array([np.prod(np.delete(x, i)) for i in range(x.size)])


@pytest.mark.parametrize(
    "x", [[2.0, 0.0, 3.0, -1.5], [0.0, 0.0, 3.0, 2.0], [0.0, 1.0], [0.0], [1.5, -2.0, 4.0]]
)
def test_prod_gradient_with_zeros_is_exact(x):
    x = np.array(x)
    g = cr.grad(cnp.prod)(x)
    np.testing.assert_allclose(g, _others(x), atol=1e-15)
    assert np.all(np.isfinite(g))


def test_prod_hessian_with_one_zero():
    # H[i, j] = prod of the entries other than i and j (0 on the diagonal)
    x = np.array([2.0, 0.0, 3.0, -1.5])
    want = np.zeros((4, 4))
    for i in range(4):
        for j in range(4):
            if i != j:
                want[i, j] = np.prod(np.delete(x, [i, j]))
    np.testing.assert_allclose(cr.hessian(cnp.prod)(x), want, atol=1e-14)
    np.testing.assert_allclose(cr.jacfwd(cr.grad(cnp.prod))(x), want, atol=1e-14)


def test_prod_zero_gradient_along_an_axis():
    x = np.array([[1.0, 0.0, 2.0], [3.0, 4.0, 0.5]])
    g = cr.grad(lambda x: cnp.sum(cnp.prod(x, axis=1) ** 2))(x)
    p = np.prod(x, axis=1, keepdims=True)
    others = np.stack([_others(row) for row in x])
    np.testing.assert_allclose(g, 2 * p * others, atol=1e-14)


def test_cumprod_with_zeros_matches_brute_force_jacobian():
    x = np.array([1.5, 0.0, -2.0, 0.0, 3.0])
    jac = np.zeros((5, 5))  # jac[k, i] = d y_k / d x_i
    for k in range(5):
        for i in range(k + 1):
            jac[k, i] = np.prod(np.delete(x[: k + 1], i))
    np.testing.assert_allclose(cr.jacrev(cnp.cumprod)(x), jac, atol=1e-14)
    np.testing.assert_allclose(cr.jacfwd(cnp.cumprod)(x), jac, atol=1e-14)
    cr.check_grads(cnp.cumprod, (x,), order=2)


@pytest.mark.parametrize(
    "fn, x, want",
    [(cnp.max, [-1.0, 3.0, 3.0], [0.0, 0.5, 0.5]), (cnp.min, [-1.0, 3.0, -1.0], [0.5, 0.0, 0.5])],
)
def test_ties_split_evenly(fn, x, want):
    x = np.array(x)
    np.testing.assert_allclose(cr.grad(fn)(x), want)
    # forward mode agrees with reverse mode at the tie
    np.testing.assert_allclose(cr.jacfwd(fn)(x), want)


def test_ties_along_an_axis_and_three_way():
    x = np.array([[2.0, 2.0, 2.0], [1.0, 5.0, 5.0]])
    g = cr.grad(lambda x: cnp.sum(cnp.amax(x, axis=1)))(x)
    np.testing.assert_allclose(g, [[1 / 3, 1 / 3, 1 / 3], [0.0, 0.5, 0.5]])


def test_max_of_all_equal_row_never_nan():
    g = cr.grad(lambda x: cnp.sum(cnp.max(x, axis=0)))(np.zeros((3, 2)))
    np.testing.assert_allclose(g, np.full((3, 2), 1 / 3))


def test_std_at_zero_variance_has_zero_gradient():
    x = np.full(4, 1.25)
    g = cr.grad(cnp.std)(x)
    assert np.all(g == 0.0)
    np.testing.assert_allclose(
        cr.grad(cnp.std)(np.array([1.0, 2.0, 4.0])),
        cr.grad(lambda x: cnp.sqrt(cnp.var(x)))(np.array([1.0, 2.0, 4.0])),
    )


def test_nansum_ignores_nans_in_value_and_gradient():
    x = np.array([1.0, np.nan, 2.0])
    assert cnp.nansum(x) == 3.0
    np.testing.assert_array_equal(cr.grad(cnp.nansum)(x), [1.0, 0.0, 1.0])
    np.testing.assert_array_equal(cr.grad(cnp.nanmean)(x), [0.5, 0.0, 0.5])


def test_argmax_is_integer_and_carries_no_gradient():
    def f(x):
        i = cnp.argmax(x)
        return x[i] * 2.0

    x = np.array([0.5, 3.0, -1.0])
    np.testing.assert_array_equal(cr.grad(f)(x), [0.0, 2.0, 0.0])
    assert np.issubdtype(np.asarray(cnp.argmax(x)).dtype, np.integer)


def test_float32_stays_float32():
    x = np.arange(6, dtype=np.float32).reshape(2, 3) + 1
    for fn in (
        cnp.sum,
        cnp.mean,
        cnp.prod,
        cnp.max,
        cnp.var,
        cnp.std,
        lambda x: cnp.sum(cnp.cumsum(x, axis=1)),
        lambda x: cnp.sum(cnp.cumprod(x)),
    ):
        g = cr.grad(fn)(x)
        assert g.dtype == np.float32


def test_sum_over_a_tuple_of_axes():
    x = np.ones((2, 3, 4))
    assert cnp.sum(x, axis=(0, 2), keepdims=True).shape == (1, 3, 1)
    assert cnp.sum(x, axis=(0,), keepdims=False).shape == (3, 4)


def test_average_gradient_in_both_arguments():
    a = np.array([1.0, 2.0, 4.0])
    w = np.array([1.0, 3.0, 0.5])
    ga, gw = cr.grad(lambda a, w: cnp.average(a, weights=w), argnums=(0, 1))(a, w)
    np.testing.assert_allclose(ga, w / w.sum())
    np.testing.assert_allclose(gw, (a - np.average(a, weights=w)) / w.sum())


def test_tensor_backward_through_reductions():
    x = cr.tensor([[1.0, 4.0], [3.0, 2.0]], requires_grad=True)
    y = cnp.sum(cnp.max(x, axis=1)) + cnp.prod(x)
    y.backward()
    want = np.array([[0.0, 1.0], [1.0, 0.0]]) + _others(np.array([1.0, 4.0, 3.0, 2.0])).reshape(
        2, 2
    )
    np.testing.assert_allclose(x.grad.numpy(), want)


def test_sum_of_a_list_of_traced_values():
    g = cr.grad(lambda x: cnp.sum([x * 2.0, x, 1.0]))(1.5)
    assert g == 3.0


@pytest.mark.parametrize(
    "call, err, match",
    [
        (lambda: cnp.sum(np.ones((2, 3)), axis=2), np.exceptions.AxisError, "axis 2"),
        (lambda: cnp.mean(np.ones(3), axis=(0, 0)), ValueError, "duplicate"),
        (lambda: cnp.sum(np.ones(3), out=np.zeros(())), TypeError, "out="),
        (lambda: cnp.cumsum(np.ones((2, 2)), axis=-3), np.exceptions.AxisError, "axis -3"),
        (lambda: cnp.average(np.ones((2, 3)), weights=np.ones(3)), TypeError, r"\(2, 3\)"),
        (
            lambda: cnp.average(np.ones((2, 3)), axis=0, weights=np.ones(3)),
            ValueError,
            r"shape \(3,\)",
        ),
        (lambda: cnp.average(np.ones(3), weights=np.zeros(3)), ZeroDivisionError, "zero"),
        (lambda: cnp.var(np.ones(3), ddof=1, correction=1), ValueError, "correction"),
    ],
)
def test_bad_arguments_raise_clearly(call, err, match):
    with pytest.raises(err, match=match):
        call()
