"""autograd's ``misc`` package: ``flatten``, ``flatten_func``, ``const_graph`` and the
``optimizers``, ``fixed_points`` and ``flatten`` modules (a public facade over
:mod:`chainrule.functional.autograd_misc`, :mod:`chainrule.functional.const_graph` and
:mod:`chainrule.functional.autograd_optimizers`)."""

from chainrule.functional.const_graph import const_graph
from chainrule.misc import fixed_points, optimizers
from chainrule.misc.fixed_points import fixed_point
from chainrule.misc.flatten import flatten, flatten_func

__all__ = ["const_graph", "fixed_point", "fixed_points", "flatten", "flatten_func", "optimizers"]
