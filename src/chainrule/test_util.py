"""autograd's ``test_util`` location for ``check_grads`` (``from chainrule.test_util
import check_grads`` where autograd code had ``from autograd.test_util import ...``).
A public facade: the work is done in :mod:`chainrule.functional.testing`."""

from chainrule.functional.testing import check_grads

__all__ = ["check_grads"]
