"""Linear algebra (``chainrule.numpy.linalg``): decompositions, solvers and norms.

Every function is batched over leading dimensions where NumPy's is, and its rules are
written with chainrule's own matrix ops (``matmul``, ``swapaxes``, ``solve``, ``inv``,
elementwise masks), so they differentiate again: Hessians through ``eigh`` or ``svd``
work like any other.

Primitives: ``inv solve det slogdet cholesky eigh eigvalsh qr svd svdvals pinv
vector_norm matrix_rank``. Everything else (``norm``, ``matrix_norm``, ``cond``,
``matrix_power``, ``multi_dot``, ``lstsq``, ``tensorinv``, ``tensorsolve``) composes them,
and NumPy 2's array-API names (``matmul``, ``matrix_transpose``, ``outer``, ``trace``,
``diagonal``, ``tensordot``, ``vecdot``, ``cross``; matrix axes last) call the products
family.

This module holds the compositions outside the norms and the array-API names. The
records, each beside its public function, live by topic in ``linalg_solve`` (inverses,
solves, ``pinv``, ``matrix_rank``), ``linalg_decomp`` (``cholesky``, ``eigh``, ``qr``,
``svd`` and friends), ``linalg_det`` (``det``, ``slogdet``) and ``linalg_norms`` (norms
and ``cond``); the helpers they share are in ``linalg_common``.
``chainrule.numpy.linalg`` gathers the public names of all five.

Conventions (where a derivative needs one):

* ``eigh``, ``eigvalsh`` and ``cholesky`` symmetrise their input, ``(A + Aᵀ)/2``, before
  decomposing (as JAX does), and their gradients are symmetric. For a symmetric input the
  result is NumPy's; for a non-symmetric one NumPy reads a single triangle instead.
  ``UPLO`` is accepted for compatibility and does not change the result.
* Eigenvector derivatives divide by eigenvalue gaps ``wⱼ - wᵢ``: for repeated
  eigenvalues they are undefined (Inf/NaN). Eigenvalue derivatives stay fine. The same
  holds for singular vectors and repeated singular values (gaps ``sⱼ² - sᵢ²``), and
  ``svd``'s vector derivatives also divide by ``s``, so they need full rank.
* Eigenvectors and singular vectors are fixed only up to sign; a function of them is
  well-defined only if it does not depend on that choice (``V * V``, ``U @ Vh``, ...).
* ``svd`` is differentiable with ``full_matrices=False`` (or a square input): the extra
  columns of the full ``U``/``Vh`` are arbitrary. ``svd(..., hermitian=True)`` uses the
  general SVD, so singular vectors can differ in sign from NumPy's.
* ``qr`` is differentiable in the ``'reduced'`` and ``'r'`` modes (and ``'complete'``
  for square or wide inputs, where it is the same thing); R must be invertible (full
  rank). A wide input ``[X | Y]`` is handled as ``Q, U = qr(X)``, ``R = [U | QᵀY]``.
* ``det``'s gradient ``det(A)·A⁻ᵀ`` needs an invertible matrix; ``pinv``'s needs a rank
  that does not change near the input.
* Norms: at the zero vector (and zero matrix, 'fro') the gradient is the subgradient 0,
  never NaN; 1- and inf-norms inherit ``abs``'s subgradient 0 at 0 and ``max``'s even
  split of ties. Gradients of norms are for real inputs.
* ``slogdet``'s sign and ``matrix_rank`` have derivative zero.
* Derivatives are for real matrices: a traced complex input raises NotImplementedError
  (plain complex arrays still run forward). ``eig``/``eigvals`` are forward-only.
"""

from __future__ import annotations

import operator

import numpy as np

from chainrule.core.trace import concrete_value, unbox_all
from chainrule.primitives import elementwise as E
from chainrule.primitives import products, products_diagonal
from chainrule.primitives import reductions as R
from chainrule.primitives import shape as S
from chainrule.primitives._args import reject_out
from chainrule.primitives._helpers import dtype_of, ndim_of, shape_of
from chainrule.primitives.linalg_common import LinAlgError, check_matrix, matrix_operand
from chainrule.primitives.linalg_decomp import svdvals_p
from chainrule.primitives.linalg_norms import _normalize_axes
from chainrule.primitives.linalg_solve import inv, pinv_p, solve
from chainrule.primitives.shape import mT

