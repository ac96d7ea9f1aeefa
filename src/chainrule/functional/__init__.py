"""The functional front door (JAX / autograd style): transforms of Python functions.

* :mod:`.transforms`: ``grad``, ``vjp``, ``jvp``, ``value_and_grad``, ``hvp`` ...;
* :mod:`.jacobians`: ``jacfwd``, ``jacrev``, ``hessian``;
* :mod:`.custom`: ``custom_vjp``, ``custom_jvp``, ``checkpoint``, ``stop_gradient``;
* :mod:`.pytree`: nested containers of arrays as arguments and results;
* :mod:`.testing`: ``check_grads`` (derivatives against finite differences);
* :mod:`.autograd_names`: HIPS autograd's names for the same transforms.
"""

from chainrule.functional.autograd_names import (
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
from chainrule.functional.custom import checkpoint, custom_jvp, custom_vjp, stop_gradient
from chainrule.functional.jacobians import hessian, jacfwd, jacobian, jacrev
from chainrule.functional.testing import check_grads
from chainrule.functional.transforms import (
    elementwise_grad,
    grad,
    hvp,
    jvp,
    linearize,
    value_and_grad,
    vjp,
)

__all__ = [
    "check_grads",
    "checkpoint",
    "custom_jvp",
    "custom_vjp",
    "deriv",
    "elementwise_grad",
    "grad",
    "grad_and_aux",
    "grad_named",
    "hessian",
    "hessian_tensor_product",
    "hessian_vector_product",
    "holomorphic_grad",
    "hvp",
    "jacfwd",
    "jacobian",
    "jacrev",
    "jvp",
    "linearize",
    "make_ggnvp",
    "make_hvp",
    "make_jvp",
    "make_vjp",
    "multigrad_dict",
    "stop_gradient",
    "tensor_jacobian_product",
    "value_and_grad",
    "vector_jacobian_product",
    "vjp",
]
