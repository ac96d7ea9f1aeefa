"""autograd's ``test_util`` location for its checking helpers (``from chainrule.test_util
import check_grads`` where autograd code had ``from autograd.test_util import ...``).
A public facade: the work is done in :mod:`chainrule.functional.testing` and
:mod:`chainrule.functional.testing_autograd`."""

from chainrule.functional.testing import check_grads, check_jvp, check_vjp
from chainrule.functional.testing_autograd import (
    check_equivalent,
    combo_check,
    quick_grad_check,
    scalar_close,
)

__all__ = [
    "check_equivalent",
    "check_grads",
    "check_jvp",
    "check_vjp",
    "combo_check",
    "quick_grad_check",
    "scalar_close",
]
