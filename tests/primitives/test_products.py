"""Focused tests of the products family beyond the sweep: argument errors, einsum's
subscript forms, the complex convention, dtypes, and NumPy's dispatch on traced values."""

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp

RNG = np.random.default_rng(0)


def _r(*shape):
    return RNG.standard_normal(shape)


# -- errors name the shapes -----------------------------------------------------------------
def test_matmul_mismatch_names_shapes():
    with pytest.raises(ValueError, match=r"\(3, 4\) and \(5, 2\)"):
        cnp.matmul(_r(3, 4), _r(5, 2))
    with pytest.raises(ValueError, match="at least 1-D"):
        cnp.matmul(2.0, _r(3))
    with pytest.raises(ValueError, match="batch dimensions"):
        cnp.matmul(_r(2, 3, 4), _r(3, 4, 2))


def test_matmul_mismatch_inside_grad():
    with pytest.raises(ValueError, match=r"\(2, 3\) and \(2,\)"):
        cr.grad(lambda a: cnp.sum(a @ np.ones(2)))(_r(2, 3))


def test_tensordot_errors():
    with pytest.raises(ValueError, match=r"shapes \(2, 3\) and \(4, 5\)"):
        cnp.tensordot(_r(2, 3), _r(4, 5), axes=1)
    with pytest.raises(ValueError, match="different lengths"):
        cnp.tensordot(_r(2, 3), _r(3, 2), axes=([0, 1], [1]))
    with pytest.raises(TypeError, match="axes"):
        cnp.tensordot(_r(2, 3), _r(3, 2), axes="x")


@pytest.mark.parametrize(
    "subs, shapes, match",
    [
        ("ij,jk->ik", [(2, 3)], "2 operand"),
        ("ij->ik", [(2, 3)], "appear in no operand"),
        ("ij->ii", [(2, 2)], "repeat a label"),
        ("ijk->i", [(2, 3)], "shape"),
        ("...ij->ij", [(2, 3, 4)], r"no '\.\.\.'"),
        ("ij,jk->ik", [(2, 3), (4, 5)], "label 'j'"),
        ("i1->i", [(2, 2)], "invalid subscript"),
    ],
)
def test_einsum_errors(subs, shapes, match):
    with pytest.raises(ValueError, match=match):
        cnp.einsum(subs, *[_r(*s) for s in shapes])


def test_diag_and_diagonal_errors():
    with pytest.raises(ValueError, match=r"1-D or 2-D, got shape \(2, 2, 2\)"):
        cnp.diag(_r(2, 2, 2))
    with pytest.raises(ValueError, match="at least 2-D"):
        cnp.diagonal(_r(3))
    with pytest.raises(ValueError, match="cannot be the same"):
        cnp.diagonal(_r(3, 3), axis1=1, axis2=-1)


def test_out_is_rejected():
    with pytest.raises(TypeError, match="out="):
        cnp.dot(_r(2, 2), _r(2, 2), out=np.empty((2, 2)))
    with pytest.raises(TypeError, match="out="):
        cnp.einsum("ii", _r(2, 2), out=np.empty(()))


# -- einsum forms ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "subs, shapes",
    [
        ("Ba,aA", [(2, 3), (3, 4)]),  # implicit output: sorted, uppercase first
        ("ba", [(2, 3)]),
        ("...a,...a", [(2, 1, 3), (4, 3)]),
        ("i...,i...->...", [(3, 2), (3, 2)]),
        ("ijj->", [(2, 3, 3)]),
        ("a,b,c->abc", [(2,), (3,), (4,)]),
    ],
)
def test_einsum_forward_and_grads(subs, shapes):
    ops = [_r(*s) for s in shapes]
    np.testing.assert_allclose(cnp.einsum(subs, *ops), np.einsum(subs, *ops), rtol=1e-12)
    cr.check_grads(lambda *xs: cnp.einsum(subs, *xs), ops, order=2)


def test_einsum_with_a_constant_list_operand():
    a = _r(3)
    g = cr.grad(lambda x: cnp.einsum("i,i->", x, [1.0, 2.0, 3.0]))(a)
    np.testing.assert_allclose(g, [1.0, 2.0, 3.0])


def test_einsum_vjp_of_a_trace_is_the_identity():
    g = cr.grad(lambda a: cnp.einsum("ii", a))(_r(3, 3))
    np.testing.assert_allclose(g, np.eye(3))


