"""PyTorch-compatible corners of the Tensor API: factories' dtypes, reduction and shape
signatures, conversions to Python and NumPy, bitwise operators, grad-mode decorators
and threads, and anomaly mode in recorded backward passes."""

import copy
import pickle
import threading
import time

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp


# -- factories -------------------------------------------------------------------------------
def test_numpy_scalars_keep_their_dtype():
    assert cr.tensor(np.float32(2.0)).dtype == np.float32
    assert cr.tensor([np.float32(1.0), np.float32(2.0)]).dtype == np.float32
    assert cr.tensor(np.int32(3)).dtype == np.int32
    assert cr.tensor(2.0).dtype == np.float64  # Python floats: float64 (our default)
    assert cr.tensor([1, 2.5]).dtype == np.float64


def test_full_takes_its_dtype_from_the_fill_value():
    assert cr.full((2, 2), 3).dtype == np.int64
    assert cr.full((2,), True).dtype == np.bool_
    assert cr.full(3, 1.5).dtype == np.float64 and cr.full(3, 1.5).shape == (3,)
    assert cr.full((2,), 1.5, dtype=cr.float32).dtype == np.float32
    big = 2**60 + 1  # not exactly representable as a float
    assert cr.full((1,), big, dtype=cr.int64).tolist() == [big]
    assert cr.full((), 2.0).shape == ()


# -- methods -------------------------------------------------------------------------------------
def test_var_and_std_take_unbiased_positionally():
    x = cr.tensor([[1.0, 2.0, 4.0], [0.0, 3.0, 3.0]])
    assert x.var(False).item() == pytest.approx(np.var(x.numpy()))
    assert x.std(True).item() == pytest.approx(np.std(x.numpy(), ddof=1))
    np.testing.assert_allclose(x.var(1, False).numpy(), np.var(x.numpy(), axis=1))


def test_reductions_honour_dtype():
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    s = x.sum(dtype=cr.float32)
    assert s.dtype == np.float32 and s.item() == 3.0
    assert x.mean(0, dtype=cr.float32).dtype == np.float32
    assert cr.tensor([1, 2]).sum(dtype=cr.float64).dtype == np.float64
    s.backward()
    assert x.grad.dtype == np.float64


def test_squeeze_with_several_dims():
    x = cr.tensor(np.ones((1, 3, 1, 2)))
    assert x.squeeze((0, 2)).shape == (3, 2)
    assert x.squeeze((0, 1)).shape == (3, 1, 2)  # axes of another size are left alone
    assert x.squeeze(-2).shape == (1, 3, 2)
    assert x.squeeze(1) is x
    assert cr.tensor(1.0).squeeze(0).shape == ()


def test_to_with_device_and_dtype():
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    assert x.to("cpu", cr.float32).dtype == np.float32
    assert x.to(device="cpu", dtype=cr.float32).dtype == np.float32
    assert x.to(cr.tensor(np.ones(1, np.float32))).dtype == np.float32
    assert x.to("cpu") is x
    y = x.to(copy=True)
    assert y is not x and y.requires_grad
    x.to(cr.float32).sum().backward()
    assert x.grad.dtype == np.float64


def test_max_with_dim_sends_the_gradient_to_the_reported_index():
    x = cr.tensor([[1.0, 3.0, 3.0], [2.0, 2.0, 0.0]], requires_grad=True)
    values, indices = x.max(dim=1)
    assert indices.tolist() == [1, 0]
    values.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [[0, 1, 0], [1, 0, 0]])
    x.grad = None
    values, indices = x.min(1, keepdim=True)
    assert values.shape == (2, 1) and indices.tolist() == [[0], [2]]
    values.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [[1, 0, 0], [0, 0, 1]])
    x.grad = None
    x.max().backward()  # full reduction: ties share, as in PyTorch
    np.testing.assert_array_equal(x.grad.numpy(), [[0, 0.5, 0.5], [0, 0, 0]])


