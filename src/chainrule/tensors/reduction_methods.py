"""Reductions, scans and ordering methods of :class:`~chainrule.tensors.Tensor`, with
PyTorch's signatures: ``sum(dim, keepdim)`` (``axis=``/``keepdims=`` are accepted too,
as recent PyTorch does), ``max(dim)`` and ``min(dim)`` as ``(values, indices)``,
``var``/``std`` with ``unbiased=``/``correction=``, ``cumsum``, ``sort`` as
``(values, indices)``, ``argsort``, ``argmax`` ..."""

from __future__ import annotations

from collections import namedtuple

import numpy as np

import chainrule.numpy as cnp
from chainrule.core.trace import Box
from chainrule.tensors.methods import TensorMethods, dim_arg, values

_MinMax = namedtuple("_MinMax", ["values", "indices"])
_Sorted = namedtuple("_Sorted", ["values", "indices"])
_TopK = namedtuple("_TopK", ["values", "indices"])


class ReductionMethods(TensorMethods):
    __slots__ = ()

    def sum(self, dim=None, keepdim=False, *, axis=None, keepdims=None, dtype=None):
        return _reduce(cnp.sum, self, dim, keepdim, axis, keepdims, dtype)

    def mean(self, dim=None, keepdim=False, *, axis=None, keepdims=None, dtype=None):
        return _reduce(cnp.mean, self, dim, keepdim, axis, keepdims, dtype)

    def prod(self, dim=None, keepdim=False, *, axis=None, keepdims=None, dtype=None):
        return _reduce(cnp.prod, self, dim, keepdim, axis, keepdims, dtype)

    def all(self, dim=None, keepdim=False, *, axis=None, keepdims=None, dtype=None):
        return _reduce(cnp.all, self, dim, keepdim, axis, keepdims, dtype)

    def any(self, dim=None, keepdim=False, *, axis=None, keepdims=None, dtype=None):
        return _reduce(cnp.any, self, dim, keepdim, axis, keepdims, dtype)

    def amax(self, dim=None, keepdim=False, *, axis=None, keepdims=None, dtype=None):
        return _reduce(cnp.max, self, dim, keepdim, axis, keepdims, dtype)

    def amin(self, dim=None, keepdim=False, *, axis=None, keepdims=None, dtype=None):
        return _reduce(cnp.min, self, dim, keepdim, axis, keepdims, dtype)

    def max(self, dim=None, keepdim=False, *, axis=None, keepdims=None):
        """The maximum; with an int ``dim``, ``(values, indices)`` along it; with a
        tensor, the elementwise maximum (``torch.max(a, b)``)."""
        return _extremum(self, "max", dim, keepdim, axis, keepdims)

    def min(self, dim=None, keepdim=False, *, axis=None, keepdims=None):
        """Like :meth:`max`."""
        return _extremum(self, "min", dim, keepdim, axis, keepdims)

    def var(self, dim=None, unbiased=None, keepdim=False, *, axis=None, correction=None,
            ddof=None, keepdims=None):  # fmt: skip
        return _spread(cnp.var, self, dim, unbiased, keepdim, axis, correction, ddof, keepdims)

    def std(self, dim=None, unbiased=None, keepdim=False, *, axis=None, correction=None,
            ddof=None, keepdims=None):  # fmt: skip
        return _spread(cnp.std, self, dim, unbiased, keepdim, axis, correction, ddof, keepdims)

    def cumsum(self, dim=None, *, axis=None, dtype=None):
        return _scan(cnp.cumsum, self, dim, axis, dtype)

    def cumprod(self, dim=None, *, axis=None, dtype=None):
        return _scan(cnp.cumprod, self, dim, axis, dtype)

    def sort(self, dim=-1, descending=False, stable=False):
        """``(values, indices)`` along ``dim``, as in PyTorch; ties keep their order."""
        order = _sort_order(self, dim, descending)
        return _Sorted(cnp.take_along_axis(self, order, axis=dim), self._constant(order))

    def topk(self, k, dim=-1, largest=True, sorted=True):  # noqa: A002  (PyTorch's name)
        """The ``k`` largest (or smallest) entries along ``dim`` as ``(values, indices)``."""
        if not 0 <= k <= self.shape[dim]:
            raise ValueError(f"topk: k={k} is out of range for dimension of size {self.shape[dim]}")
        order = np.take(_sort_order(self, dim, largest), np.arange(k), axis=dim)
        return _TopK(cnp.take_along_axis(self, order, axis=dim), self._constant(order))

    def norm(self, p="fro", dim=None, keepdim=False, dtype=None):
        """The vector p-norm over ``dim`` (all entries by default): ``"fro"``/2, 1, inf,
        -inf, 0 (a count of nonzeros, no gradient) or any other real ``p``."""
        x = self if dtype is None else cnp.astype(self, dtype)
        return _norm(x, p, dim_arg(dim, None), keepdim)

    def argsort(self, dim=-1, descending=False, stable=False):
        return self._constant(_sort_order(self, dim, descending))

    def argmax(self, dim=None, keepdim=False):
        return self._constant(np.argmax(values(self), axis=dim, keepdims=keepdim))

    def argmin(self, dim=None, keepdim=False):
        return self._constant(np.argmin(values(self), axis=dim, keepdims=keepdim))


