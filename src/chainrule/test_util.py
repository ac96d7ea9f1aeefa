"""autograd's ``test_util`` location for its checking helpers (``from chainrule.test_util
import check_grads`` where autograd code had ``from autograd.test_util import ...``).
It also answers for autograd's ``util`` module: ``quick_grad_check`` and ``func``.
A public facade: the work is done in :mod:`chainrule.functional.testing`,
:mod:`chainrule.functional.testing_autograd` and
:mod:`chainrule.functional.autograd_core`."""

import functools

from chainrule.functional.autograd_core import func, missing_internal
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
    "func",
    "quick_grad_check",
    "scalar_close",
]

__getattr__ = functools.partial(missing_internal, __name__)
