"""A recorded graph reads like PyTorch's: grad_fn names and next_functions."""

import chainrule as cr
import chainrule.numpy as cnp


def test_grad_fn_reads_like_pytorchs():
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    y = (cnp.sin(x) * 3).sum()
    assert repr(y.grad_fn) == "<SumBackward>"
    ((mul, _),) = y.grad_fn.next_functions
    assert repr(mul) == "<MultiplyBackward>"
    ((sin, _),) = mul.next_functions
    ((leaf, _),) = sin.next_functions
    assert repr(leaf) == "<AccumulateGrad>" and leaf.next_functions == ()
    assert leaf.tensor() is x


def test_a_tensors_repr_names_its_grad_fn_as_pytorch_does():
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    assert repr(x) == "tensor([1., 2.], requires_grad=True)"
    assert repr(x * 2) == "tensor([2., 4.], grad_fn=<MultiplyBackward>)"
    assert repr((x * 2).sum()) == "tensor(6., grad_fn=<SumBackward>)"
