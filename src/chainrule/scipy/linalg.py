"""``chainrule.scipy.linalg``: SciPy's linear-algebra solvers, differentiable
(re-exports of :mod:`chainrule.primitives.scipy_linalg`)."""

from chainrule.primitives.scipy_linalg import (
    cho_factor,
    cho_solve,
    cholesky,
    solve_banded,
    solve_sylvester,
    solve_triangular,
    sqrtm,
)

__all__ = [
    "cho_factor", "cho_solve", "cholesky", "solve_banded", "solve_sylvester",
    "solve_triangular", "sqrtm",
]  # fmt: skip
