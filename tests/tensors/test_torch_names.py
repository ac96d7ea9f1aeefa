"""PyTorch's names in the Tensor API, each against PyTorch (float64): factories
(``full_like``, ``rand_like``, ``randn_like``, ``empty``, ``linspace``), grad-mode
switches (``set_grad_enabled``, ``inference_mode``) and methods (``all``, ``any``,
``square``, ``rsqrt``, ``log1p``, ``masked_fill``, ``gather``, ``add``/``sub``/``mul``/``div``
and in-place forms such as ``exp_``)."""

import numpy as np
import pytest

import chainrule as cr

torch = pytest.importorskip("torch")

A = np.array([[0.5, -1.5, 2.0], [1.25, 3.0, -0.75]])


def _pair(value=A, requires_grad=True):
    return (
        cr.tensor(value, requires_grad=requires_grad),
        torch.tensor(value, dtype=torch.float64, requires_grad=requires_grad),
    )


def _same(ours, theirs, **tol):
    theirs = theirs.detach().numpy() if isinstance(theirs, torch.Tensor) else theirs
    ours = ours.detach().numpy() if isinstance(ours, cr.Tensor) else ours
    assert np.shape(ours) == np.shape(theirs)
    assert np.asarray(ours).dtype == np.asarray(theirs).dtype
    np.testing.assert_allclose(ours, theirs, **tol)


def _grads_agree(fun_cr, fun_torch, value=A):
    """Forward values and gradients of ``fun(x).sum()`` agree with PyTorch."""
    x, xt = _pair(value)
    y, yt = fun_cr(x), fun_torch(xt)
    _same(y, yt, rtol=1e-12, atol=1e-12)
    y.sum().backward()
    yt.sum().backward()
    _same(x.grad, xt.grad, rtol=1e-12, atol=1e-12)


# -- factories ---------------------------------------------------------------------------
def test_full_like_takes_shape_and_dtype_from_its_input():
    for value, fill in ((A, 2.5), (np.array([1, 2]), 2.5), (np.array([1.0, 2.0]), True)):
        _same(cr.full_like(cr.tensor(value), fill), torch.full_like(torch.tensor(value), fill))
    t = cr.full_like(cr.tensor([1, 2]), 2, dtype=cr.float32, requires_grad=True)
    assert t.dtype == np.float32 and t.requires_grad and t.is_leaf


def test_random_like_factories_have_the_input_shape_and_dtype():
    cr.manual_seed(0)
    for make in (cr.rand_like, cr.randn_like):
        t = make(cr.zeros(3, 2, dtype=cr.float32))
        assert t.shape == (3, 2) and t.dtype == np.float32
        assert make(cr.zeros(4), requires_grad=True).requires_grad
        with pytest.raises(RuntimeError, match="floating-point"):
            make(cr.tensor([1, 2]))
    u = cr.rand_like(cr.zeros(1000))
    assert 0.0 <= u.numpy().min() and u.numpy().max() < 1.0
    cr.manual_seed(3)
    first = cr.randn_like(cr.zeros(5)).numpy()
    cr.manual_seed(3)
    np.testing.assert_array_equal(cr.randn_like(cr.zeros(5)).numpy(), first)


def test_empty_and_linspace():
    e = cr.empty(2, 3)
    assert e.shape == (2, 3) and e.dtype == np.float32  # the default dtype
    assert cr.empty((4,), dtype=cr.int64).dtype == np.int64
    np.testing.assert_array_equal(e.numpy(), 0.0)  # documented: zeros
    _same(cr.linspace(0, 1, 5), torch.linspace(0, 1, 5))  # both float32, the default
    _same(
        cr.linspace(-2.0, 3.0, 1, dtype=cr.float64), torch.linspace(-2, 3, 1, dtype=torch.float64)
    )
    ours = cr.linspace(cr.tensor(1.0), cr.tensor(2.0), 3, dtype=cr.float64)
    _same(ours, torch.linspace(torch.tensor(1.0), torch.tensor(2.0), 3, dtype=torch.float64))
    assert cr.linspace(0, 1, 3, requires_grad=True).requires_grad


