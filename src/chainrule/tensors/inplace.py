"""In-place operations on :class:`chainrule.Tensor` (``add_``, ``mul_``, ``+=``,
``x[idx] = v``, ``zero_``, ``fill_``, ``copy_``, ``exp_``, ``masked_fill_`` ...) and the
``.data`` property.

In-place operations rebind the tensor to a new array and graph node, never writing into a
buffer that a recorded node may have saved, and bump its version so that ``backward`` can
tell. A tensor made by ``detach()`` or ``.data`` shares its base's values, as in PyTorch:
an in-place change made through it rebinds the base too (see _propagate).

Arithmetic in place keeps the tensor's dtype and refuses a result of another kind
(``int_tensor += 0.5``); a leaf that requires grad may be changed only under
``no_grad()``, and a value a transform is differentiating can't be written into a
tensor. Importing this module installs the methods (:mod:`chainrule.tensors` does).
"""

from __future__ import annotations

import numpy as np

import chainrule.numpy as cnp
from chainrule.core.trace import Box
from chainrule.primitives.boxes import add_tensor_methods
from chainrule.tensors.graph import Tensor, _alias, is_grad_enabled

_LEAF_INPLACE = (
    "a leaf tensor that requires grad is being used in an in-place operation; "
    "wrap the update in `with cr.no_grad():` (as optimizers do) or clone it first"
)


_TRACED_INPLACE = (
    "an in-place operation on a Tensor can't take a value that a transform (grad, jvp, "
    "...) is differentiating: the tensor would drop its derivative. Use out-of-place "
    "operations (y = y + v, cnp.where, chainrule.numpy.index_update) inside "
    "differentiated functions."
)


def _base_of(self):
    """The live tensor that a detached view shares its values with, or None."""
    link = getattr(self, "_base", None)
    return None if link is None else link[0]()


def _sync(self):
    """Before an in-place change through a detached view: take the base's current
    values (the base may have been changed in place since the view was made)."""
    base = _base_of(self)
    if base is not None and base._value is not self._value:
        self._value = base._value


def _propagate(self, value):
    """Give the base of a detached view (``detach()``, ``.data``) the view's new values.
    A change through ``detach()`` counts as a change of the base (PyTorch shares their
    version counter); one through ``.data`` is not tracked, as in PyTorch."""
    base = _base_of(self)
    if base is not None:
        base._value = value
        if self._base[1]:
            base._version += 1


def _inplace(self, result, *, cast: str = "unsafe"):
    """Rebind ``self`` to ``result``'s value and graph; bump the version so stale nodes
    can tell. Under ``no_grad`` the graph is kept (only the values change), as in
    PyTorch. ``cast="same_kind"`` refuses float results in integer tensors (``+=``)."""
    grad_on = is_grad_enabled()
    leaf = self._node is not None and self.is_leaf
    if leaf and grad_on:
        raise RuntimeError(_LEAF_INPLACE)
    if isinstance(result, Box) and not isinstance(result, Tensor):
        raise TypeError(_TRACED_INPLACE)
    if not isinstance(result, Tensor):
        result = Tensor(result)
    value = result._value
    old = self._value
    if value.shape != old.shape:
        raise RuntimeError(
            f"in-place operation would change the shape from {old.shape} to {value.shape}"
        )
    if value.dtype != old.dtype:
        if not np.can_cast(value.dtype, old.dtype, casting=cast):
            raise RuntimeError(
                f"result type {value.dtype} can't be cast to the desired output type "
                f"{old.dtype} of this in-place operation"
            )
        value = value.astype(old.dtype)
    self._value = value
    if grad_on and not leaf:
        node = self._node
        retained = getattr(node, "retained", None)
        if retained is not None and retained() is self and result._node is not None:
            result._node.retained = retained  # retain_grad follows the tensor, as in PyTorch
            node.retained = None
        self._node = result._node
    self._version += 1
    _propagate(self, value)
    return self


def _snapshot(self):
    """The tensor as it is now, as a separate object (its graph node included)."""
    return Tensor._wrap(self._value, self._node)


def _inplace_op(fname):
    def method(self, other):
        _sync(self)
        before = _snapshot(self)
        result = getattr(cnp, fname)(before, before if other is self else other)
        return _inplace(self, result, cast="same_kind")

    method.__name__ = fname
    return method


