"""In-place operations and their autograd semantics, against PyTorch's: the version check
refuses only when a rule needs a value that changed; fill_/zero_/copy_ follow the leaf
rule and copy_ is differentiable; detach()/.data share values with their base; ``.grad``
accumulates in place; backward(inputs=)."""

import threading

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp


def _leaf(values=(1.0, 2.0)):
    return cr.tensor(list(values), requires_grad=True)


# -- the version check: only values a rule reads ----------------------------------------
@pytest.mark.parametrize(
    "use, modify, expected",
    [
        (lambda h: h + 1.0, lambda h: h.add_(5.0), [2.0, 2.0]),  # add saves nothing
        (lambda h: h * 3.0, lambda h: h.mul_(5.0), [6.0, 6.0]),  # h's factor is 3.0
        (lambda h: h.sum(), lambda h: h.zero_(), [2.0, 2.0]),  # only h's shape
        (lambda h: h[0] * 1.0, lambda h: h.__setitem__(1, 0.0), [2.0, 0.0]),
        (lambda h: h.relu(), lambda h: h.sub_(100.0), [2.0, 2.0]),  # a saved mask
        (lambda h: h.reshape(2, 1), lambda h: h.mul_(0.0), [2.0, 2.0]),
        (lambda h: cnp.exp(h), lambda h: h.add_(1.0), [2 * np.e**2, 2 * np.e**4]),  # uses ans
    ],
)
def test_changing_an_input_the_rule_does_not_read_is_fine(use, modify, expected):
    a = _leaf()
    h = a * 2
    y = use(h)
    modify(h)
    y.sum().backward()
    np.testing.assert_allclose(a.grad.numpy(), expected)


@pytest.mark.parametrize(
    "use", [lambda h: cnp.sin(h), lambda h: h * h, lambda h: h**2, lambda h: h @ h]
)
def test_changing_an_input_the_rule_reads_is_refused(use):
    a = _leaf()
    h = a * 2
    y = use(h).sum()
    h += 1
    with pytest.raises(RuntimeError, match=r"in-place.*version 0.*now at version 1.*clone"):
        y.backward()


def test_version_check_with_create_graph():
    a = _leaf()
    h = a * 2
    y = (h + 1.0).sum()
    h.mul_(3.0)  # add's rule does not read h
    y.backward(create_graph=True)
    np.testing.assert_allclose(a.grad.numpy(), [2.0, 2.0])
    b = _leaf()
    k = b * 2
    z = cnp.sin(k).sum()
    k.mul_(3.0)
    with pytest.raises(RuntimeError, match="in-place"):
        z.backward(create_graph=True)


def test_create_graph_uses_the_values_and_graph_the_op_saw():
    # h is rebound to another graph after multiply used it; the recorded backward
    # must go through the graph h had then (d/da of 3 * 2a), not the new one
    a = cr.tensor([1.0, 2.0], requires_grad=True)
    h = a * 2
    y = (h * 3.0).sum()
    h += a  # h now has another graph; y's rule must still see the old one
    y.backward(create_graph=True)
    np.testing.assert_allclose(a.grad.numpy(), [6.0, 6.0])


def test_modifying_a_leaf_under_no_grad_after_use_is_detected():
    a = _leaf()
    y = (a * a).sum()
    with cr.no_grad():
        a.mul_(2.0)
    with pytest.raises(RuntimeError, match="in-place"):
        y.backward()


# -- leaf rule, fill_/zero_/copy_ ----------------------------------------------------------
@pytest.mark.parametrize(
    "op",
    [
        lambda t: t.zero_(),
        lambda t: t.fill_(1.0),
        lambda t: t.copy_(cr.tensor([3.0, 4.0])),
        lambda t: t.add_(1.0),
        lambda t: t.__setitem__(0, 1.0),
    ],
)
def test_every_inplace_op_refuses_a_leaf_that_requires_grad(op):
    w = _leaf()
    with pytest.raises(RuntimeError, match="leaf.*no_grad"):
        op(w)
    with cr.no_grad():
        op(w)
    assert w.requires_grad and w.is_leaf