# -- grad mode ---------------------------------------------------------------------------
def test_set_grad_enabled_as_function_context_manager_and_decorator():
    x = cr.tensor(1.0, requires_grad=True)
    try:
        cr.set_grad_enabled(False)  # takes effect at once, as in PyTorch
        assert not cr.is_grad_enabled() and not (x * 2).requires_grad
    finally:
        cr.set_grad_enabled(True)
    assert cr.is_grad_enabled()
    with cr.set_grad_enabled(False):
        assert not (x * 2).requires_grad
        with cr.set_grad_enabled(True):
            assert (x * 2).requires_grad
        assert not cr.is_grad_enabled()
    assert cr.is_grad_enabled()

    @cr.set_grad_enabled(False)
    def f():
        return cr.is_grad_enabled()

    assert cr.is_grad_enabled() and f() is False and cr.is_grad_enabled()


def test_inference_mode_behaves_as_no_grad():
    x = cr.tensor(1.0, requires_grad=True)
    with cr.inference_mode():
        assert not cr.is_grad_enabled() and not (x * 2).requires_grad
        with cr.inference_mode(False):  # as in PyTorch: recording again
            assert (x * 2).requires_grad
    with torch.no_grad(), torch.inference_mode(False):
        torch_on = torch.is_grad_enabled()
    with cr.no_grad(), cr.inference_mode(False):
        assert cr.is_grad_enabled() == torch_on

    @cr.inference_mode
    def f():
        return cr.is_grad_enabled()

    @cr.inference_mode()
    def g():
        return cr.is_grad_enabled()

    assert f() is False and g() is False and cr.is_grad_enabled()
    assert cr.autograd.inference_mode is cr.inference_mode


# -- methods -----------------------------------------------------------------------------
def test_all_and_any_match_pytorch():
    values = np.array([[1.0, 0.0, 2.0], [3.0, 4.0, 5.0]])
    x, xt = _pair(values, requires_grad=False)
    for name in ("all", "any"):
        _same(getattr(x, name)(), getattr(xt, name)())
        _same(getattr(x, name)(dim=0), getattr(xt, name)(dim=0))
        _same(getattr(x, name)(1, keepdim=True), getattr(xt, name)(1, keepdim=True))
        _same(getattr(x > 2, name)(dim=1), getattr(xt > 2, name)(dim=1))


@pytest.mark.parametrize("name", ["square", "rsqrt", "log1p", "exp", "sqrt"])
def test_elementwise_methods_match_pytorch(name):
    positive = np.abs(A) + 0.1
    _grads_agree(lambda t: getattr(t, name)(), lambda t: getattr(t, name)(), positive)


def test_integer_square_and_rsqrt():
    _same(cr.tensor([4, -3]).square(), torch.tensor([4, -3]).square())
    assert cr.tensor([4]).rsqrt().numpy()[0] == 0.5  # float64 here, float32 in PyTorch


def test_add_sub_mul_div_match_pytorch():
    b = np.array([2.0, -0.5, 4.0])
    bt = torch.tensor(b)
    _grads_agree(lambda t: t.add(cr.tensor(b), alpha=2), lambda t: t.add(bt, alpha=2))
    _grads_agree(lambda t: t.sub(1.5, alpha=3), lambda t: t.sub(1.5, alpha=3))
    _grads_agree(lambda t: t.sub(t * t), lambda t: t.sub(t * t))
    _grads_agree(lambda t: t.mul(cr.tensor(b)), lambda t: t.mul(bt))
    _grads_agree(lambda t: t.div(cr.tensor(b)), lambda t: t.div(bt))
    _grads_agree(lambda t: t.multiply(3.0).divide(2.0), lambda t: t.multiply(3.0).divide(2.0))
    ints, ints_t = cr.tensor([7, -7, 6]), torch.tensor([7, -7, 6])
    _same(ints.add(2, alpha=3), ints_t.add(2, alpha=3))
    _same(ints.div(2), ints_t.div(2))  # true division: the default dtype, float32
    for mode in ("floor", "trunc"):
        _same(ints.div(2, rounding_mode=mode), ints_t.div(2, rounding_mode=mode))
        x, xt = _pair(requires_grad=False)
        _same(x.div(-0.75, rounding_mode=mode), xt.div(-0.75, rounding_mode=mode))
    with pytest.raises(RuntimeError, match="alpha"):
        ints.add(2, alpha=0.5)
    with pytest.raises(ValueError, match="rounding_mode"):
        ints.div(2, rounding_mode="round")