# -- conventions ------------------------------------------------------------------------------
def test_complex_convention_matches_multiply():
    a = _r(2, 3) + 1j * _r(2, 3)
    b = _r(3, 2) + 1j * _r(3, 2)

    def by_multiply(x):
        prod = cnp.sum(cnp.reshape(x, (2, 3, 1)) * cnp.reshape(b, (1, 3, 2)), axis=1)
        return cnp.real(cnp.sum(prod * cnp.conj(prod)))

    def by_matmul(x):
        prod = x @ b
        return cnp.real(cnp.sum(prod * cnp.conj(prod)))

    def by_einsum(x):
        prod = cnp.einsum("ij,jk->ik", x, b)
        return cnp.real(cnp.sum(prod * cnp.conj(prod)))

    want = cr.grad(by_multiply)(a)
    np.testing.assert_allclose(cr.grad(by_matmul)(a), want, rtol=1e-12)
    np.testing.assert_allclose(cr.grad(by_einsum)(a), want, rtol=1e-12)


@pytest.mark.parametrize("sb", [(4, 2), (4,), (2, 4, 2)])
def test_float32_stays_float32(sb):
    a = _r(3, 4).astype(np.float32)
    b = _r(*sb).astype(np.float32)
    ga, gb = cr.grad(lambda x, y: cnp.sum(x @ y), argnums=(0, 1))(a, b)
    assert ga.dtype == np.float32 and gb.dtype == np.float32
    assert ga.shape == a.shape and gb.shape == b.shape


def test_matmul_vjp_sums_broadcast_batch():
    a, b = _r(3, 4), _r(5, 4, 2)
    ga = cr.grad(lambda x: cnp.sum(x @ b))(a)
    np.testing.assert_allclose(ga, np.sum(np.ones((5, 3, 2)) @ np.swapaxes(b, -1, -2), axis=0))


def test_triu_of_a_vector_sums_rows_back():
    v = _r(3)
    g = cr.grad(lambda x: cnp.sum(cnp.triu(x)))(v)
    np.testing.assert_allclose(g, np.sum(np.triu(np.ones((3, 3))), axis=0))


# -- NumPy dispatch and the Tensor API ------------------------------------------------------------
def test_plain_numpy_calls_on_traced_values():
    a, b = _r(3, 4), _r(4, 2)
    got = cr.grad(lambda x: cnp.sum(np.matmul(x, b) + np.einsum("ij,jk->ik", x, b)))(a)
    np.testing.assert_allclose(got, 2 * np.ones((3, 2)) @ b.T)
    got = cr.grad(lambda x: np.trace(np.dot(x, x.T)))(a)
    np.testing.assert_allclose(got, 2 * a)


def test_tensor_matmul_backward():
    x = cr.tensor(_r(3, 4), requires_grad=True)
    w = cr.tensor(_r(4, 2), requires_grad=True)
    (x @ w).sum().backward()
    np.testing.assert_allclose(np.asarray(x.grad), np.ones((3, 2)) @ np.asarray(w).T)
    np.testing.assert_allclose(np.asarray(w.grad), np.asarray(x).T @ np.ones((3, 2)))


def test_hessian_of_a_quadratic_form():
    q = _r(3, 3)
    h = cr.hessian(lambda x: x @ q @ x)(_r(3))
    np.testing.assert_allclose(h, q + q.T, rtol=1e-12)


def test_cross_of_integers_stays_integer():
    a, b = np.array([1, 2, 3]), np.array([4, 5, 6])
    got = cnp.cross(a, b)
    assert got.dtype == np.cross(a, b).dtype
    np.testing.assert_array_equal(got, np.cross(a, b))


def test_cotangent_through_a_transposed_weight_is_row_major_like_the_weight():
    # x @ w.T is how layers multiply: w's gradient must come back in w's own layout
    # (a strided gradient makes the optimizer's update several times slower)
    rng = np.random.default_rng(0)
    x, w = rng.standard_normal((5, 3)), rng.standard_normal((4, 3))
    gx, gw = cr.grad(lambda x, w: cnp.sum(cnp.sin(x @ w.T)), argnums=(0, 1))(x, w)
    assert gw.flags["C_CONTIGUOUS"] and gx.flags["C_CONTIGUOUS"]
    g = np.cos(x @ w.T)
    np.testing.assert_allclose(gw, g.T @ x, rtol=1e-14)
    np.testing.assert_allclose(gx, g @ w, rtol=1e-14)
    # and with the transposed operand first, broadcast against a batch
    xt, b = rng.standard_normal((3, 5)), rng.standard_normal((2, 3, 4))
    cr.check_grads(lambda xt, b: cnp.sum(cnp.sin(xt.T @ b)), modes=("rev", "fwd"), order=2)(xt, b)
