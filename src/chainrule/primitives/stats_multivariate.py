"""``scipy.stats.multivariate_normal`` (``logpdf``, ``pdf``, ``entropy``) and
``scipy.stats.dirichlet`` (``logpdf``, ``pdf``, and ``rvs`` for drawing samples),
composed from differentiable ops with SciPy's argument names and shapes.

The normal density needs ``log det Σ`` and ``(x-μ)ᵀ Σ⁻¹ (x-μ)``: from the Cholesky factor
and a solve, differentiable in ``x``, ``mean`` and ``cov``. With
``allow_singular=True`` the covariance is read through its eigendecomposition: the
pseudo-determinant and pseudo-inverse over the eigenvalues above SciPy's threshold
(``1e6 · float64 eps · the largest``), the rank taking the place of the dimension.
(Unlike SciPy, a point off the covariance's support is not given ``-inf``: only its
component in the support counts.)
"""

from __future__ import annotations

import math

import numpy as np

from chainrule.core.trace import Box, unbox_all
from chainrule.primitives import elementwise as E
from chainrule.primitives import reductions as R
from chainrule.primitives import shape as S
from chainrule.primitives._args import as_array
from chainrule.primitives._helpers import ndim_of, shape_of
from chainrule.primitives._scipy import scipy_module
from chainrule.primitives.linalg_common import eye_for
from chainrule.primitives.linalg_decomp import cholesky, eigh
from chainrule.primitives.linalg_solve import solve
from chainrule.primitives.products import matmul
from chainrule.primitives.products_diagonal import diag, diagonal
from chainrule.primitives.selection import where
from chainrule.primitives.special import gammaln, xlogy

__all__ = [
    "dirichlet_logpdf", "dirichlet_pdf", "dirichlet_rvs",
    "mvn_entropy", "mvn_logpdf", "mvn_pdf",
]  # fmt: skip

_LOG_2PI = math.log(2.0 * math.pi)


# -- the multivariate normal ----------------------------------------------------------------
def _dimension(mean, cov) -> int:
    if mean is not None and ndim_of(mean) > 0:
        return shape_of(mean)[-1]
    if ndim_of(cov) > 0:
        return shape_of(cov)[0]
    return 1


def _covariance(cov, d: int):
    """``cov`` as a (d, d) matrix: SciPy also takes a scalar (times the identity) and a
    vector (the diagonal)."""
    cov = as_array(cov, floating=True)
    if ndim_of(cov) == 0:
        return cov * eye_for(d, cov)
    if ndim_of(cov) == 1:
        return diag(cov)
    if shape_of(cov) != (d, d):
        raise ValueError(
            f"multivariate_normal: cov must be ({d}, {d}) for mean of length {d}, "
            f"got shape {shape_of(cov)}"
        )
    return cov


def _centered(x, mean, d: int):
    """``x - mean`` with points along the last axis, as SciPy reads ``x``: a vector is
    one point (or, for d = 1, a list of one-dimensional points)."""
    x = as_array(x, floating=True)
    if ndim_of(x) == 0 or (ndim_of(x) == 1 and d == 1 and shape_of(x)[0] != 1):
        x = S.expand_dims(x, -1)
    if shape_of(x)[-1] != d:
        raise ValueError(f"multivariate_normal: x has {shape_of(x)[-1]} components, mean {d}")
    return x if mean is None else x - mean


def _squeezed(v):
    """SciPy's result shape: every length-1 axis dropped."""
    shape = tuple(n for n in shape_of(v) if n != 1)
    return S.reshape(v, shape) if shape != shape_of(v) else v


