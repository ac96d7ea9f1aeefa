"""Shape and indexing families at their edges: repeated indices, masks, unused split
pieces, sort's permutation, Tensor index arrays, and clear errors on bad shapes."""

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp
from chainrule.primitives import indexing as I
from chainrule.primitives import shape as Sh


# -- indexing --------------------------------------------------------------------------------
def test_repeated_indices_accumulate():
    g = cr.grad(lambda x: cnp.sum(x[np.array([0, 0, 3, 0])] * np.array([1.0, 2.0, 3.0, 4.0])))(
        np.zeros(4)
    )
    np.testing.assert_array_equal(g, [7.0, 0.0, 0.0, 3.0])


def test_repeated_indices_second_order():
    # f = sum(x[idx]^3): the Hessian is diagonal with 6 x_i times the multiplicity
    idx = np.array([1, 1, 2])
    x = np.array([0.5, -1.0, 2.0])
    h = cr.hessian(lambda x: cnp.sum(x[idx] ** 3))(x)
    np.testing.assert_allclose(h, np.diag(6 * x * np.array([0, 2, 1])))


def test_boolean_mask_gradient():
    x = np.array([[1.0, -2.0], [-3.0, 4.0]])
    g = cr.grad(lambda x: cnp.sum(x[x > 0] ** 2))(x)
    np.testing.assert_array_equal(g, np.where(x > 0, 2 * x, 0.0))


def test_traced_and_tensor_index_arrays_are_unboxed():
    x = np.array([10.0, 20.0, 30.0])
    idx = cr.tensor([2, 0])
    np.testing.assert_array_equal(cr.grad(lambda x: cnp.sum(x[idx]))(x), [1.0, 0.0, 1.0])
    t = cr.tensor(x, requires_grad=True)
    cnp.sum(t[idx] * t[[1, 1]]).backward()
    np.testing.assert_array_equal(t.grad.numpy(), [20.0, 40.0, 20.0])


def test_index_update_gradients():
    x = np.arange(6.0).reshape(2, 3)
    v = np.array([7.0, 8.0])

    def f(x, v):
        y = I.index_update(x, (slice(None), 1), v)
        return cnp.sum(y * np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]))

    gx, gv = cr.grad(f, argnums=(0, 1))(x, v)
    np.testing.assert_array_equal(gx, [[1.0, 0.0, 3.0], [4.0, 0.0, 6.0]])
    np.testing.assert_array_equal(gv, [2.0, 5.0])


def test_tensor_setitem_records_index_update():
    w = cr.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = w * 2.0
    y[1] = w[0] * 10.0
    cnp.sum(y).backward()
    np.testing.assert_array_equal(w.grad.numpy(), [12.0, 0.0, 2.0])


def test_index_add_accumulates():
    x = np.zeros(3)
    out = I.index_add(x, [0, 0, 2], np.array([1.0, 2.0, 3.0]))
    np.testing.assert_array_equal(out, [3.0, 0.0, 3.0])
    g = cr.grad(lambda v: cnp.sum(I.index_add(x, [0, 0, 2], v) ** 2))(np.array([1.0, 2.0, 3.0]))
    np.testing.assert_array_equal(g, [6.0, 6.0, 6.0])


def test_index_errors():
    with pytest.raises(IndexError):
        cr.grad(lambda x: cnp.sum(x[5]))(np.ones(3))
    with pytest.raises(IndexError, match="valid indices"):
        I.getitem(np.ones(3), [0.5])
    with pytest.raises(ValueError, match=r"shape \(4,\).*shape \(3,\)"):
        I.index_update(np.ones((2, 3)), 0, np.ones(4))


# -- splitting, sorting, joining -----------------------------------------------------------
def test_gradient_of_one_split_piece():
    x = np.arange(6.0)
    g = cr.grad(lambda x: cnp.sum(cnp.split(x, 3)[1] ** 2))(x)
    np.testing.assert_array_equal(g, [0.0, 0.0, 4.0, 6.0, 0.0, 0.0])
    # forward mode through the same piece
    np.testing.assert_array_equal(cr.jacfwd(lambda x: cnp.split(x, [2])[1])(x)[:, 2:], np.eye(4))


