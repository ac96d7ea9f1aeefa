"""autograd's ``misc.fixed_points`` module (a public facade)."""

from chainrule.functional.autograd_misc import fixed_point

__all__ = ["fixed_point"]