def _add_(self, other, *, alpha=1):
    _sync(self)
    before = _snapshot(self)
    other = before if other is self else other
    if alpha != 1:
        other = cnp.multiply(other, alpha)
    return _inplace(self, cnp.add(before, other), cast="same_kind")


def _sub_(self, other, *, alpha=1):
    _sync(self)
    before = _snapshot(self)
    other = before if other is self else other
    if alpha != 1:
        other = cnp.multiply(other, alpha)
    return _inplace(self, cnp.subtract(before, other), cast="same_kind")


def _inplace_method(name):
    """``<name>_``: the out-of-place method ``name`` written into ``self``."""

    def method(self, *args, **kwargs):
        _sync(self)
        before = _snapshot(self)
        args = tuple(before if a is self else a for a in args)
        return _inplace(self, getattr(before, name)(*args, **kwargs), cast="same_kind")

    method.__name__ = name + "_"
    return method


def _setitem(self, index, value):
    from chainrule.primitives import indexing

    if isinstance(index, Tensor):
        index = index._value
    _sync(self)
    _inplace(self, indexing.index_update(_snapshot(self), index, value))


def _overwrite(self, new):
    """Replace all of ``self``'s values by the tensor ``new``. A non-leaf keeps its
    earlier history, which gets a zero gradient (so it still requires grad), as in
    PyTorch."""
    if is_grad_enabled() and self._node is not None and not self.is_leaf:
        new = cnp.where(np.ones(self._value.shape, dtype=bool), new, _snapshot(self))
    return _inplace(self, new)


def _zero_(self):
    _sync(self)
    return _overwrite(self, Tensor._wrap(np.zeros_like(self._value), None))


def _fill_(self, value):
    _sync(self)
    if isinstance(value, Tensor):  # a 0-d tensor: differentiable, like copy_
        return _copy_(self, value)
    return _overwrite(self, Tensor._wrap(np.full_like(self._value, value), None))


def _copy_(self, src):
    """Copy ``src``'s values (broadcast, cast to this dtype); differentiable in ``src``."""
    if isinstance(src, Box) and not isinstance(src, Tensor):
        raise TypeError(_TRACED_INPLACE)
    _sync(self)
    shape, dtype = self._value.shape, self._value.dtype
    if isinstance(src, Tensor) and src._node is not None and is_grad_enabled():
        new = src if src._value.dtype == dtype else cnp.astype(src, dtype)
        if new._value.shape != shape:
            new = cnp.broadcast_to(new, shape)
        new = cnp.positive(new)  # a fresh buffer: self must not share src's
    else:
        raw = src._value if isinstance(src, Box) else np.asarray(src)
        new = Tensor._wrap(np.array(np.broadcast_to(raw, shape), dtype=dtype), None)
    return _overwrite(self, new)


def _data_get(self):
    """The values without the graph, shared with this tensor (see ``detach``); changes
    through it are not seen by autograd, as in PyTorch."""
    return _alias(self, tracked=False)


def _data_set(self, value):
    self._value = np.asarray(value._value if isinstance(value, Tensor) else value)
    self._version += 1
    _propagate(self, self._value)


_METHODS = {
    "add_": _add_,
    "sub_": _sub_,
    "mul_": _inplace_op("multiply"),
    "div_": _inplace_op("true_divide"),
    "__iadd__": _inplace_op("add"),
    "__isub__": _inplace_op("subtract"),
    "__imul__": _inplace_op("multiply"),
    "__itruediv__": _inplace_op("true_divide"),
    "__ipow__": _inplace_op("power"),
    "pow_": _inplace_op("power"),
    "__setitem__": _setitem,
    "zero_": _zero_,
    "fill_": _fill_,
    "copy_": _copy_,
}
for _name in (
    "exp", "log", "log1p", "sqrt", "rsqrt", "square", "abs", "neg", "sin", "cos", "tanh",
    "sigmoid", "relu", "clamp", "clip", "masked_fill",
):  # fmt: skip
    _METHODS[_name + "_"] = _inplace_method(_name)
add_tensor_methods(_METHODS, inplace=True)
Tensor.data = property(_data_get, _data_set)