def test_masked_fill_matches_pytorch():
    mask = np.array([[True, False, True], [False, False, True]])
    m, mt = cr.tensor(mask), torch.tensor(mask)
    _grads_agree(lambda t: t.masked_fill(m, -1.0), lambda t: t.masked_fill(mt, -1.0))
    row, row_t = cr.tensor([True, False, False]), torch.tensor([True, False, False])
    _grads_agree(lambda t: t.masked_fill(row, 0.0), lambda t: t.masked_fill(row_t, 0.0))
    x, xt = _pair()
    v, vt = cr.tensor(2.0, requires_grad=True), torch.tensor(2.0, requires_grad=True)
    (x.masked_fill(m, v) * x).sum().backward()
    (xt.masked_fill(mt, vt) * xt).sum().backward()
    _same(x.grad, xt.grad)
    _same(v.grad, vt.grad)  # both float32, the default dtype
    ints = cr.tensor([1, 2]).masked_fill(cr.tensor(True), 3.7)  # cast to the tensor's dtype
    _same(ints, torch.tensor([1, 2]).masked_fill(torch.tensor(True), 3.7))
    with pytest.raises(RuntimeError, match="boolean"):
        x.masked_fill(cr.tensor([1, 0, 1]), 0.0)
    with pytest.raises(RuntimeError, match="0-d"):
        x.masked_fill(m, cr.tensor([1.0, 2.0, 3.0]))


def test_gather_matches_pytorch():
    idx = np.array([[2, 0, 1], [1, 1, 0]])
    i, it = cr.tensor(idx), torch.tensor(idx)
    _grads_agree(lambda t: t.gather(1, i), lambda t: t.gather(1, it))
    small, small_t = cr.tensor([[1], [0]]), torch.tensor([[1], [0]])
    _grads_agree(lambda t: t.gather(1, small), lambda t: t.gather(1, small_t))
    rows, rows_t = cr.tensor([[1, 0]]), torch.tensor([[1, 0]])  # smaller outside dim 0 too
    _grads_agree(lambda t: t.gather(0, rows), lambda t: t.gather(0, rows_t))
    _grads_agree(lambda t: t.gather(-1, i), lambda t: t.gather(-1, it))
    x = cr.tensor(A)
    with pytest.raises(RuntimeError, match="integer"):
        x.gather(1, cr.tensor([[0.0]]))
    with pytest.raises(RuntimeError, match="dimensions"):
        x.gather(1, cr.tensor([0, 1]))
    with pytest.raises(RuntimeError, match="out of range"):
        x.gather(1, cr.tensor([[3]]))
    with pytest.raises(RuntimeError, match="out of range"):
        x.gather(1, cr.tensor([[-1]]))


@pytest.mark.parametrize(
    "name, args",
    [("exp", ()), ("square", ()), ("neg", ()), ("relu", ()), ("tanh", ()),
     ("clamp", (-1.0, 1.0)), ("sigmoid", ()),
     # log1p of the negative entries is NaN, and NumPy warns about it as PyTorch does not
     pytest.param("log1p", (), marks=pytest.mark.filterwarnings(
         "ignore:invalid value encountered in log1p:RuntimeWarning"))],
)  # fmt: skip
def test_inplace_forms_match_pytorch(name, args):
    x, xt = _pair()
    y, yt = x * 1.5, xt * 1.5
    assert getattr(y, name + "_")(*args) is y
    getattr(yt, name + "_")(*args)
    _same(y, yt, rtol=1e-12)
    y.sum().backward()
    yt.sum().backward()
    _same(x.grad, xt.grad, rtol=1e-12)


def test_inplace_forms_keep_the_dtype_and_guard_leaves():
    with pytest.raises(RuntimeError, match="can't be cast"):
        cr.tensor([1, 2]).exp_()
    with pytest.raises(RuntimeError, match="leaf"):
        cr.tensor([1.0], requires_grad=True).exp_()
    y = cr.tensor([1.0, -2.0])
    y.masked_fill_(y < 0, 0.0)
    np.testing.assert_array_equal(y.numpy(), [1.0, 0.0])
