"""In-place operations on :class:`~chainrule.tensors.Tensor` (``add_``, ``mul_``,
``+=``, ``x[idx] = v``, ``zero_``, ``fill_``, ``copy_``, ``exp_``, ``masked_fill_`` ...)
and the ``.data`` property.

In-place operations rebind the tensor to a new array and graph node, never writing into a
buffer that a recorded node may have saved, and bump its version so that ``backward`` can
tell. A tensor made by ``detach()`` or ``.data`` shares its base's values, as in PyTorch:
an in-place change made through it rebinds the base too (see ``_propagate``).

Arithmetic in place keeps the tensor's dtype and refuses a result of another kind
(``int_tensor += 0.5``); a leaf that requires grad may be changed only under
``no_grad()``, and a value a transform is differentiating can't be written into a
tensor. The boxes around a tensor inside a transform refuse every in-place method
(:func:`refusals`).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any, Literal

import numpy as np

import chainrule.numpy as cnp
from chainrule.core.backend import array_namespace
from chainrule.core.trace import Box
from chainrule.tensors.device import device_of, move
from chainrule.tensors.grad_mode import is_grad_enabled
from chainrule.tensors.graph import EagerBox, EagerNode

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


class InplaceMethods(EagerBox):
    __slots__ = ()

    # -- arithmetic -------------------------------------------------------------------
    def add_(self, other, *, alpha=1):
        return self._combine_(cnp.add, other, alpha)

    def sub_(self, other, *, alpha=1):
        return self._combine_(cnp.subtract, other, alpha)

    def mul_(self, other):
        return self._combine_(cnp.multiply, other)

    def div_(self, other):
        return self._combine_(cnp.true_divide, other)

    def pow_(self, other):
        return self._combine_(cnp.power, other)

    def __iadd__(self, other):
        return self._combine_(cnp.add, other)

    def __isub__(self, other):
        return self._combine_(cnp.subtract, other)

    def __imul__(self, other):
        return self._combine_(cnp.multiply, other)

    def __itruediv__(self, other):
        return self._combine_(cnp.true_divide, other)

    def __ipow__(self, other):
        return self._combine_(cnp.power, other)

    # -- the out-of-place method of the same name, written into self ----------------------
    # fmt: off
    def exp_(self): return self._method_("exp")
    def log_(self): return self._method_("log")
    def log1p_(self): return self._method_("log1p")
    def sqrt_(self): return self._method_("sqrt")
    def rsqrt_(self): return self._method_("rsqrt")
    def square_(self): return self._method_("square")
    def abs_(self): return self._method_("abs")
    def neg_(self): return self._method_("neg")
    def sin_(self): return self._method_("sin")
    def cos_(self): return self._method_("cos")
    def tanh_(self): return self._method_("tanh")
    def sigmoid_(self): return self._method_("sigmoid")
    def relu_(self): return self._method_("relu")
    def clamp_(self, min=None, max=None): return self._method_("clamp", min, max)
    def clip_(self, min=None, max=None): return self._method_("clip", min, max)
    def masked_fill_(self, mask, value): return self._method_("masked_fill", mask, value)
    # fmt: on

    # -- assignment -----------------------------------------------------------------------
    def __setitem__(self, index, value) -> None:
        if isinstance(index, EagerBox):
            index = index._value
        self._sync()
        self._inplace(cnp.index_update(self._snapshot(), index, value))

    def zero_(self):
        self._sync()
        return self._overwrite(self._new(np.zeros_like(self._value)))

    def fill_(self, value):
        self._sync()
        if isinstance(value, EagerBox):  # a 0-d tensor: differentiable, like copy_
            return self.copy_(value)
        return self._overwrite(self._new(np.full_like(self._value, value)))

    def copy_(self, src):
        """Copy ``src``'s values (broadcast, cast to this dtype, moved to this tensor's
        device); differentiable in ``src``."""
        if isinstance(src, Box) and not isinstance(src, EagerBox):
            raise TypeError(_TRACED_INPLACE)
        self._sync()
        shape, dtype = self._value.shape, self._value.dtype
        if isinstance(src, EagerBox) and src._node is not None and is_grad_enabled():
            new = src if src._value.dtype == dtype else cnp.astype(src, dtype)
            if new._value.shape != shape:
                new = cnp.broadcast_to(new, shape)
            new = cnp.positive(new)  # a fresh buffer: self must not share src's
            if device_of(new._value) != device_of(self._value):
                new = new.to(device_of(self._value))
        else:
            raw = src._value if isinstance(src, Box) else src
            if type(raw) is not np.ndarray and device_of(raw).type == "cpu":
                raw = np.asarray(raw)
            raw = move(raw, device_of(self._value))
            if type(raw) is np.ndarray:
                new = self._new(np.array(np.broadcast_to(raw, shape), dtype=dtype))
            else:
                xp: Any = array_namespace((raw,))
                new = self._new(xp.broadcast_to(raw, shape).astype(dtype, copy=True))
        return self._overwrite(new)

    @property
    def data(self):
        """The values without the graph, shared with this tensor (see ``detach``);
        changes through it are not seen by autograd, as in PyTorch."""
        return self._alias(tracked=False)

    @data.setter
    def data(self, value) -> None:
        value = value._value if isinstance(value, EagerBox) else value
        if type(value) is not np.ndarray and device_of(value).type == "cpu":
            value = np.asarray(value)  # (an array on a device stays there)
        self._value = value
        self._version += 1
        self._propagate(self._value)

    # -- the mechanics --------------------------------------------------------------------
    def _alias(self, tracked: bool) -> EagerBox:
        """A tensor without a graph sharing these values (``detach()``, ``.data``): its
        ``_base`` is ``(weakref to the base, tracked)``. The reference is weak so that a
        detached value kept for logging does not keep the base's graph alive."""
        new = self._new(self._value)
        link = getattr(self, "_base", None)
        new._base = (weakref.ref(self) if link is None else link[0], tracked)
        return new

    def _base_of(self) -> EagerBox | None:
        """The live tensor that a detached view shares its values with, or None."""
        link = getattr(self, "_base", None)
        return None if link is None else link[0]()

    def _sync(self) -> None:
        """Before an in-place change through a detached view: take the base's current
        values (the base may have been changed in place since the view was made)."""
        base = self._base_of()
        if base is not None and base._value is not self._value:
            self._value = base._value

    def _propagate(self, value) -> None:
        """Give the base of a detached view (``detach()``, ``.data``) the view's new
        values. A change through ``detach()`` counts as a change of the base (PyTorch
        shares their version counter); one through ``.data`` is not tracked, as in
        PyTorch."""
        base = self._base_of()
        if base is not None:
            base._value = value
            if self._base[1]:
                base._version += 1

    def _snapshot(self) -> EagerBox:
        """The tensor as it is now, as a separate object (its graph node included)."""
        return self._new(self._value, self._node)

    def _combine_(self, op, other, alpha=1):
        """``self = op(self, alpha * other)``, keeping the dtype's kind."""
        self._sync()
        before = self._snapshot()
        other = before if other is self else other
        if alpha != 1:
            other = cnp.multiply(other, alpha)
        return self._inplace(op(before, other), cast="same_kind")

    def _method_(self, name, *args):
        """The out-of-place method ``name`` written into ``self``."""
        self._sync()
        before = self._snapshot()
        args = tuple(before if a is self else a for a in args)
        return self._inplace(getattr(before, name)(*args), cast="same_kind")

    def _overwrite(self, new):
        """Replace all of ``self``'s values by the tensor ``new``. A non-leaf keeps its
        earlier history, which gets a zero gradient (so it still requires grad), as in
        PyTorch."""
        if is_grad_enabled() and self._node is not None and not self.is_leaf:
            new = cnp.where(np.ones(self._value.shape, dtype=bool), new, self._snapshot())
        return self._inplace(new)

    def _inplace(self, result, *, cast: Literal["same_kind", "unsafe"] = "unsafe"):
        """Rebind ``self`` to ``result``'s value and graph; bump the version so stale
        nodes can tell. Under ``no_grad`` the graph is kept (only the values change),
        as in PyTorch. ``cast="same_kind"`` refuses float results in integer tensors."""
        grad_on = is_grad_enabled()
        leaf = self._node is not None and self.is_leaf
        if leaf and grad_on:
            raise RuntimeError(_LEAF_INPLACE)
        if isinstance(result, Box) and not isinstance(result, EagerBox):
            raise TypeError(_TRACED_INPLACE)
        if not isinstance(result, EagerBox):
            result = self._new(np.array(result))
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
            node, new = self._node, result._node
            if isinstance(node, EagerNode) and isinstance(new, EagerNode):
                retained = node.retained
                if retained is not None and retained() is self:
                    # retain_grad follows the tensor, as in PyTorch
                    new.retained = retained
                    node.retained = None
            self._node = new
        self._version += 1
        self._propagate(value)
        return self


def refusals() -> dict[str, Callable]:
    """The in-place methods as the boxes around a tensor have them: each refuses, as a
    traced value is immutable."""
    return {
        name: _refusal(name)
        for name in vars(InplaceMethods)
        if name.endswith("_") and not name.startswith("_")
    }


def _refusal(name: str) -> Callable:
    def refuse(self, *args, **kwargs):
        raise TypeError(
            f"{name}: a value that a transform (grad, jvp, ...) is differentiating can't "
            "be changed in place; use the out-of-place form (y = y.add(v), "
            "t.masked_fill(...)) inside differentiated functions."
        )

    refuse.__name__ = name
    return refuse