__all__ = [
    "cross", "diagonal", "lstsq", "matmul", "matrix_power",
    "matrix_transpose", "multi_dot", "outer", "tensordot", "tensorinv", "tensorsolve",
    "trace", "vecdot",
]  # fmt: skip


# -- compositions of the primitives --------------------------------------------------------
def matrix_power(a, n):
    """``a`` to the integer power ``n`` (an integer matrix stays integer for n >= 0, as
    in NumPy)."""
    a = matrix_operand(a, cast_int=False)
    check_matrix(a, "matrix_power")
    try:
        n = operator.index(n)
    except TypeError:
        raise TypeError(f"matrix_power: exponent must be an integer, got {n!r}") from None
    if n == 0:  # the identity: a constant
        shape = shape_of(a)
        return np.broadcast_to(np.eye(shape[-1], dtype=dtype_of(a)), shape).copy()
    if n < 0 and dtype_of(a).kind in "biu":
        a = E.astype(a, np.float64)
    if n < 0:
        a, n = inv(a), -n
    result = None
    while n:  # binary powering: about log2(n) products
        if n & 1:
            result = a if result is None else products.matmul(result, a)
        n >>= 1
        if n:
            a = products.matmul(a, a)
    return result


def _chain_order(dims):
    """Cheapest parenthesisation of a matrix chain (dims[i] x dims[i+1] factors):
    ``split[i][j]`` is where to cut the product of factors i..j."""
    k = len(dims) - 1
    cost = [[0] * k for _ in range(k)]
    split = [[0] * k for _ in range(k)]
    for length in range(1, k):
        for i in range(k - length):
            j = i + length
            cost[i][j] = None
            for c in range(i, j):
                here = cost[i][c] + cost[c + 1][j] + dims[i] * dims[c + 1] * dims[j + 1]
                if cost[i][j] is None or here < cost[i][j]:
                    cost[i][j], split[i][j] = here, c
    return split


def multi_dot(arrays, *, out=None):
    reject_out("linalg.multi_dot", out)
    arrays = [matrix_operand(x, cast_int=False) for x in arrays]
    if len(arrays) < 2:
        raise ValueError("multi_dot: expecting at least two arrays")
    shapes = [shape_of(x) for x in arrays]
    for i, s in enumerate(shapes):
        if len(s) != 2 and not (len(s) == 1 and i in (0, len(arrays) - 1)):
            raise ValueError(
                f"multi_dot: array {i} has shape {s}; only the first and last may be 1-D, "
                "the others must be 2-D"
            )
    # A 1-D first (last) array is a row (column) vector; matmul treats it so already.
    # factor i is dims[i] x dims[i + 1]
    dims = [shapes[0][0] if len(shapes[0]) == 2 else 1]
    for i, s in enumerate(shapes):
        dims.append(s[1] if len(s) == 2 else (s[0] if i == 0 else 1))
    split = _chain_order(dims)

    def product(i, j):
        if i == j:
            return arrays[i]
        c = split[i][j]
        return products.matmul(product(i, c), product(c + 1, j))

    return product(0, len(arrays) - 1)