def _reduce(fn, x, dim, keepdim, axis, keepdims, dtype):
    keep = keepdim if keepdims is None else keepdims
    if dtype is not None:  # as in PyTorch, the input is cast before reducing
        x = cnp.astype(x, dtype)
    return fn(x, axis=dim_arg(dim, axis), keepdims=keep)


def _extremum(x, name, dim, keepdim, axis, keepdims):
    keep = keepdim if keepdims is None else keepdims
    d = dim_arg(dim, axis)
    if isinstance(dim, Box):  # torch.max(a, b) elementwise form
        return (cnp.maximum if name == "max" else cnp.minimum)(x, dim)
    if d is None or isinstance(d, tuple):
        return (cnp.max if name == "max" else cnp.min)(x, axis=d, keepdims=keep)
    # values at the returned indices, so that with ties the gradient goes to the
    # element whose index is reported (PyTorch's max(dim) does the same)
    arg = np.argmax if name == "max" else np.argmin
    where = np.expand_dims(arg(values(x), axis=d), d)
    found = cnp.take_along_axis(x, where, axis=d)
    if not keep:
        found = cnp.squeeze(found, axis=d)
        where = np.squeeze(where, axis=d)
    return _MinMax(found, x._constant(where))


def _spread(fn, x, dim, unbiased, keepdim, axis, correction, ddof, keepdims):
    keep = keepdim if keepdims is None else keepdims
    if isinstance(dim, bool):  # PyTorch's var(unbiased) form
        dim, unbiased = None, dim
    if ddof is None:
        ddof = correction if correction is not None else (0 if unbiased is False else 1)
    return fn(x, axis=dim_arg(dim, axis), ddof=ddof, keepdims=keep)


def _scan(fn, x, dim, axis, dtype):
    if dtype is not None:
        x = cnp.astype(x, dtype)
    return fn(x, axis=dim_arg(dim, axis))


def _sort_order(x, dim, descending):
    key = values(x)
    if descending:
        key = -key.astype(np.int64) if key.dtype.kind in "bu" else -key
    return np.argsort(key, axis=dim, kind="stable")


def _norm(x, p, axis, keep):
    if p in ("fro", 2, 2.0, None):
        return cnp.sqrt(cnp.sum(cnp.square(cnp.abs(x)), axis=axis, keepdims=keep))
    if p == "nuc" or not isinstance(p, (int, float)):
        raise ValueError(f"norm: p={p!r} is not supported (use 'fro', inf, -inf or a number)")
    if p == np.inf:
        return cnp.max(cnp.abs(x), axis=axis, keepdims=keep)
    if p == -np.inf:
        return cnp.min(cnp.abs(x), axis=axis, keepdims=keep)
    if p == 0:
        return x._constant(np.sum(values(x) != 0, axis=axis, keepdims=keep).astype(x.dtype))
    if p == 1:
        return cnp.sum(cnp.abs(x), axis=axis, keepdims=keep)
    return cnp.sum(cnp.abs(x) ** p, axis=axis, keepdims=keep) ** (1.0 / p)
