"""``chainrule.autograd``: PyTorch's ``torch.autograd`` functions for the eager
:class:`~chainrule.Tensor` graph.

* ``grad(outputs, inputs, ...)`` returns the gradients of ``outputs`` with respect to
  ``inputs`` as a tuple, without touching any ``.grad``; with ``create_graph=True``
  the gradients are recorded, so they can be differentiated again.
* ``backward(tensors, grad_tensors, ...)`` accumulates into ``.grad`` like
  ``Tensor.backward``, for several outputs in one sweep.

``Function`` (:mod:`chainrule.tensors.custom_function`) is an operation with a
hand-written backward. The grad-mode switches (``no_grad``, ``enable_grad``, ``set_grad_enabled``,
``inference_mode``) and ``detect_anomaly`` are here too, as in PyTorch. The work is done
by :mod:`chainrule.tensors.backward`.
"""

from __future__ import annotations

from chainrule.core.anomaly import detect_anomaly
from chainrule.tensors import backward as _backward
from chainrule.tensors.custom_function import Function, FunctionCtx
from chainrule.tensors.grad_mode import (
    enable_grad,
    inference_mode,
    is_grad_enabled,
    no_grad,
    set_grad_enabled,
)
from chainrule.tensors.tensor_class import Tensor

__all__ = [
    "Function",
    "FunctionCtx",
    "backward",
    "detect_anomaly",
    "enable_grad",
    "grad",
    "inference_mode",
    "is_grad_enabled",
    "no_grad",
    "set_grad_enabled",
]


def _tensors(x, what: str) -> tuple:
    """A tensor or a sequence of tensors, as a tuple."""
    if isinstance(x, Tensor):
        return (x,)
    if x is None:
        raise TypeError(f"{what} must be a tensor or a sequence of tensors, got None")
    return tuple(x)


def _gradients(g, n: int, what: str):
    """``grad_outputs``/``grad_tensors``: None, one tensor, or one entry per output."""
    if g is None:
        return None
    if isinstance(g, Tensor) or not isinstance(g, (list, tuple)):
        g = (g,)
    if len(g) != n:
        raise RuntimeError(f"{what}: got {len(g)} gradients for {n} outputs")
    return tuple(g)


def grad(
    outputs,
    inputs,
    grad_outputs=None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    only_inputs: bool = True,
    allow_unused: bool | None = None,
    is_grads_batched: bool = False,
    materialize_grads: bool = False,
) -> tuple:
    """The gradients of ``outputs`` (a tensor or a sequence) with respect to ``inputs``
    (tensors that require grad, leaves or not), as a tuple with one entry per input.

    ``grad_outputs`` seeds each output (``None`` for a one-element output means 1); the
    gradients of several outputs are summed. Nothing is accumulated into ``.grad``. An
    input the outputs do not depend on raises, unless ``allow_unused=True`` (its entry
    is then ``None``) or ``materialize_grads=True`` (zeros). ``retain_graph`` defaults
    to ``create_graph``; with ``create_graph=True`` the gradients carry a graph, for
    higher derivatives.

    >>> import chainrule as cr
    >>> x = cr.tensor([1.0, 2.0], requires_grad=True)
    >>> (g,) = cr.autograd.grad((x**3).sum(), x, create_graph=True)
    >>> cr.autograd.grad(g.sum(), x)[0]
    tensor([ 6., 12.])
    """
    if is_grads_batched:
        raise NotImplementedError(
            "grad(is_grads_batched=True) is not supported; use vmap-free loops"
        )
    outputs = _tensors(outputs, "grad(): outputs")
    inputs = _tensors(inputs, "grad(): inputs")
    grad_outputs = _gradients(grad_outputs, len(outputs), "grad()")
    if allow_unused is None:
        allow_unused = materialize_grads
    return _backward.grad(
        outputs,
        inputs,
        grad_outputs,
        retain_graph,
        create_graph,
        allow_unused,
        materialize_grads,
    )


def backward(
    tensors,
    grad_tensors=None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    inputs=None,
) -> None:
    """Accumulate the gradients of ``tensors`` (a tensor or a sequence, seeded with
    ``grad_tensors``) into the ``.grad`` of the leaves, or of ``inputs`` when given:
    ``Tensor.backward`` for several outputs at once, in one sweep."""
    tensors = _tensors(tensors, "backward(): tensors")
    grads = _gradients(grad_tensors, len(tensors), "backward()") or (None,) * len(tensors)
    _backward.backward(tensors, grads, retain_graph, create_graph, inputs)
