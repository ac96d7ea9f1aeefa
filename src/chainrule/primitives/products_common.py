"""Small helpers shared by the products family (``products``, ``products_einsum``,
``products_diagonal``): lazy access to sibling families, and argument handling."""

from __future__ import annotations

import numpy as np

from chainrule.core.trace import Box
from chainrule.primitives._helpers import _conj_if_complex


def _E():
    from chainrule.primitives import elementwise

    return elementwise


def _S():
    from chainrule.primitives import shape

    return shape


def _R():
    from chainrule.primitives import reductions

    return reductions


def _asarray(x):
    """Plain inputs (lists, scalars) become arrays; traced values pass through."""
    return x if isinstance(x, Box) else np.asarray(x)


def _no_out(name, out):
    if out is not None:
        raise TypeError(f"{name}: out= is not supported (differentiable ops return new arrays)")


def _mT(x):
    return _S().swapaxes(x, -1, -2)


def _reshape(x, shape):
    shape = tuple(int(n) for n in shape)
    if -1 in shape:
        return _S().reshape(x, shape)
    return _S().reshape_to(x, shape)  # skips the no-op


def _conj(x):
    """Conjugate a complex operand (a no-op, and no traced op, for real ones)."""
    return _conj_if_complex(x)
