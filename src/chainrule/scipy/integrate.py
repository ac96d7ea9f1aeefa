"""``chainrule.scipy.integrate``: ``odeint``, differentiable (a re-export of
:mod:`chainrule.primitives.integrate`)."""

from chainrule.primitives.integrate import odeint

__all__ = ["odeint"]