def test_copy_is_differentiable_in_its_source():
    a = _leaf()
    b = cr.zeros(2)
    b.copy_(a * 3)
    assert b.requires_grad
    (b * b).sum().backward()
    np.testing.assert_allclose(a.grad.numpy(), [18.0, 36.0])
    # broadcast and cast to the destination's dtype, still differentiable
    c = cr.zeros((2, 2), dtype=cr.float32)
    s = cr.tensor(np.array([1.0, 2.0]), requires_grad=True)
    c.copy_(s)
    assert c.dtype == np.float32
    c.sum().backward()
    np.testing.assert_allclose(s.grad.numpy(), [2.0, 2.0])
    assert s.grad.dtype == np.float64


def test_copy_does_not_share_the_source_buffer():
    src = cr.tensor([1.0, 2.0])
    dst = cr.zeros(2)
    dst.copy_(src)
    dst.numpy()[0] = 9.0
    assert src.numpy()[0] == 1.0


def test_fill_and_zero_on_a_non_leaf_keep_it_in_the_graph():
    a = _leaf()
    b = a * 1.0
    b.fill_(2.0)
    assert b.requires_grad and b.grad_fn is not None
    (b * a).sum().backward()  # b is a constant 2 now: d/da = 2
    np.testing.assert_allclose(a.grad.numpy(), [2.0, 2.0])
    c = a * 1.0
    c.zero_()
    c.sum().backward()  # no error; the old history gets a zero gradient
    np.testing.assert_allclose(a.grad.numpy(), [2.0, 2.0])
    w = _leaf((5.0, 6.0))
    d = a * 1.0
    d.copy_(w * 2.0)  # d's old history (from a) stays, with a zero gradient
    a.grad = None
    d.sum().backward()
    np.testing.assert_allclose(a.grad.numpy(), [0.0, 0.0])
    np.testing.assert_allclose(w.grad.numpy(), [2.0, 2.0])


def test_inplace_under_no_grad_keeps_a_non_leaf_graph():
    a = _leaf()
    b = a * 2
    with cr.no_grad():
        b.add_(1.0)
    assert b.requires_grad and b.grad_fn is not None
    np.testing.assert_allclose(b.detach().numpy(), [3.0, 5.0])
    b.sum().backward()
    np.testing.assert_allclose(a.grad.numpy(), [2.0, 2.0])


def test_add_and_sub_take_alpha():
    a = _leaf()
    b = a * 1.0
    b.add_(a, alpha=2.0)
    b.sub_(cr.tensor([1.0, 1.0]), alpha=0.5)
    np.testing.assert_allclose(b.detach().numpy(), [2.5, 5.5])
    b.sum().backward()
    np.testing.assert_allclose(a.grad.numpy(), [3.0, 3.0])


def test_integer_tensor_refuses_a_float_result_in_place():
    i = cr.tensor([1, 2])
    with pytest.raises(RuntimeError, match="float32 can't be cast.*int64"):
        i += 1.5
    with pytest.raises(RuntimeError, match="can't be cast"):
        i /= 2
    i += 1
    i[0] = 7.9  # assignment truncates, as in PyTorch and NumPy
    assert i.tolist() == [7, 3]
    f = cr.tensor(np.ones(2, np.float32))
    f += cr.tensor([1.0, 2.0])  # float64 into float32: same kind, allowed
    assert f.dtype == np.float32 and f.tolist() == [2.0, 3.0]


def test_pow_in_place():
    a = _leaf()
    b = a * 1.0
    alias = b
    b **= 2
    assert alias is b
    b.pow_(0.5)
    b.sum().backward()
    np.testing.assert_allclose(a.grad.numpy(), [1.0, 1.0])


# -- detach() and .data share values ------------------------------------------------------------
def test_data_inplace_updates_reach_the_parameter():
    p = _leaf()
    p.data.add_(1.0)
    np.testing.assert_allclose(p.detach().numpy(), [2.0, 3.0])
    p.data.mul_(2.0)
    p.data.copy_(p.data * 0.5 + 1.0)  # a soft update, as in RL target networks
    np.testing.assert_allclose(p.detach().numpy(), [3.0, 4.0])
    p.data.zero_()
    p.data[1] = 5.0
    np.testing.assert_allclose(p.detach().numpy(), [0.0, 5.0])
    assert p.requires_grad and p.is_leaf and p.grad_fn is None


def test_detach_inplace_updates_reach_the_base_and_count_as_a_change():
    p = _leaf()
    p.detach().fill_(4.0)
    np.testing.assert_allclose(p.detach().numpy(), [4.0, 4.0])
    y = (p * p).sum()
    p.detach().zero_()  # PyTorch shares the version counter: backward refuses
    with pytest.raises(RuntimeError, match="in-place"):
        y.backward()
    q = _leaf()
    z = (q * q).sum()
    q.data.add_(1.0)  # .data changes are not tracked, as in PyTorch
    z.backward()
    np.testing.assert_allclose(q.grad.numpy(), [2.0, 4.0])  # the values z was made from


