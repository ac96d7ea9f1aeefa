"""Shared plumbing of the linalg family (``linalg_solve``, ``linalg_decomp``,
``linalg_norms`` and the public ``linalg``).

Two kinds of helper live here: small matrix ops the rules are written in (``_mm``,
``_mT``, ...: all chainrule ops, so rules built from them differentiate again), and the
argument handling every public function starts with (``_prep``, ``_check_matrix``,
``_static_float``). Nothing here is a primitive.
"""

from __future__ import annotations

import numpy as np

from chainrule.core.trace import is_boxed
from chainrule.primitives._helpers import dtype_of, shape_of

LinAlgError = np.linalg.LinAlgError  # a ValueError subclass, as in NumPy


# -- matrix helpers used by the rules (all differentiable) ------------------------------
def _mm(a, b):
    from chainrule.primitives import products

    return products.matmul(a, b)


def _mT(x):
    """Swap the last two axes (a batched transpose)."""
    from chainrule.primitives import shape

    return shape.swapaxes(x, -1, -2)


def _sum(x, axis):
    from chainrule.primitives import reductions

    return reductions.sum(x, axis=axis)


def _expand(x, axis):
    from chainrule.primitives import shape

    return shape.expand_dims(x, axis)


def _reshape(x, newshape):
    from chainrule.primitives import shape

    return shape.reshape(x, newshape)


def _fdtype(x):
    """The floating dtype that constants in a rule about ``x`` must have (float32 rules
    stay float32: a float64 identity matrix would promote every product)."""
    dt = dtype_of(x)
    return dt if dt.kind in "fc" else np.dtype(np.float64)


def _zeros(shape, like):
    """A zero cotangent/tangent of ``shape`` in ``like``'s floating dtype."""
    return np.zeros(shape, _fdtype(like))


def _eye(n, like):
    return np.eye(n, dtype=_fdtype(like))


# -- argument handling for the public functions -----------------------------------------
def _prep(a, cast_int=True):
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


def _check_matrix(a, name, square=True):
    shape = shape_of(a)
    if len(shape) < 2:
        raise LinAlgError(f"{name}: expected an array of at least 2 dimensions, got shape {shape}")
    if square and shape[-1] != shape[-2]:
        raise LinAlgError(f"{name}: the last 2 dimensions must be square, got shape {shape}")


def _static_float(v, name):
    if v is None:
        return None
    if np.ndim(v) != 0:
        raise NotImplementedError(f"{name} must be a scalar in chainrule, got an array")
    return float(v)
