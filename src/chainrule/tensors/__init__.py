"""The PyTorch-style front door: :class:`Tensor` and its eager autograd graph.

* :mod:`.tensor_class`: the ``Tensor`` class;
* :mod:`.graph`: the eager trace (level 0, below every functional transform), the
  nodes it records, and a tensor's graph state (``EagerBox``);
* :mod:`.backward`: ``Tensor.backward`` and ``autograd.grad``'s sweep;
* :mod:`.grad_mode` (``no_grad`` ...), :mod:`.stale` (in-place modification checks);
* the PyTorch-named methods, as mixins of ``Tensor``: :mod:`.math_methods`,
  :mod:`.shape_methods`, :mod:`.reduction_methods`, :mod:`.conversion_methods`,
  :mod:`.inplace` (on the base in :mod:`.methods`);
* :mod:`.factories` (``tensor``, ``zeros``, ``randn`` ...), :mod:`.random`
  (``manual_seed``), :mod:`.serialization` (``save``/``load``), :mod:`.autograd`
  (``torch.autograd``'s functions).
"""

from numpy import float32, float64, int64  # PyTorch's dtype names: cr.float32 ...

from chainrule.tensors.factories import (
    arange,
    as_tensor,
    empty,
    eye,
    from_numpy,
    full,
    full_like,
    linspace,
    ones,
    ones_like,
    rand,
    rand_like,
    randn,
    randn_like,
    tensor,
    zeros,
    zeros_like,
)
from chainrule.tensors.grad_mode import (
    enable_grad,
    inference_mode,
    is_grad_enabled,
    no_grad,
    set_grad_enabled,
)
from chainrule.tensors.random import manual_seed
from chainrule.tensors.serialization import load, save
from chainrule.tensors.tensor_class import Tensor

__all__ = [
    "Tensor",
    "arange",
    "as_tensor",
    "empty",
    "enable_grad",
    "eye",
    "float32",
    "float64",
    "from_numpy",
    "full",
    "full_like",
    "inference_mode",
    "int64",
    "is_grad_enabled",
    "linspace",
    "load",
    "manual_seed",
    "no_grad",
    "ones",
    "ones_like",
    "rand",
    "rand_like",
    "randn",
    "randn_like",
    "save",
    "set_grad_enabled",
    "tensor",
    "zeros",
    "zeros_like",
]
