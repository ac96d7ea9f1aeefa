"""PyTorch's top-level functions (``torch.sin(x)``, ``torch.max(x, dim=1)``,
``torch.cat``, ``torch.topk`` ...), with PyTorch's argument names and return types.

Each one calls the :class:`Tensor` method of the same name, or the
:mod:`chainrule.numpy` function it stands for, so it is recorded and differentiated
like any operation: there is no second implementation here. ``out=`` is refused (results
are always new tensors).
"""

from __future__ import annotations

import numpy as np

import chainrule.numpy as cnp
from chainrule.core.trace import Box, unbox_all
from chainrule.tensors.device import unsupported
from chainrule.tensors.factories import as_tensor, leaf_on
from chainrule.tensors.random import default_generator
from chainrule.tensors.tensor_class import Tensor


def _no_out(name, out):
    if out is not None:
        raise TypeError(f"{name}(): out= is not supported; use the returned tensor instead")


def _tensor(x):
    return x if isinstance(x, Box) else as_tensor(x)


def _method(name: str):
    """The top-level form of the Tensor method ``name``: ``fn(input, *args, **kwargs)``."""

    def fn(input, *args, out=None, **kwargs):  # noqa: A002  (PyTorch's argument name)
        _no_out(name, out)
        return getattr(_tensor(input), name)(*args, **kwargs)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"``torch.{name}(input, ...)``: the same as ``input.{name}(...)``."
    return fn


sin, cos, exp, log, log1p, sqrt, abs, tanh, sigmoid, relu = (  # noqa: A001
    _method(n)
    for n in ("sin", "cos", "exp", "log", "log1p", "sqrt", "abs", "tanh", "sigmoid", "relu")
)
sum, mean, max, min, argmax, argmin, clamp, cumsum = (  # noqa: A001
    _method(n) for n in ("sum", "mean", "max", "min", "argmax", "argmin", "clamp", "cumsum")
)
sort, topk, transpose, flatten, squeeze, unsqueeze, matmul, norm = (
    _method(n)
    for n in ("sort", "topk", "transpose", "flatten", "squeeze", "unsqueeze", "matmul", "norm")
)


def tan(input, *, out=None):  # noqa: A002
    _no_out("tan", out)
    return cnp.tan(_tensor(input))


def reshape(input, shape):  # noqa: A002
    return cnp.reshape(_tensor(input), tuple(shape))


def where(condition, input, other, *, out=None):  # noqa: A002
    _no_out("where", out)
    return cnp.where(unbox_all(condition), _tensor(input), other)


def cat(tensors, dim=0, *, out=None):
    _no_out("cat", out)
    return cnp.concatenate([_tensor(t) for t in tensors], axis=dim)


concat = cat


def stack(tensors, dim=0, *, out=None):
    _no_out("stack", out)
    return cnp.stack([_tensor(t) for t in tensors], axis=dim)


def _check_ndim(name, want, *xs):
    for x in xs:
        if x.ndim != want:
            raise RuntimeError(f"{name}(): expects {want}-D tensors, got shape {tuple(x.shape)}")


def mm(input, mat2, *, out=None):  # noqa: A002
    """Matrix product of two 2-D tensors (no broadcasting, as in PyTorch)."""
    _no_out("mm", out)
    a, b = _tensor(input), _tensor(mat2)
    _check_ndim("mm", 2, a, b)
    return cnp.matmul(a, b)


def bmm(input, mat2, *, out=None):  # noqa: A002
    """Batched matrix product of two 3-D tensors with the same batch size."""
    _no_out("bmm", out)
    a, b = _tensor(input), _tensor(mat2)
    _check_ndim("bmm", 3, a, b)
    if a.shape[0] != b.shape[0]:
        raise RuntimeError(f"bmm(): batch sizes differ: {a.shape[0]} and {b.shape[0]}")
    return cnp.matmul(a, b)


def einsum(equation, *operands):
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    return cnp.einsum(equation, *(_tensor(o) for o in operands))


def diag(input, diagonal=0, *, out=None):  # noqa: A002
    _no_out("diag", out)
    return cnp.diag(_tensor(input), k=diagonal)


def tril(input, diagonal=0, *, out=None):  # noqa: A002
    _no_out("tril", out)
    return cnp.tril(_tensor(input), k=diagonal)


def triu(input, diagonal=0, *, out=None):  # noqa: A002
    _no_out("triu", out)
    return cnp.triu(_tensor(input), k=diagonal)


def outer(input, vec2, *, out=None):  # noqa: A002
    _no_out("outer", out)
    return cnp.outer(_tensor(input), _tensor(vec2))


def dot(input, other, *, out=None):  # noqa: A002
    """Inner product of two 1-D tensors of the same length."""
    _no_out("dot", out)
    a, b = _tensor(input), _tensor(other)
    _check_ndim("dot", 1, a, b)
    return cnp.dot(a, b)


def numel(input) -> int:  # noqa: A002
    return _tensor(input).numel()


def is_tensor(obj) -> bool:
    return isinstance(obj, Tensor)


def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False) -> bool:  # noqa: A002
    return bool(np.allclose(unbox_all(input), unbox_all(other), rtol, atol, equal_nan))


def equal(input, other) -> bool:  # noqa: A002
    """True when both have the same shape and the same values."""
    a, b = np.asarray(unbox_all(input)), np.asarray(unbox_all(other))
    return a.shape == b.shape and bool(np.array_equal(a, b))


def randint(low, high=None, size=None, *, dtype=None, requires_grad=False, device=None):
    """Integers drawn uniformly from ``[low, high)`` (``randint(high, size)`` too)."""
    if size is None:  # torch.randint(high, size)
        low, high, size = 0, low, high
    if size is None:
        raise TypeError("randint(): missing the size argument (a tuple of ints)")
    drawn = default_generator().integers(low, high, size=tuple(size))
    return _drawn(drawn, dtype, requires_grad, device)


def randperm(n, *, dtype=None, requires_grad=False, device=None):
    """A random permutation of ``0 .. n-1``."""
    drawn = default_generator().permutation(int(n))
    return _drawn(drawn, dtype, requires_grad, device)


def _drawn(drawn, dtype, requires_grad, device) -> Tensor:
    """A leaf of the integers ``drawn`` (int64 unless ``dtype``), on ``device`` if given."""
    return leaf_on(Tensor(drawn, dtype=np.int64 if dtype is None else dtype), requires_grad, device)


def sparse_coo_tensor(*args, **kwargs):
    raise unsupported("sparse tensors (sparse_coo_tensor)")


def sparse_csr_tensor(*args, **kwargs):
    raise unsupported("sparse tensors (sparse_csr_tensor)")


def quantize_per_tensor(*args, **kwargs):
    raise unsupported("quantized tensors (quantize_per_tensor)")
