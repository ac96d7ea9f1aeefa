"""autograd's ``extend`` module: defining new primitives and their derivative rules
(a public facade: the work is done in :mod:`chainrule.functional.extension` and
:mod:`chainrule.functional.vspace`). It also answers for autograd's internal modules
``autograd.core`` and ``autograd.tracer``: ``make_vjp(fun, x)``, ``primitive_vjps``,
``primitive_jvps`` (:mod:`chainrule.functional.autograd_core`)."""

from chainrule.functional.autograd_core import make_vjp, primitive_jvps, primitive_vjps
from chainrule.functional.extension import (
    Box,
    def_linear,
    defjvp,
    defjvp_argnum,
    defvjp,
    defvjp_argnum,
    defvjp_argnums,
    getval,
    isbox,
    notrace_primitive,
    primitive,
    register_notrace,
)
from chainrule.functional.vspace import VSpace, vspace

__all__ = [
    "Box",
    "VSpace",
    "def_linear",
    "defjvp",
    "defjvp_argnum",
    "defvjp",
    "defvjp_argnum",
    "defvjp_argnums",
    "getval",
    "isbox",
    "make_vjp",
    "notrace_primitive",
    "primitive",
    "primitive_jvps",
    "primitive_vjps",
    "register_notrace",
    "vspace",
]
