"""Forward mode: each box carries its tangent, pushed through every primitive's JVP.

Tangents are computed one level down, so they may themselves be boxes of outer traces;
that is how ``jacfwd(jacrev(f))`` and forward-over-reverse Hessians work.
"""

from __future__ import annotations

from chainrule.core import anomaly
from chainrule.core.trace import Box, Trace, box_type


class JVPBox(Box):
    __slots__ = ("_tangent",)

    def __init__(self, value, trace: Trace, tangent):
        self._value = value
        self._trace = trace
        self._tangent = tangent


class JVPTrace(Trace):
    """One forward-mode differentiation (a call of ``jvp``)."""

    __slots__ = ()

    def new_input(self, value, tangent) -> JVPBox:
        return box_type(JVPBox, value)(value, self, tangent)

    def process(self, prim, args, kwargs):
        vals, argnums, tangents = self.unbox(prim, args, "fwd", "_tangent")
        ans = prim(*vals, **kwargs)
        check = anomaly._enabled.get()
        if check:
            anomaly.check_forward(prim.name, ans)
        if prim.zero_derivative or not argnums:
            return ans
        tangent = prim.jvp(tangents, argnums, ans, vals, kwargs)
        if check:
            anomaly.check_tangent(prim.name, tangent)
        box = box_type(JVPBox, ans) if isinstance(ans, Box) else JVPBox
        return box(ans, self, tangent)
