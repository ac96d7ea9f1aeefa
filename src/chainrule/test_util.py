"""autograd's ``test_util`` location for ``check_grads`` (``from chainrule.test_util
import check_grads`` where autograd code had ``from autograd.test_util import ...``)."""

from chainrule.testing import check_grads

__all__ = ["check_grads"]
