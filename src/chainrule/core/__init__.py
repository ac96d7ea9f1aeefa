"""The core: traces and boxes, the primitive registry, reverse and forward mode, and the
eager graph behind ``Tensor``. It knows nothing of individual primitives or of NumPy's
namespace; the primitives layer registers into it."""

from chainrule.core.anomaly import detect_anomaly
from chainrule.core.eager import Tensor, enable_grad, is_grad_enabled, no_grad
from chainrule.core.forward import JVPTrace
from chainrule.core.primitive import Primitive, defprimitive, registry
from chainrule.core.reverse import ReverseTrace, backward_pass
from chainrule.core.trace import Box, new_trace

__all__ = [
    "Box",
    "JVPTrace",
    "Primitive",
    "ReverseTrace",
    "Tensor",
    "backward_pass",
    "defprimitive",
    "detect_anomaly",
    "enable_grad",
    "is_grad_enabled",
    "new_trace",
    "no_grad",
    "registry",
]
