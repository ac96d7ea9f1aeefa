"""Argument handling and rule constants shared by the linalg modules (``linalg_solve``,
``linalg_decomp``, ``linalg_det``, ``linalg_norms``, ``linalg``). Nothing here is a
record: the rules are written with chainrule's own ops (``matmul``, ``mT``, ``solve``,
...), so they differentiate again.
"""

from __future__ import annotations

import numpy as np

from chainrule.core.trace import is_boxed
from chainrule.primitives._helpers import dtype_of, namespace_of, shape_of

LinAlgError = np.linalg.LinAlgError  # a ValueError subclass, as in NumPy


# -- constants in rules -------------------------------------------------------------------
def floating_dtype(x):
    """The floating dtype that constants in a rule about ``x`` must have (float32 rules
    stay float32: a float64 identity matrix would promote every product)."""
    dt = dtype_of(x)
    return dt if dt.kind in "fc" else np.dtype(np.float64)


def zeros_for(shape, like):
    """A zero cotangent/tangent of ``shape`` in ``like``'s floating dtype."""
    return namespace_of(like).zeros(shape, floating_dtype(like))


def eye_for(n, like):
    """The ``n x n`` identity in ``like``'s floating dtype."""
    return namespace_of(like).eye(n, dtype=floating_dtype(like))


# -- argument handling for the public functions -----------------------------------------
def matrix_operand(a, cast_int=True):
    """Array-likes become arrays (integers become float64, as in NumPy's decompositions
    and solvers; ``cast_int=False`` keeps them for the products that NumPy computes in
    the input's dtype); traced values and Tensors pass through."""
    if is_boxed(a):
        if dtype_of(a).kind == "c":
            raise NotImplementedError(
                "chainrule.numpy.linalg: derivatives of complex matrices are not supported "
                "(the rules are written for real inputs)"
            )
        return a
    a = np.asarray(a)
    if cast_int and a.dtype.kind in "biu":
        a = a.astype(np.float64)
    return a


def check_matrix(a, name, square=True):
    shape = shape_of(a)
    if len(shape) < 2:
        raise LinAlgError(f"{name}: expected an array of at least 2 dimensions, got shape {shape}")
    if square and shape[-1] != shape[-2]:
        raise LinAlgError(f"{name}: the last 2 dimensions must be square, got shape {shape}")


def static_float(v, name):
    """A tolerance argument as a Python float (it is static: not differentiable)."""
    if v is None:
        return None
    if np.ndim(v) != 0:
        raise NotImplementedError(f"{name} must be a scalar in chainrule, got an array")
    return float(v)
