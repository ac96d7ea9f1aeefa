"""Sweep entries for complex matrices in ``chainrule.numpy.linalg`` and for the general
eigen-decomposition ``eig`` (see ``_spec.py``).

Complex eigen- and singular vectors are fixed only up to a phase (and ``eig``'s up to
a phase even for real input), so the entries use phase-free functions of them: moduli
``|v|`` and products such as ``U diag(s) Vh``. Inputs are drawn with well-separated
eigenvalues (singular values), where the vectors are smooth.
"""

import numpy as np

import chainrule.numpy as cnp
from tests.primitives._spec import Arg, OpSpec
from tests.primitives.specs_linalg import _spread_rect, _spread_sym

LA = cnp.linalg
SPECS = []


def _add(name, fun, args, ref, covers, **kw):
    SPECS.append(OpSpec(f"linalg-complex-{name}", fun, args, ref=ref, covers=covers, **kw))


def _spread_hermitian(*shape):
    return _spread_sym(*shape, complex_=True)


def _spread_complex_rect(*shape):
    return _spread_rect(*shape, complex_=True)


def _spread_general(*shape, complex_=False):
    """A non-normal matrix with eigenvalues near 1, ..., n: P diag(w) P⁻¹ with P well
    conditioned (identity plus a small random part)."""
    n = shape[-1]

    def draw(rng):
        p = np.eye(n) + 0.3 * rng.standard_normal(shape)
        if complex_:
            p = p + 0.3j * rng.standard_normal(shape)
        w = np.arange(1.0, n + 1) * rng.uniform(0.95, 1.05, shape[:-1])
        return (p * w[..., None, :]) @ np.linalg.inv(p)

    return Arg(draw=draw)


def _complex_arg(*shape):
    return Arg(draw=lambda rng: rng.uniform(-1, 1, shape) + 1j * rng.uniform(-1, 1, shape))


def _rotation_pairs(n):
    """A real matrix with the complex eigenvalue pairs a ± ib (distinct)."""

    def draw(rng):
        blocks = np.zeros((n, n))
        for k in range(0, n, 2):
            a, b = 1.0 + k, 0.5 + 0.3 * k
            blocks[k : k + 2, k : k + 2] = [[a, -b], [b, a]]
        p = np.eye(n) + 0.2 * rng.standard_normal((n, n))
        return p @ blocks @ np.linalg.inv(p)

    return Arg(draw=draw)


# -- Hermitian eigen-decomposition ------------------------------------------------------------
def _eigh_phase_free(a, la=LA):
    w, v = la.eigh(a)
    return w[..., None, :] * abs(v)


_add("eigh", _eigh_phase_free, [_spread_hermitian(4, 4)], lambda a: _eigh_phase_free(a, np.linalg),
     ("eigh",))  # fmt: skip
_add(
    "eigh-batch",
    _eigh_phase_free,
    [_spread_hermitian(2, 3, 3)],
    lambda a: _eigh_phase_free(a, np.linalg),
    ("eigh",),
)
_add("eigvalsh", LA.eigvalsh, [_spread_hermitian(4, 4)], np.linalg.eigvalsh, ("eigvalsh",))


# -- singular value decomposition -------------------------------------------------------------
def _svd_phase_free(a, la=LA):
    u, s, vh = la.svd(a, full_matrices=False)
    return abs(u).sum(axis=-2) + s + abs(vh).sum(axis=-1)  # each (..., k)


for _shape in [(3, 3), (4, 2), (2, 4), (2, 3, 2)]:
    _add(
        f"svd-{_shape}",
        _svd_phase_free,
        [_spread_complex_rect(*_shape)],
        lambda a: _svd_phase_free(a, np.linalg),
        ("svd",),
    )
_add(
    "svd-product",  # U diag(s) Vh rebuilds A: a phase-free product of all three
    lambda a: abs((lambda r: (r.U * r.S[..., None, :]) @ r.Vh)(LA.svd(a, full_matrices=False))),
    [_spread_complex_rect(3, 2)],
    abs,
    ("svd",),
)
_add(
    "svdvals",
    lambda a: LA.svd(a, compute_uv=False),
    [_spread_complex_rect(2, 4, 3)],
    lambda a: np.linalg.svd(a, compute_uv=False),
    ("svdvals",),
)

# -- norms of complex arrays ------------------------------------------------------------------
for _ord in (None, 1, 3, np.inf):
    _add(
        f"norm-vector-ord{_ord}",
        lambda z, o=_ord: LA.norm(z, ord=o),
        [_complex_arg(5)],
        lambda z, o=_ord: np.linalg.norm(z, ord=o),
        ("absolute", "vector_norm"),
    )
_add(
    "norm-fro-axis",
    lambda z: LA.norm(z, axis=(0, 2)),
    [_complex_arg(3, 2, 4)],
    lambda z: np.linalg.norm(z, axis=(0, 2)),
    ("absolute", "vector_norm"),
)
_add(
    "norm-nuclear",
    lambda z: LA.norm(z, ord="nuc"),
    [_spread_complex_rect(4, 3)],
    lambda z: np.linalg.norm(z, ord="nuc"),
    ("svdvals",),
)


# -- general eigen-decomposition ------------------------------------------------------------
def _eig_phase_free(a, la=LA):
    w, v = la.eig(a)  # the same LAPACK call as the reference: the same order
    return w * abs(v).sum(axis=-2)


_add(
    "eig-real",
    lambda a: abs(_eig_phase_free(a)),
    [_spread_general(4, 4)],
    lambda a: abs(_eig_phase_free(a, np.linalg)),
    ("eig",),
)
_add(
    "eig-complex-pairs",
    lambda a: abs(_eig_phase_free(a)),
    [_rotation_pairs(4)],
    lambda a: abs(_eig_phase_free(a, np.linalg)),
    ("eig",),
)
_add(
    "eig-complex-batch",
    lambda a: abs(_eig_phase_free(a)),
    [_spread_general(2, 3, 3, complex_=True)],
    lambda a: abs(_eig_phase_free(a, np.linalg)),
    ("eig",),
)
_add(
    "eigvals",
    lambda a: cnp.real(LA.eigvals(a)) + cnp.imag(LA.eigvals(a)),
    [_spread_general(3, 3, complex_=True)],
    lambda a: np.real(np.linalg.eigvals(a)) + np.imag(np.linalg.eigvals(a)),
    ("eig",),
)