def test_sort_routes_gradient_through_the_permutation():
    x = np.array([3.0, -1.0, 2.0])
    g = cr.grad(lambda x: cnp.sum(cnp.sort(x) * np.array([1.0, 10.0, 100.0])))(x)
    np.testing.assert_array_equal(g, [100.0, 1.0, 10.0])
    assert cr.grad(lambda x: cnp.sum(cnp.argsort(x) * x))(x).tolist() == [1.0, 2.0, 0.0]


def test_broadcast_to_and_gradients_are_writable():
    g = cr.grad(lambda x: cnp.sum(cnp.broadcast_to(x, (3, 2))))(np.array([1.0, 2.0]))
    np.testing.assert_array_equal(g, [3.0, 3.0])
    g += 1.0  # a gradient is an ordinary array
    out = cnp.broadcast_to(np.ones(2), (2, 2))
    out[0, 0] = 5.0


def test_concatenate_mixed_dtypes_keeps_each_inputs_dtype():
    def f(a, b):
        return cnp.sum(cnp.concatenate([a, b]) ** 2)

    a = np.ones(2, np.float32)
    b = np.ones(3)
    ga, gb = cr.grad(f, argnums=(0, 1))(a, b)
    assert ga.dtype == np.float32 and gb.dtype == np.float64


def test_pad_reflect_gradient_counts_each_source():
    g = cr.grad(lambda x: cnp.sum(cnp.pad(x, 2, mode="reflect")))(np.zeros(4))
    # reflect of [a b c d] by 2: c b | a b c d | c b
    np.testing.assert_array_equal(g, [1.0, 3.0, 3.0, 1.0])


def test_stack_of_traced_list_and_shape_helpers():
    f = lambda x: cnp.stack([x, 2 * x, x * x])
    np.testing.assert_allclose(cr.jacfwd(f)(3.0), [1.0, 2.0, 6.0])
    assert cnp.shape(cr.tensor(np.ones((2, 3)))) == (2, 3)
    assert cnp.ndim(np.ones((2, 3))) == 2 and cnp.size(np.ones((2, 3)), axis=1) == 3


def test_zeros_like_of_traced_value_is_constant():
    g = cr.grad(lambda x: cnp.sum(x * 2.0 + cnp.zeros_like(x) + cnp.ones_like(x)))(np.ones(2))
    np.testing.assert_array_equal(g, [2.0, 2.0])
    assert isinstance(cnp.zeros_like(cr.tensor([1.0, 2.0])), cr.Tensor)


def test_full_like_with_traced_fill_keeps_gradient():
    g = cr.grad(lambda v: cnp.sum(cnp.full_like(np.ones((2, 3)), v)))(1.5)
    assert g == 6.0


@pytest.mark.parametrize(
    "call, err, match",
    [
        (
            lambda: cnp.concatenate([np.ones((2, 3)), np.ones((2, 4))]),
            ValueError,
            r"\(2, 3\).*\(2, 4\)",
        ),
        (lambda: cnp.concatenate([np.float64(1.0), np.float64(2.0)]), ValueError, "zero-dim"),
        (lambda: cnp.stack([np.ones(2), np.ones(3)]), ValueError, "same shape"),
        (lambda: cnp.broadcast_to(np.ones(3), (2, 4)), ValueError, r"\(3,\) to \(2, 4\)"),
        (lambda: cnp.reshape(np.ones(6), (4, -1)), ValueError, r"shape \(6,\)"),
        (lambda: cnp.reshape(np.ones(6), (-1, -1)), ValueError, "one unknown"),
        (lambda: cnp.split(np.ones(5), 2), ValueError, "equal sections"),
        (lambda: cnp.squeeze(np.ones((2, 1)), axis=0), ValueError, "not one"),
        (lambda: cnp.transpose(np.ones((2, 3)), (0, 0)), ValueError, "axes"),
        (
            lambda: cr.grad(lambda v: cnp.sum(cnp.pad(v, 1, mode="median")))(np.ones(3)),
            NotImplementedError,
            "supported modes",
        ),
        (lambda: cnp.pad(np.ones(3), -1), ValueError, "negative"),
        (lambda: cnp.swapaxes(np.ones((2, 3)), 0, 2), np.exceptions.AxisError, "axis 2"),
        (lambda: cnp.take_along_axis(np.ones((2, 3)), np.zeros(3, int), 1), ValueError, "dims"),
    ],
)
def test_bad_shapes_raise_clearly(call, err, match):
    with pytest.raises(err, match=match):
        call()


