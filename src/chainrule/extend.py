"""autograd's ``extend`` module: defining new primitives and their derivative rules
(a public facade: the work is done in :mod:`chainrule.functional.extension` and
:mod:`chainrule.functional.vspace`). It also answers for autograd's internal modules
``autograd.core`` and ``autograd.tracer``: ``make_vjp(fun, x)``, ``primitive_vjps``,
``primitive_jvps`` (:mod:`chainrule.functional.autograd_core`). The tracer's internals
(``Node``, ``trace``, ...) are not provided: asking for one raises an ``ImportError``
that points to ``chainrule.make_program`` and ``chainrule.viz``."""

import functools

from chainrule.functional.autograd_core import (
    make_vjp,
    missing_internal,
    primitive_jvps,
    primitive_vjps,
)
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

__getattr__ = functools.partial(missing_internal, __name__)

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
