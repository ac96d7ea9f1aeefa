"""The eigen-decomposition of a general square matrix (part of
``chainrule.numpy.linalg``): ``eig``, and ``eigvals`` composed from it.

A real matrix may have complex eigenvalues and eigenvectors, so the results are complex
in general (as NumPy's are, whenever any eigenvalue is). NumPy scales each eigenvector
to unit length and leaves its phase to LAPACK; the derivative keeps the length and
does not turn the phase, so a function of the eigenvectors is differentiable when it
does not depend on their phases (``abs(v)``, ``v @ diag(f(w)) @ inv(v)`` ...).
The reverse mode is the transpose of the forward mode (autograd's complex convention),
and both differentiate again.
"""

from __future__ import annotations

from collections import namedtuple

from chainrule.core.primitive import defprimitive
from chainrule.primitives import elementwise as E
from chainrule.primitives import reductions as R
from chainrule.primitives import shape as S
from chainrule.primitives._helpers import conj_if_complex, dtype_of, shape_of, split_results
from chainrule.primitives.linalg_common import (
    check_matrix,
    eye_for,
    matrix_operand,
    transposed_jvp,
    zeros_for,
)
from chainrule.primitives.linalg_solve import solve_p
from chainrule.primitives.products import matmul

__all__ = ["eig", "eigvals"]

EigResult = namedtuple("EigResult", ["eigenvalues", "eigenvectors"])


def _eig_jvp(gs, ans, a):
    # C = V⁻¹ dA V:  dw = diag C,  dV = V (F ∘ C) with F = 1/(wⱼ - wᵢ) off the diagonal,
    # less each column's stretch Re(vᵢᴴ dvᵢ) vᵢ (eigenvectors keep unit length)
    w, v = split_results(ans, 2)
    c = solve_p(v, matmul(gs[0], v))
    eye = eye_for(shape_of(w)[-1], w)
    gaps = S.expand_dims(w, -2) - S.expand_dims(w, -1)
    d = matmul(v, E.divide(1.0 - eye, gaps + eye) * c)
    stretch = R.sum(conj_if_complex(v) * d, axis=-2, keepdims=True)
    if dtype_of(stretch).kind == "c":
        stretch = E.real(stretch)
    dw = R.sum(c * eye, axis=-1)
    return (dw, d - v * stretch)


def _eig_vjp(argnums, ans, a):
    pull = transposed_jvp(lambda t: _eig_jvp((t,), ans, a), a, zeros_for(shape_of(a), a))
    return lambda g: [pull(g)]


eig_p = defprimitive(
    "eig",
    lambda xp, a: tuple(xp.linalg.eig(a)),
    vjp_joint=_eig_vjp,
    jvp_joint=_eig_jvp,
    multiple_results=True,
)


def eig(a):
    """Eigenvalues and unit eigenvectors of a square matrix (batched), NumPy's
    ``linalg.eig``; differentiable for distinct eigenvalues."""
    a = matrix_operand(a, complex_ok=True)
    check_matrix(a, "eig")
    return EigResult(*split_results(eig_p(a), 2))


def eigvals(a):
    """The eigenvalues of a square matrix (batched), NumPy's ``linalg.eigvals``."""
    return eig(a).eigenvalues
