"""autograd's ``builtins`` module (a public facade over
:mod:`chainrule.functional.autograd_builtins`)."""

from chainrule.functional.autograd_builtins import (  # noqa: A004
    dict,
    isinstance,
    list,
    tuple,
    type,
)

__all__ = ["dict", "isinstance", "list", "tuple", "type"]
