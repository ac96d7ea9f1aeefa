"""The core: traces and boxes, the primitive registry, reverse and forward mode.

It knows nothing of individual primitives, of NumPy's namespace or of ``Tensor``: the
primitives layer registers into it, and the tensor layer builds its eager graph on it.
"""

from chainrule.core.anomaly import detect_anomaly
from chainrule.core.forward import JVPTrace
from chainrule.core.primitive import Primitive, defprimitive, registry
from chainrule.core.reverse import ReverseTrace, backward_pass
from chainrule.core.trace import Box, new_trace

__all__ = [
    "Box",
    "JVPTrace",
    "Primitive",
    "ReverseTrace",
    "backward_pass",
    "defprimitive",
    "detect_anomaly",
    "new_trace",
    "registry",
]
