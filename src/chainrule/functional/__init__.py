"""The functional front door (JAX / autograd style): transforms of Python functions.

From the bottom up (each module imports only those above it in this list):

* :mod:`.pytree`: nested containers of arrays as arguments and results;
* :mod:`.arguments`: the function and the arguments a transform differentiates;
* :mod:`.matching`: derivatives in the shape and dtype of their values;
* :mod:`.modes`: ``vjp``, ``jvp``, ``linearize``;
* :mod:`.gradients`: ``grad``, ``value_and_grad``, ``elementwise_grad``, ``hvp``;
* :mod:`.vmap`: ``vmap`` (a function of one example mapped over a batch);
* :mod:`.jacobians`: ``jacfwd``, ``jacrev``, ``hessian`` (one batched pass, by ``vmap``);
* :mod:`.custom_call`: a call with hand-made rules as a one-off primitive;
* :mod:`.custom`: ``custom_vjp``, ``custom_jvp``, ``stop_gradient``;
* :mod:`.checkpoint`: ``checkpoint`` (recompute instead of store);
* :mod:`.testing`: ``check_grads`` (derivatives against finite differences);
* :mod:`.codegen`, :mod:`.codegen_scalar`: staged programs cleaned up and written as
  Python (NumPy calls; float arithmetic for scalar programs);
* :mod:`.jit`: ``jit``, ``make_program``;
* :mod:`.control_flow`: ``cond`` (a traced choice that ``jit`` keeps);
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
from chainrule.functional.checkpoint import checkpoint
from chainrule.functional.control_flow import cond
from chainrule.functional.custom import custom_jvp, custom_vjp, stop_gradient
from chainrule.functional.gradients import elementwise_grad, grad, hvp, value_and_grad
from chainrule.functional.jacobians import hessian, jacfwd, jacobian, jacrev
from chainrule.functional.jit import jit, make_program
from chainrule.functional.modes import jvp, linearize, vjp
from chainrule.functional.testing import check_grads
from chainrule.functional.vmap import vmap

__all__ = [
    "check_grads",
    "checkpoint",
    "cond",
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
    "jit",
    "jvp",
    "linearize",
    "make_ggnvp",
    "make_program",
    "make_hvp",
    "make_jvp",
    "make_vjp",
    "multigrad_dict",
    "stop_gradient",
    "tensor_jacobian_product",
    "value_and_grad",
    "vector_jacobian_product",
    "vjp",
    "vmap",
]
