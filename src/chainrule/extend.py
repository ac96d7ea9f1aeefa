"""autograd's ``extend`` module: defining new primitives and their derivative rules
(a public facade: the work is done in :mod:`chainrule.functional.extension` and
:mod:`chainrule.functional.vspace`)."""

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
    "notrace_primitive",
    "primitive",
    "register_notrace",
    "vspace",
]
