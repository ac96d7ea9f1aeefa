"""autograd's ``wrap_util`` location: ``unary_to_nary``, which turns an operator on
functions of one argument into one that takes ``argnum`` (a public facade: the work is
done in :mod:`chainrule.functional.autograd_core`)."""

from chainrule.functional.autograd_core import unary_to_nary

__all__ = ["unary_to_nary"]