def test_methods_with_pytorch_meaning_not_numpys():
    x = cr.tensor([[3.0, 1.0, 3.0], [0.0, 5.0, 4.0]], requires_grad=True)
    # repeat tiles whole copies (NumPy's repeat would repeat each element)
    assert x[0].repeat(2).tolist() == [3.0, 1.0, 3.0, 3.0, 1.0, 3.0]
    assert x.repeat(2, 1).shape == (4, 3) and x.repeat(1, 2, 1).shape == (1, 4, 3)
    with pytest.raises(RuntimeError, match="one size per dimension"):
        x.repeat(2)
    # sort returns (values, indices), ties in order; the values are differentiable
    values, indices = x.sort(descending=True)
    assert values.tolist() == [[3.0, 3.0, 1.0], [5.0, 4.0, 0.0]]
    assert indices.tolist() == [[0, 2, 1], [1, 2, 0]]
    assert x.sort(0).indices.tolist() == [[1, 0, 0], [0, 1, 1]]
    assert x.argsort(dim=0).tolist() == [[1, 0, 0], [0, 1, 1]]
    (values * cr.tensor([1.0, 2.0, 3.0])).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [[1, 3, 2], [3, 1, 2]])
    assert x.cumsum(dim=1).tolist() == [[3.0, 4.0, 7.0], [0.0, 5.0, 9.0]]
    assert x.cumprod(0).tolist() == [[3.0, 1.0, 3.0], [0.0, 5.0, 12.0]]
    assert x.cumsum(-1, dtype=cr.float32).dtype == np.float32


# -- conversions ---------------------------------------------------------------------------------
def test_python_scalars():
    assert int(cr.tensor(2**62 + 1)) == 2**62 + 1  # exact, not through a float
    assert int(cr.tensor(-2.7)) == -2
    assert float(cr.tensor([2.5])) == 2.5  # one element, as in PyTorch
    with pytest.raises(TypeError, match="one-element"):
        float(cr.tensor([1.0, 2.0]))
    assert [10, 11, 12][cr.tensor(2)] == 12
    with pytest.raises(TypeError, match="integer tensors"):
        [10, 11, 12][cr.tensor(1.0)]
    assert complex(cr.tensor(1.0 + 2.0j)) == 1.0 + 2.0j


def test_format_spec():
    loss = cr.tensor(1.23456, requires_grad=True) * 1.0
    assert f"{loss:.2f}" == "1.23"
    assert f"{cr.tensor([1.5])}" == str(cr.tensor([1.5]))
    with pytest.raises(TypeError):
        f"{cr.tensor([1.5]):.2f}"


def test_np_array_copies_and_np_asarray_shares():
    t = cr.tensor([1.0, 2.0])
    a = np.array(t)
    a[0] = 9.0
    assert t.tolist() == [1.0, 2.0]
    assert np.shares_memory(np.asarray(t), t.numpy())
    assert np.array(t, dtype=np.float32).dtype == np.float32
    with pytest.raises(ValueError, match="copy"):
        np.asarray(t, dtype=np.float32, copy=False)


def test_pickle_and_copy():
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    (x * x).sum().backward()
    y = pickle.loads(pickle.dumps(x))
    assert y.requires_grad and y.is_leaf and y.tolist() == [1.0, 2.0]
    assert y.grad.tolist() == [2.0, 4.0]
    c = copy.copy(x)
    assert c is not x and c.requires_grad and c._node is not x._node
    p = cr.nn.Parameter(cr.tensor([1.0]))
    assert type(pickle.loads(pickle.dumps(p))) is cr.nn.Parameter
    z = pickle.loads(pickle.dumps(x * 2))  # as in PyTorch: a new leaf, no graph
    assert z.is_leaf and z.requires_grad and z.tolist() == [2.0, 4.0]


