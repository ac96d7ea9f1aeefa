"""chainrule: automatic differentiation on NumPy.

* Functional API (JAX/autograd style): ``grad``, ``vjp``, ``jvp``, ``jacfwd``,
  ``jacrev``, ``hessian``, ... over :mod:`chainrule.numpy`.
* PyTorch-style API: :class:`Tensor` with ``.backward()``, plus ``nn``, ``optim``, ``data``.
* The chain rule made visible: :mod:`chainrule.symbolic` and :mod:`chainrule.viz`.
"""

from chainrule import (  # noqa: E402
    autograd,
    data,
    nn,
    numpy,  # noqa: F401  (registers the primitives)
    optim,
)
from chainrule.autograd_compat import (
    deriv,
    grad_and_aux,
    grad_named,
    hessian_tensor_product,
    hessian_vector_product,
    holomorphic_grad,
    make_ggnvp,
    make_hvp,
    make_jvp,
    make_vjp,
    multigrad_dict,
    tensor_jacobian_product,
    vector_jacobian_product,
)
from chainrule.core.anomaly import detect_anomaly
from chainrule.core.eager import Tensor, enable_grad, is_grad_enabled, no_grad
from chainrule.core.grad_mode import inference_mode, set_grad_enabled
from chainrule.custom import checkpoint, custom_jvp, custom_vjp, stop_gradient
from chainrule.random import manual_seed
from chainrule.serialization import load, save
from chainrule.tensor import (
    arange,
    as_tensor,
    empty,
    eye,
    float32,
    float64,
    from_numpy,
    full,
    full_like,
    int64,
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
from chainrule.testing import check_grads
from chainrule.transforms import (
    elementwise_grad,
    grad,
    hessian,
    hvp,
    jacfwd,
    jacobian,
    jacrev,
    jvp,
    linearize,
    value_and_grad,
    vjp,
)

__version__ = "0.1.0"

__all__ = [
    "Tensor",
    "autograd",
    "data",
    "load",
    "nn",
    "optim",
    "save",
    "deriv",
    "grad_and_aux",
    "grad_named",
    "hessian_tensor_product",
    "hessian_vector_product",
    "holomorphic_grad",
    "make_ggnvp",
    "make_hvp",
    "make_jvp",
    "make_vjp",
    "multigrad_dict",
    "tensor_jacobian_product",
    "vector_jacobian_product",
    "arange",
    "as_tensor",
    "empty",
    "eye",
    "float32",
    "float64",
    "from_numpy",
    "full",
    "full_like",
    "int64",
    "linspace",
    "manual_seed",
    "ones",
    "ones_like",
    "rand",
    "rand_like",
    "randn",
    "randn_like",
    "tensor",
    "zeros",
    "zeros_like",
    "check_grads",
    "checkpoint",
    "custom_jvp",
    "custom_vjp",
    "detect_anomaly",
    "elementwise_grad",
    "enable_grad",
    "grad",
    "hessian",
    "hvp",
    "inference_mode",
    "is_grad_enabled",
    "jacfwd",
    "jacobian",
    "jacrev",
    "jvp",
    "linearize",
    "no_grad",
    "set_grad_enabled",
    "stop_gradient",
    "value_and_grad",
    "vjp",
]
