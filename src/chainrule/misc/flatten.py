"""autograd's ``misc.flatten`` module (a public facade)."""

from chainrule.functional.autograd_misc import flatten, flatten_func

__all__ = ["flatten", "flatten_func"]