def test_bitwise_operators():
    a, b = cr.tensor([1, 2, 3]), cr.tensor([3, 3, 1])
    assert (a & b).tolist() == [1, 2, 1]  # bitwise on integers, as in PyTorch
    assert (a | b).tolist() == [3, 3, 3]
    assert (a ^ b).tolist() == [2, 1, 2]
    assert (~a).tolist() == [-2, -3, -4]
    assert (1 & a).tolist() == [1, 0, 1]
    m = cr.tensor([True, False])
    assert (True & m).tolist() == [True, False]
    assert (False | m).tolist() == [True, False]
    assert (m ^ True).tolist() == [False, True]
    assert (np.array([True, True]) & m).tolist() == [True, False]
    assert isinstance(np.array([True, True]) & m, cr.Tensor)
    assert (~m).tolist() == [False, True]


# -- grad mode ------------------------------------------------------------------------------------
def test_no_grad_decorator_without_parentheses():
    x = cr.tensor([1.0], requires_grad=True)

    @cr.no_grad
    def f(t):
        return t * 2

    @cr.enable_grad
    def g(t):
        return t * 2

    assert not f(x).requires_grad
    with cr.no_grad():
        assert g(x).requires_grad
    assert f.__name__ == "f"


def test_decorated_generator_runs_each_step_in_the_mode():
    x = cr.tensor([1.0], requires_grad=True)

    @cr.no_grad()
    def steps(t):
        received = yield t * 2
        yield received * t

    gen = steps(x)
    assert not next(gen).requires_grad
    assert (x * 2).requires_grad  # the caller is not in no_grad between steps
    assert not gen.send(3.0).requires_grad
    with pytest.raises(StopIteration):
        next(gen)


def test_one_no_grad_object_shared_by_threads():
    shared = cr.no_grad()
    errors = []
    barrier = threading.Barrier(4)

    def work(k):
        try:
            barrier.wait()
            for _ in range(100):
                with shared:
                    time.sleep(0.0001 * k)
                    assert not cr.is_grad_enabled()
                assert cr.is_grad_enabled()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    with shared:  # and re-entered in one thread
        with shared:
            assert not cr.is_grad_enabled()
        assert not cr.is_grad_enabled()
    assert cr.is_grad_enabled()


def test_one_no_grad_object_shared_by_asyncio_tasks():
    import asyncio

    shared = cr.no_grad()

    async def work(delay):
        with shared:
            await asyncio.sleep(delay)
            assert not cr.is_grad_enabled()
        assert cr.is_grad_enabled()

    async def main():
        await asyncio.gather(work(0.01), work(0.0), work(0.005))

    asyncio.run(main())
    assert cr.is_grad_enabled()


# -- anomaly mode -----------------------------------------------------------------------------
def test_anomaly_in_a_recorded_backward_names_the_operation():
    x = cr.tensor([0.0, 1.0], requires_grad=True)
    with cr.detect_anomaly():
        y = cnp.sqrt(x).sum()
        with pytest.raises(FloatingPointError, match=r"backward pass of operation 'sqrt'"):
            y.backward(create_graph=True)


def test_anomaly_ignores_intermediates_of_a_recorded_rule_that_cancel():
    x = cr.tensor([0.0, 4.0], requires_grad=True)
    with cr.detect_anomaly():
        y = cnp.where(x > 0, cnp.sqrt(x), 0.0).sum()  # sqrt'(0) = inf, never taken
        y.backward(create_graph=True)
    np.testing.assert_allclose(x.grad.numpy(), [0.0, 0.25])


def test_anomaly_messages_for_seed_and_unrecorded_forward():
    x = cr.tensor([0.0, 1.0], requires_grad=True)
    with cr.detect_anomaly():
        y = x * 2.0
        with pytest.raises(FloatingPointError, match="gradient passed to backward"):
            y.backward(gradient=np.array([np.nan, 1.0]))
    y = cnp.sqrt(x).sum()  # recorded outside anomaly mode
    with cr.detect_anomaly():
        with pytest.raises(FloatingPointError, match="outside detect_anomaly"):
            y.backward()
