"""``scipy.integrate.odeint`` with SciPy's signature: the values are SciPy's (imported
when first called). Its derivative (the adjoint method) is not implemented yet, so a
traced ``y0``, ``t`` or argument is refused with an error that says so, never given a
zero gradient."""

from __future__ import annotations

from chainrule.core.trace import Box
from chainrule.primitives._scipy import scipy_module

__all__ = ["odeint"]


def _traced(x) -> bool:
    if isinstance(x, list | tuple):
        return any(_traced(v) for v in x)
    return isinstance(x, Box)


def odeint(func, y0, t, args=(), **kwargs):
    """Integrate ``dy/dt = func(y, t, *args)`` from ``y0`` over the times ``t``
    (SciPy's ``odeint``, keywords included); values only for now."""
    if _traced((y0, t, args)):
        raise NotImplementedError(
            "chainrule.scipy.integrate.odeint: derivatives with respect to y0, t or args "
            "are not implemented yet; only its values can be computed"
        )
    integrate = scipy_module("integrate", "chainrule.scipy.integrate.odeint")
    return integrate.odeint(func, y0, t, args=tuple(args), **kwargs)