def _log_det_and_quad(diff, cov, allow_singular: bool):
    """(rank, log pseudo-det Σ, the Mahalanobis form of each row of ``diff``)."""
    if allow_singular:
        s, u = eigh(cov)
        s_val = np.asarray(unbox_all(s))
        keep = s_val > 1e6 * np.finfo(np.float64).eps * np.max(np.abs(s_val))
        rank = int(np.count_nonzero(keep))
        inv_s = where(keep, 1.0 / where(keep, s, 1.0), 0.0)
        log_det = R.sum(where(keep, E.log(where(keep, s, 1.0)), 0.0))
        proj = matmul(diff, u)
        return rank, log_det, R.sum(proj * proj * inv_s, axis=-1)
    low = cholesky(cov)
    log_det = 2.0 * R.sum(E.log(diagonal(low)))
    sol = solve(cov, S.moveaxis(diff, -1, 0) if ndim_of(diff) > 1 else diff)
    sol = S.moveaxis(sol, 0, -1) if ndim_of(diff) > 1 else sol
    return shape_of(cov)[0], log_det, R.sum(diff * sol, axis=-1)


def mvn_logpdf(x, mean=None, cov=1, allow_singular=False):
    """Log density of the multivariate normal ``N(mean, cov)`` at the rows of ``x``."""
    d = _dimension(mean, cov)
    cov = _covariance(cov, d)
    diff = _centered(x, mean, d)
    if ndim_of(diff) > 2:
        lead = shape_of(diff)[:-1]
        flat = S.reshape(diff, (-1, d))
        return S.reshape(mvn_logpdf(flat, None, cov, allow_singular), lead)
    rank, log_det, quad = _log_det_and_quad(diff, cov, allow_singular)
    return _squeezed(-0.5 * (rank * _LOG_2PI + log_det + quad))


def mvn_pdf(x, mean=None, cov=1, allow_singular=False):
    """Density of the multivariate normal."""
    return E.exp(mvn_logpdf(x, mean, cov, allow_singular))


def mvn_entropy(mean=None, cov=1):
    """Differential entropy ``(d (1 + log 2π) + log det Σ) / 2``."""
    d = _dimension(mean, cov)
    low = cholesky(_covariance(cov, d))
    return 0.5 * d * (1.0 + _LOG_2PI) + R.sum(E.log(diagonal(low)))


# -- the Dirichlet distribution -------------------------------------------------------------
def _check_simplex(x, alpha):
    """SciPy's checks: one component per ``alpha`` entry (along x's first axis), each in
    [0, 1], summing to 1."""
    if ndim_of(alpha) != 1:
        raise ValueError(f"dirichlet: alpha must be a vector, got shape {shape_of(alpha)}")
    k = shape_of(alpha)[0]
    xv = np.asarray(unbox_all(x), dtype=np.float64)
    if xv.ndim == 0 or xv.shape[0] != k:
        raise ValueError(f"dirichlet: x must have {k} components along axis 0, got {xv.shape}")
    if np.any(xv < 0) or np.any(xv > 1):
        raise ValueError("dirichlet: each component of x must lie in [0, 1]")
    if np.any(np.abs(np.sum(xv, axis=0) - 1.0) > 1e-9):
        raise ValueError("dirichlet: the components of x must sum to 1")


def dirichlet_logpdf(x, alpha):
    """Log density of the Dirichlet distribution; ``x``'s first axis holds the
    components (a vector, or one column per point)."""
    x, alpha = as_array(x, floating=True), as_array(alpha, floating=True)
    _check_simplex(x, alpha)
    log_b = R.sum(gammaln(alpha)) - gammaln(R.sum(alpha))
    a = S.reshape(alpha - 1.0, (shape_of(alpha)[0],) + (1,) * (ndim_of(x) - 1))
    return R.sum(xlogy(a, x), axis=0) - log_b


def dirichlet_pdf(x, alpha):
    """Density of the Dirichlet distribution."""
    return E.exp(dirichlet_logpdf(x, alpha))


def dirichlet_rvs(alpha, size=1, random_state=None):
    """Samples (SciPy's ``dirichlet.rvs``); not differentiable, so ``alpha`` must be a
    constant."""
    if isinstance(alpha, Box):
        raise TypeError("dirichlet.rvs: samples have no derivative; pass alpha as a constant")
    stats = scipy_module("stats", "chainrule.scipy.stats.dirichlet.rvs")
    return stats.dirichlet.rvs(alpha, size=size, random_state=random_state)