def test_detached_view_sees_earlier_changes_of_its_base():
    p = _leaf()
    d = p.detach()
    with cr.no_grad():
        p.add_(1.0)
    d.add_(1.0)  # starts from the base's current values
    np.testing.assert_allclose(p.detach().numpy(), [3.0, 4.0])
    np.testing.assert_allclose(d.numpy(), [3.0, 4.0])


def test_grad_data_zero():
    p = _leaf()
    (p * 3).sum().backward()
    p.grad.data.zero_()
    np.testing.assert_allclose(p.grad.numpy(), [0.0, 0.0])


# -- in-place ops inside a transform ----------------------------------------------------------
def test_inplace_op_with_a_traced_value_is_an_error_not_a_dropped_gradient():
    def f(t):
        y = cr.zeros(2)
        y[0] = t[0] * 3
        return y.sum()

    with pytest.raises(TypeError, match="in-place.*out-of-place"):
        cr.grad(f)(np.array([1.0, 2.0]))

    def g(t):
        y = cr.zeros(2)
        y += t
        return y.sum()

    with pytest.raises(TypeError, match="in-place"):
        cr.grad(g)(np.array([1.0, 2.0]))

    def h(t):
        y = cr.zeros(2)
        y.copy_(t)
        return y.sum()

    with pytest.raises(TypeError, match="in-place"):
        cr.grad(h)(np.array([1.0, 2.0]))


# -- .grad ---------------------------------------------------------------------------------------
def test_retain_grad_follows_an_inplace_op():
    a = _leaf()
    h = a * 3
    h.retain_grad()
    h *= 2  # h.grad is now the gradient of the new h
    (h * h).sum().backward()
    np.testing.assert_allclose(h.grad.numpy(), 2 * h.detach().numpy())


def test_grad_accumulates_into_the_same_tensor():
    a = _leaf()
    (a * 2).sum().backward()
    g = a.grad
    (a * 2).sum().backward()
    assert a.grad is g
    np.testing.assert_allclose(g.numpy(), [4.0, 4.0])


def test_no_accumulation_once_requires_grad_is_off():
    a = _leaf()
    y = (a * 2).sum()
    a.requires_grad_(False)
    y.backward()
    assert a.grad is None


def test_grad_assignment_is_checked():
    a = _leaf()
    with pytest.raises(RuntimeError, match="shape"):
        a.grad = cr.tensor([1.0])
    with pytest.raises(TypeError, match="Tensor"):
        a.grad = np.ones(2)
    a.grad = cr.tensor([5.0, 5.0])
    (a * 2).sum().backward()
    np.testing.assert_allclose(a.grad.numpy(), [7.0, 7.0])
    a.grad = None


def test_backward_inputs_limits_accumulation():
    a, b = _leaf(), _leaf((3.0, 4.0))
    h = a * b
    (h * 2).sum().backward(inputs=[a])
    np.testing.assert_allclose(a.grad.numpy(), [6.0, 8.0])
    assert b.grad is None
    (h * 2).sum().backward(inputs=h)  # a non-leaf input gets its .grad too
    np.testing.assert_allclose(h.grad.numpy(), [2.0, 2.0])
    np.testing.assert_allclose(a.grad.numpy(), [6.0, 8.0])
    with pytest.raises(RuntimeError, match="requires grad"):
        (a * 2).sum().backward(inputs=[cr.tensor([1.0])])


def test_inplace_ops_in_threads_do_not_interfere():
    errors = []

    def work(k):
        try:
            for _ in range(50):
                a = cr.tensor([float(k)], requires_grad=True)
                h = a * 2
                y = (h + 1.0).sum()
                h.mul_(3.0)
                y.backward()
                assert a.grad.item() == 2.0
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors


def test_a_detached_value_does_not_keep_its_base_alive():
    import gc
    import weakref

    a = _leaf()
    loss = (a * a).sum()
    logged = [loss.detach(), loss.data]  # e.g. kept for logging
    base = weakref.ref(loss)
    del loss
    gc.collect()
    assert base() is None
    logged[0].add_(1.0)  # the base is gone: nothing to pass the change on to
    assert logged[0].item() == 6.0 and logged[1].item() == 5.0
