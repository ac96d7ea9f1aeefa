"""``autograd.Function``: an operation on tensors with a hand-written backward, in
PyTorch's form (a subclass with static ``forward(ctx, *args)`` and
``backward(ctx, *grad_outputs)``, called through ``apply``).

``apply`` runs ``forward`` without recording (on detached inputs), then records one
node in the eager graph for the whole operation: a :class:`Primitive` made for the call,
whose forward hands back the value already computed and whose reverse rule calls
``backward`` with the context ``forward`` filled in (``ctx.save_for_backward(...)``,
``ctx.saved_tensors``, any attribute set on ``ctx``). Its ``grad_fn`` is named after the
class (``<MyFunctionBackward>``), as in PyTorch.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from chainrule.core.primitive import Primitive
from chainrule.tensors.device import unsupported
from chainrule.tensors.grad_mode import is_grad_enabled, no_grad
from chainrule.tensors.tensor_class import Tensor

__all__ = ["Function", "FunctionCtx"]


class FunctionCtx:
    """What ``forward`` leaves for ``backward``: ``save_for_backward(*tensors)`` and
    ``saved_tensors``, ``needs_input_grad`` (one flag per ``apply`` argument), and any
    attribute ``forward`` sets."""

    saved_tensors: tuple
    needs_input_grad: tuple

    def __init__(self, needs_input_grad: tuple):
        self.saved_tensors = ()
        self.needs_input_grad = needs_input_grad

    def save_for_backward(self, *tensors) -> None:
        self.saved_tensors = tensors

    def mark_non_differentiable(self, *tensors) -> None:
        raise unsupported("autograd.Function: ctx.mark_non_differentiable")


class Function:
    """Subclass it with static ``forward(ctx, *args)`` and ``backward(ctx, *grads)``,
    then call ``MyFunction.apply(*args)`` (see the module docstring). ``backward``
    returns one gradient per argument of ``forward`` (``None`` for one that needs none).
    Only a single tensor output is supported."""

    @staticmethod
    def forward(ctx: FunctionCtx, *args: Any) -> Any:
        raise NotImplementedError("autograd.Function subclasses must define forward()")

    @staticmethod
    def backward(ctx: FunctionCtx, *grad_outputs: Any) -> Any:
        raise NotImplementedError("autograd.Function subclasses must define backward()")

    @classmethod
    def apply(cls, *args: Any) -> Any:
        needs = tuple(isinstance(a, Tensor) and a.requires_grad for a in args)
        ctx = FunctionCtx(needs)
        detached = [a.detach() if isinstance(a, Tensor) else a for a in args]
        with no_grad():
            out = cls.forward(ctx, *detached)
        # saved inputs are the tensors given (as in PyTorch), so that a backward run
        # with create_graph=True is recorded back to them
        given = {id(d): a for d, a in zip(detached, args)}
        ctx.saved_tensors = tuple(given.get(id(t), t) for t in ctx.saved_tensors)
        if not isinstance(out, Tensor):
            raise unsupported(
                f"autograd.Function {cls.__name__}.forward returning {type(out).__name__} "
                "(only a single Tensor output)"
            )
        if not any(needs) or not is_grad_enabled():
            return out
        value = np.asarray(out)
        prim = Primitive(cls.__name__, lambda xp, *vals: value)
        prim.vjp_joint = lambda argnums, ans, *vals: _backward_rule(cls, ctx, argnums, vals)
        prim.nondiff = frozenset(i for i, need in enumerate(needs) if not need)
        return prim(*args)


def _backward_rule(cls, ctx: FunctionCtx, argnums, vals):
    """The node's reverse rule: ``backward`` on the cotangent, one result per argument."""

    def rule(g):
        given = g if isinstance(g, Tensor) else Tensor._wrap(g)
        grads = cls.backward(ctx, given)
        grads = grads if isinstance(grads, tuple) else (grads,)
        if len(grads) != len(vals):
            raise RuntimeError(
                f"{cls.__name__}.backward returned {len(grads)} gradient(s), expected "
                f"{len(vals)} (one per argument of forward, None where there is none)"
            )
        out = []
        for i in argnums:
            gi = grads[i]
            if gi is None:
                gi = np.zeros_like(vals[i])
            elif not isinstance(g, Tensor):  # a plain backward pass works on arrays
                gi = np.asarray(gi)
            out.append(gi)
        return out

    return rule
