"""Python's and NumPy's protocols on tensors: ``int()``/``float()``/``complex()``, format
specs, ``np.array``/``np.asarray``, pickle and copy, and the bitwise operators."""

import copy
import pickle

import numpy as np
import pytest

import chainrule as cr


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
    assert np.array(t, dtype=np.float64).dtype == np.float64
    with pytest.raises(ValueError, match="copy"):
        np.asarray(t, dtype=np.float64, copy=False)


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
