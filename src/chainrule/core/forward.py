"""Forward mode: each box carries its tangent, pushed through every primitive's JVP.

Tangents are computed one level down, so they may themselves be boxes of outer traces;
that is how ``jacfwd(jacrev(f))`` and forward-over-reverse Hessians work.
"""

from __future__ import annotations

from chainrule.core import anomaly
from chainrule.core.trace import Box, Trace


class JVPBox(Box):
    __slots__ = ("_tangent",)

    def __init__(self, value, trace, tangent):
        self._value = value
        self._trace = trace
        self._tangent = tangent


class JVPTrace(Trace):
    """One forward-mode differentiation (a call of ``jvp``)."""

    __slots__ = ()

    def new_input(self, value, tangent) -> JVPBox:
        return JVPBox(value, self, tangent)

    def process(self, prim, args, kwargs):
        vals = list(args)
        argnums = []
        tangents = []
        for i, a in enumerate(args):
            if isinstance(a, Box) and a._trace is self:
                vals[i] = a._value
                if prim.check_rule(i, "fwd"):
                    argnums.append(i)
                    tangents.append(a._tangent)
        ans = prim(*vals, **kwargs)
        if anomaly.anomaly_enabled():
            anomaly.check_forward(prim.name, ans)
        if prim.zero_derivative or not argnums:
            return ans
        tangent = prim.jvp(tangents, argnums, ans, vals, kwargs)
        if anomaly.anomaly_enabled():
            anomaly.check_tangent(prim.name, tangent)
        return JVPBox(ans, self, tangent)