def lstsq(a, b, rcond=None):
    """Least squares via the pseudo-inverse: ``(x, residuals, rank, s)`` as in NumPy.
    Gradients are those of ``pinv(a) @ b`` (constant rank)."""
    a, b = matrix_operand(a), matrix_operand(b)
    ashape, bshape = shape_of(a), shape_of(b)
    if len(ashape) != 2 or len(bshape) not in (1, 2) or bshape[0] != ashape[0]:
        raise LinAlgError(
            f"lstsq: a must be 2-D (M, N) and b (M,) or (M, K); got {ashape} and {bshape}"
        )
    m, n = ashape
    if rcond is None or rcond < 0:
        rcond = np.finfo(np.float64).eps * (max(m, n) if rcond is None else 1)
    s = svdvals_p(a)
    s_val = np.asarray(concrete_value(s))
    rank = int(np.sum(s_val > rcond * s_val[0])) if s_val.size else 0
    x = products.matmul(pinv_p(a, rcond=float(rcond), hermitian=False), b)
    if rank == n and m > n:
        r = b - products.matmul(a, x)
        residuals = R.sum(r * r, axis=0)
        if len(bshape) == 1:
            residuals = S.reshape(residuals, (1,))
    else:
        residuals = np.empty((0,))
    return x, residuals, np.int32(rank), s


def tensorinv(a, ind=2):
    a = matrix_operand(a)
    shape = shape_of(a)
    if ind <= 0:
        raise ValueError("Invalid ind argument.")
    rows = int(np.prod(shape[ind:]))
    return S.reshape(inv(S.reshape(a, (rows, -1))), shape[ind:] + shape[:ind])


def tensorsolve(a, b, axes=None):
    a, b = matrix_operand(a), matrix_operand(b)
    nd = ndim_of(a)
    if axes is not None:
        order = [k for k in range(nd) if k not in _normalize_axes(axes, nd)]
        a = S.transpose(a, tuple(order) + _normalize_axes(axes, nd))
    ashape = shape_of(a)
    xshape = ashape[-(nd - ndim_of(b)) :]
    size = int(np.prod(xshape))
    if int(np.prod(ashape)) != size * size:
        raise LinAlgError(f"tensorsolve: a of shape {ashape} is not square for x of shape {xshape}")
    x = solve(S.reshape(a, (size, size)), S.reshape(b, (-1,)))
    return S.reshape(x, xshape)


# -- NumPy 2's array-API names in numpy.linalg (matrix axes are always the last two) --------
def matmul(x1, x2, /):
    return products.matmul(x1, x2)


def matrix_transpose(x, /):
    x = matrix_operand(x, cast_int=False)
    check_matrix(x, "matrix_transpose", square=False)
    return mT(x)


def outer(x1, x2, /):
    x1, x2 = matrix_operand(x1, cast_int=False), matrix_operand(x2, cast_int=False)
    if ndim_of(x1) != 1 or ndim_of(x2) != 1:
        raise ValueError(
            f"outer: 1-dimensional inputs expected, got shapes {shape_of(x1)} and {shape_of(x2)}"
        )
    return products.outer(x1, x2)


def trace(x, /, *, offset=0, dtype=None):
    return products_diagonal.trace(
        matrix_operand(x, cast_int=False), offset=offset, axis1=-2, axis2=-1, dtype=dtype
    )


def diagonal(x, /, *, offset=0):
    return products_diagonal.diagonal(
        matrix_operand(x, cast_int=False), offset=offset, axis1=-2, axis2=-1
    )


def tensordot(x1, x2, /, *, axes=2):
    return products.tensordot(x1, x2, axes=axes)


def vecdot(x1, x2, /, *, axis=-1):
    x1, x2 = matrix_operand(x1, cast_int=False), matrix_operand(x2, cast_int=False)
    if shape_of(x1)[axis] != shape_of(x2)[axis]:
        raise ValueError(
            f"vecdot: shapes {shape_of(x1)} and {shape_of(x2)} differ along axis {axis}"
        )
    if np.iscomplexobj(unbox_all(x1)):
        x1 = E.conj(x1)
    return R.sum(x1 * x2, axis=axis)


def cross(x1, x2, /, *, axis=-1):
    x1, x2 = matrix_operand(x1, cast_int=False), matrix_operand(x2, cast_int=False)
    if shape_of(x1)[axis] != 3 or shape_of(x2)[axis] != 3:
        raise ValueError(
            f"cross: both inputs must have 3 entries along axis {axis}, got shapes "
            f"{shape_of(x1)} and {shape_of(x2)}"
        )
    return products.cross(x1, x2, axis=axis)