def test_traced_pad_constant_is_rejected_not_dropped():
    with pytest.raises(TypeError, match="constant_values"):
        cr.grad(lambda c: cnp.sum(cnp.pad(np.ones(2), 1, constant_values=c)))(1.0)


def test_as_operand_leaves_plain_input_alone():
    a = [1.0, 2.0]
    assert Sh.as_operand(a) is a


# -- memory-order flattening and casting --------------------------------------------------------
_BASE = np.arange(24.0).reshape(2, 3, 4)


@pytest.mark.parametrize(
    "x",
    [_BASE, _BASE.T, _BASE.transpose(1, 0, 2), _BASE[:, ::-1], np.asfortranarray(_BASE)],
    ids=["C", "T", "permuted", "negative-step", "F"],
)
def test_ravel_and_reshape_orders_follow_the_layout_like_numpy(x):
    for order in "CFAK":
        np.testing.assert_array_equal(cnp.ravel(x, order), np.ravel(x, order))
    for order in "CFA":
        np.testing.assert_array_equal(cnp.reshape(x, -1, order), np.reshape(x, -1, order=order))
    # traced: the values (views made by the ops) have the same layouts as NumPy's
    w = np.arange(24.0)
    g = cr.grad(lambda v: cnp.sum(cnp.ravel(v.T, "K") * w))(_BASE)
    np.testing.assert_array_equal(g.T.ravel("K"), w)


def test_stack_family_checks_casting_like_numpy():
    xs = [np.ones(2), np.zeros(2)]
    with pytest.raises(TypeError, match="same_kind"):
        cnp.stack(xs, dtype=int)
    for fn in ("stack", "vstack", "hstack"):
        got = getattr(cnp, fn)(xs, dtype=np.int64, casting="unsafe")
        want = getattr(np, fn)(xs, dtype=np.int64, casting="unsafe")
        assert got.dtype == want.dtype
        np.testing.assert_array_equal(got, want)


# -- pad: every mode NumPy has, traced or not ---------------------------------------------------
_PAD_CASES = [
    (((1, 2), (2, 1)), "maximum", {}),
    (((1, 2), (2, 1)), "minimum", {}),
    (((1, 2), (2, 1)), "mean", {"stat_length": ((1, 3), (2, 10))}),
    (((2, 3), (1, 2)), "linear_ramp", {"end_values": ((5, 6), (7, 8))}),
    (2, "linear_ramp", {}),
    (((0, 0), (3, 3)), "reflect", {}),
]


@pytest.mark.parametrize("width, mode, kwargs", _PAD_CASES, ids=[c[1] for c in _PAD_CASES])
def test_pad_modes_match_numpy_and_differentiate(width, mode, kwargs):
    x = np.random.default_rng(0).standard_normal((3, 4))
    out, t = cr.jvp(lambda v: cnp.pad(v, width, mode=mode, **kwargs), (x,), (np.ones_like(x),))
    np.testing.assert_allclose(out, np.pad(x, width, mode=mode, **kwargs))
    cr.check_grads(lambda v: cnp.pad(v, width, mode=mode, **kwargs), (x,), order=2)
    x32 = x.astype(np.float32)
    assert (
        cr.grad(lambda v: cnp.sum(cnp.pad(v, width, mode=mode, **kwargs)))(x32).dtype == x32.dtype
    )


def test_pad_of_plain_arrays_is_numpys_in_every_mode():
    x = np.arange(5)
    for mode in ("median", "empty", "maximum"):
        got, want = cnp.pad(x, 2, mode=mode), np.pad(x, 2, mode=mode)
        assert got.shape == want.shape and got.dtype == want.dtype
    np.testing.assert_array_equal(cnp.pad(x, 2, mode="median"), np.pad(x, 2, mode="median"))
    with pytest.raises(NotImplementedError, match="median"):
        cr.grad(lambda v: cnp.sum(cnp.pad(v, 1, mode="median")))(np.ones(3))


def test_diff_of_booleans_is_not_equal_like_numpy():
    b = np.array([[True, False, True], [False, False, True]])
    for kwargs in ({}, {"axis": 0}, {"n": 2}, {"prepend": True}):
        got, want = cnp.diff(b, **kwargs), np.diff(b, **kwargs)
        assert got.dtype == want.dtype
        np.testing.assert_array_equal(got, want)
