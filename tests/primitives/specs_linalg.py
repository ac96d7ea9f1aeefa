"""Sweep entries for ``chainrule.numpy.linalg`` (see ``_spec.py``).

Inputs are drawn well-conditioned: symmetric positive definite matrices for
``cholesky``, spread-out eigenvalues for ``eigh`` and singular values for ``svd``.
Eigen- and singular vectors are fixed only up to sign, so the entries that use them
test functions that do not depend on the sign (``V * V``, ``U @ Vh``, ``V diag(f(w)) Vᵀ``).
"""

import numpy as np

import chainrule.numpy as cnp
from tests.primitives._spec import Arg, OpSpec

LA = cnp.linalg
SPECS = []


# -- drawing well-conditioned inputs ----------------------------------------------------------
def _general(*shape):
    """Nonsymmetric, comfortably invertible: random + n I."""
    n = shape[-1]
    return Arg(draw=lambda rng: rng.uniform(-1, 1, shape) + n * np.eye(n))


def _negdet(n):
    """Like ``_general`` but with the first row negated (negative determinant)."""

    def draw(rng):
        a = rng.uniform(-1, 1, (n, n)) + n * np.eye(n)
        a[0] *= -1
        return a

    return Arg(draw=draw)


def _spd(*shape):
    n = shape[-1]

    def draw(rng):
        m = rng.uniform(-1, 1, shape)
        return m @ np.swapaxes(m, -1, -2) + n * np.eye(n)

    return Arg(draw=draw)


def _orthogonal(rng, shape, complex_=False):
    """Orthonormal columns (unitary ones with ``complex_``)."""
    z = rng.standard_normal(shape)
    if complex_:
        z = z + 1j * rng.standard_normal(shape)
    return np.linalg.qr(z)[0]


def _adjoint(q):
    return np.conj(np.swapaxes(q, -1, -2))


def _spread_sym(*shape, complex_=False):
    """Symmetric (Hermitian with ``complex_``) with eigenvalues 1, 2, ..., n (times a
    jitter) in a random basis."""
    n = shape[-1]

    def draw(rng):
        q = _orthogonal(rng, shape, complex_)
        w = np.arange(1.0, n + 1) * rng.uniform(0.95, 1.05, shape[:-1])
        return (q * w[..., None, :]) @ _adjoint(q)

    return Arg(draw=draw)


def _spread_rect(*shape, complex_=False):
    """(..., m, n) with singular values 1, 2, ..., min(m, n) (times a jitter)."""
    m, n = shape[-2:]
    k = min(m, n)

    def draw(rng):
        u = _orthogonal(rng, shape[:-2] + (m, k), complex_)
        v = _orthogonal(rng, shape[:-2] + (n, k), complex_)
        s = np.arange(1.0, k + 1) * rng.uniform(0.95, 1.05, shape[:-2] + (k,))
        return (u * s[..., None, :]) @ _adjoint(v)

    return Arg(draw=draw)


def _weights(*shape):
    return Arg(shape, -1.0, 1.0)


def _add(name, fun, args, ref, covers, **kw):
    SPECS.append(OpSpec(f"linalg-{name}", fun, args, ref=ref, covers=covers, **kw))


# -- inv, solve, det, slogdet ---------------------------------------------------------------
_add("inv-3x3", LA.inv, [_general(3, 3)], np.linalg.inv, ("inv",))
_add("inv-batch", LA.inv, [_general(3, 4, 4)], np.linalg.inv, ("inv",))
_add("inv-1x1", LA.inv, [_general(1, 1)], np.linalg.inv, ("inv",))

for _sa, _sb in [
    ((3, 3), (3,)),
    ((3, 3), (3, 2)),
    ((2, 4, 4), (4,)),
    ((2, 3, 3), (2, 3, 2)),
    ((3, 3), (2, 3, 1)),
    ((2, 1, 3, 3), (4, 3, 2)),
]:
    _add(
        f"solve-{_sa}-{_sb}",
        LA.solve,
        [_general(*_sa), _weights(*_sb)],
        np.linalg.solve,
        ("solve",),
    )

_add("det-3x3", LA.det, [_general(3, 3)], np.linalg.det, ("det",))
_add("det-negative", LA.det, [_negdet(3)], np.linalg.det, ("det",))
_add("det-batch", LA.det, [_general(3, 3, 3)], np.linalg.det, ("det",))
_add("det-1x1", LA.det, [_general(1, 1)], np.linalg.det, ("det",))
_add(
    "slogdet-logabs",
    lambda a: LA.slogdet(a)[1],
    [_negdet(4)],
    lambda a: np.linalg.slogdet(a)[1],
    ("slogdet",),
)
_add(
    "slogdet-batch-both",
    lambda a: LA.slogdet(a).sign * LA.slogdet(a).logabsdet,
    [_general(3, 3, 3)],
    lambda a: np.prod(np.linalg.slogdet(a), axis=0),
    ("slogdet",),
)
_add(
    "slogdet-sign-only",
    lambda a: LA.slogdet(a)[0],
    [_negdet(3)],
    lambda a: np.linalg.slogdet(a)[0],
    ("slogdet",),
    zero_derivative=True,
)

# -- cholesky, eigh, eigvalsh -----------------------------------------------------------------
_add("cholesky-3x3", LA.cholesky, [_spd(3, 3)], np.linalg.cholesky, ("cholesky",))
_add("cholesky-batch", LA.cholesky, [_spd(3, 4, 4)], np.linalg.cholesky, ("cholesky",))
_add(
    "cholesky-upper",
    lambda a: LA.cholesky(a, upper=True),
    [_spd(3, 3)],
    lambda a: np.linalg.cholesky(a).T,
    ("cholesky",),
)


def _eigh_gauge_free(a, c, la=LA):
    w, v = la.eigh(a)
    return w * c[..., 0, :] + (v * v * c).sum(axis=-1)


def _eigh_gauge_free_ref(a, c):
    w, v = np.linalg.eigh(a)
    return w * c[..., 0, :] + (v * v * c).sum(axis=-1)


_add(
    "eigh-values",
    lambda a: LA.eigh(a)[0],
    [_spread_sym(4, 4)],
    lambda a: np.linalg.eigh(a)[0],
    ("eigh",),
)
_add(
    "eigh-vectors-squared",
    _eigh_gauge_free,
    [_spread_sym(4, 4), _weights(4, 4)],
    _eigh_gauge_free_ref,
    ("eigh",),
)
_add(
    "eigh-batch-vectors-squared",
    _eigh_gauge_free,
    [_spread_sym(3, 3, 3), _weights(3, 3, 3)],
    _eigh_gauge_free_ref,
    ("eigh",),
)


def _eigh_matrix_fn(a):  # V exp(w) Vᵀ: a matrix function, independent of the signs
    w, v = LA.eigh(a)
    return (v * cnp.exp(w)[..., None, :]) @ cnp.swapaxes(v, -1, -2)


def _eigh_matrix_fn_ref(a):
    w, v = np.linalg.eigh(a)
    return (v * np.exp(w)[..., None, :]) @ np.swapaxes(v, -1, -2)


_add("eigh-matrix-exp", _eigh_matrix_fn, [_spread_sym(3, 3)], _eigh_matrix_fn_ref, ("eigh",))
_add(
    "eigh-batch-matrix-exp", _eigh_matrix_fn, [_spread_sym(2, 4, 4)], _eigh_matrix_fn_ref, ("eigh",)
)
_add("eigvalsh-4x4", LA.eigvalsh, [_spread_sym(4, 4)], np.linalg.eigvalsh, ("eigvalsh",))
_add("eigvalsh-batch", LA.eigvalsh, [_spread_sym(3, 3, 3)], np.linalg.eigvalsh, ("eigvalsh",))

# -- qr -----------------------------------------------------------------------------------------
# LAPACK's Householder QR is smooth near a generic input, so Q and R are tested directly,
# and also through sign-free combinations.
for _shape in [(3, 3), (5, 3), (2, 4, 3)]:
    _add(
        f"qr-Q-{_shape}",
        lambda a: LA.qr(a)[0],
        [_spread_rect(*_shape)],
        lambda a: np.linalg.qr(a)[0],
        ("qr",),
    )
    _add(
        f"qr-R-{_shape}",
        lambda a: LA.qr(a)[1],
        [_spread_rect(*_shape)],
        lambda a: np.linalg.qr(a)[1],
        ("qr",),
    )
_add(
    "qr-sign-free",
    lambda a, c: (LA.qr(a).Q ** 2 * c).sum() + (LA.qr(a).R ** 2).sum(),
    [_spread_rect(5, 3), _weights(5, 3)],
    lambda a, c: (np.linalg.qr(a)[0] ** 2 * c).sum() + (np.linalg.qr(a)[1] ** 2).sum(),
    ("qr",),
)
_add(
    "qr-mode-r",
    lambda a: LA.qr(a, mode="r"),
    [_spread_rect(4, 3)],
    lambda a: np.linalg.qr(a, mode="r"),
    ("qr",),
)
_add(
    "qr-wide-Q", lambda a: LA.qr(a)[0], [_spread_rect(3, 5)], lambda a: np.linalg.qr(a)[0], ("qr",)
)
_add(
    "qr-wide-R", lambda a: LA.qr(a)[1], [_spread_rect(3, 5)], lambda a: np.linalg.qr(a)[1], ("qr",)
)


# -- svd and svdvals ----------------------------------------------------------------------------
def _svd_gauge_free(a, cu, cv):
    u, s, vh = LA.svd(a, full_matrices=False)
    return (u * u * cu).sum(axis=-2) + (vh * vh * cv).sum(axis=-1) + s


def _svd_gauge_free_ref(a, cu, cv):
    u, s, vh = np.linalg.svd(a, full_matrices=False)
    return (u * u * cu).sum(axis=-2) + (vh * vh * cv).sum(axis=-1) + s


for _m, _n in [(4, 4), (5, 3), (3, 5)]:
    _k = min(_m, _n)
    _add(
        f"svd-gauge-free-{_m}x{_n}",
        _svd_gauge_free,
        [_spread_rect(_m, _n), _weights(_m, _k), _weights(_k, _n)],
        _svd_gauge_free_ref,
        ("svd",),
    )
_add(
    "svd-batch-gauge-free",
    _svd_gauge_free,
    [_spread_rect(2, 4, 3), _weights(2, 4, 3), _weights(2, 3, 3)],
    _svd_gauge_free_ref,
    ("svd",),
)


def _polar(a):  # U Vh: the orthogonal polar factor, independent of the signs
    u, _, vh = LA.svd(a, full_matrices=False)
    return u @ vh


def _polar_ref(a):
    u, _, vh = np.linalg.svd(a, full_matrices=False)
    return u @ vh


_add("svd-polar-4x4", _polar, [_spread_rect(4, 4)], _polar_ref, ("svd",))
_add("svd-polar-tall", _polar, [_spread_rect(5, 3)], _polar_ref, ("svd",))
_add(
    "svd-s-square-default",
    lambda a: LA.svd(a)[1],
    [_spread_rect(3, 3)],
    lambda a: np.linalg.svd(a)[1],
    ("svd",),
)
_add(
    "svd-compute-uv-false",
    lambda a: LA.svd(a, compute_uv=False),
    [_spread_rect(4, 3)],
    lambda a: np.linalg.svd(a, compute_uv=False),
    ("svdvals",),
)
_add(
    "svdvals-wide",
    LA.svdvals,
    [_spread_rect(3, 5)],
    lambda a: np.linalg.svd(a, compute_uv=False),
    ("svdvals",),
)
_add(
    "svdvals-batch",
    LA.svdvals,
    [_spread_rect(3, 3, 3)],
    lambda a: np.linalg.svd(a, compute_uv=False),
    ("svdvals",),
)

# -- pinv, matrix_rank --------------------------------------------------------------------------
for _shape in [(3, 3), (5, 3), (3, 5), (2, 4, 3)]:
    _add(f"pinv-{_shape}", LA.pinv, [_spread_rect(*_shape)], np.linalg.pinv, ("pinv",))
_add(
    "pinv-rcond",
    lambda a: LA.pinv(a, rcond=1e-10),
    [_spread_rect(4, 2)],
    lambda a: np.linalg.pinv(a, rcond=1e-10),
    ("pinv",),
)
_add(
    "matrix-rank",
    LA.matrix_rank,
    [_spread_rect(4, 3)],
    np.linalg.matrix_rank,
    ("matrix_rank",),
    zero_derivative=True,
)
_add(
    "matrix-rank-batch",
    LA.matrix_rank,
    [_spread_rect(2, 3, 3)],
    np.linalg.matrix_rank,
    ("matrix_rank",),
    zero_derivative=True,
)

# -- norms ------------------------------------------------------------------------------------
_NORMS = [  # (id, shape, kwargs, covers)
    ("vector-default", (5,), {}, ("vector_norm",)),
    ("vector-ord2", (5,), {"ord": 2}, ("vector_norm",)),
    ("vector-ord3", (5,), {"ord": 3}, ("vector_norm",)),
    ("vector-ord1", (5,), {"ord": 1}, ()),
    ("vector-inf", (5,), {"ord": np.inf}, ()),
    ("vector-neginf", (5,), {"ord": -np.inf}, ()),
    ("matrix-default", (3, 4), {}, ("vector_norm",)),
    ("3d-default", (2, 3, 4), {}, ("vector_norm",)),
    ("3d-default-keepdims", (2, 3, 4), {"keepdims": True}, ("vector_norm",)),
    ("axis1", (3, 4), {"axis": 1}, ("vector_norm",)),
    ("axis-neg1-keepdims", (3, 4), {"axis": -1, "keepdims": True}, ("vector_norm",)),
    ("axis0-ord3", (3, 4), {"axis": 0, "ord": 3}, ("vector_norm",)),
    ("fro", (3, 4), {"ord": "fro"}, ("vector_norm",)),
    ("fro-axes-keepdims", (2, 3, 4), {"axis": (2, 0), "keepdims": True}, ("vector_norm",)),
    ("nuc", (4, 3), {"ord": "nuc"}, ("svdvals",)),
    ("ord2-matrix", (4, 3), {"ord": 2}, ("svdvals",)),
    ("ordneg2-matrix", (3, 4), {"ord": -2}, ("svdvals",)),
    ("nuc-axes-keepdims", (3, 2, 4), {"ord": "nuc", "axis": (2, 0), "keepdims": True},
     ("svdvals",)),
    ("ord1-matrix", (3, 4), {"ord": 1}, ()),
    ("ordinf-matrix", (3, 4), {"ord": np.inf}, ()),
    ("ordneg1-axes", (2, 3, 4), {"ord": -1, "axis": (2, 1)}, ()),
]  # fmt: skip
for _id, _shape, _kw, _covers in _NORMS:
    _arg = (
        _spread_rect(*_shape)
        if isinstance(_kw.get("ord"), str) or _kw.get("ord") in (2, -2) and len(_shape) > 1
        else Arg(_shape)
    )
    if _covers:
        _add(
            f"norm-{_id}",
            lambda x, kw=_kw: LA.norm(x, **kw),
            [_arg],
            lambda x, kw=_kw: np.linalg.norm(x, **kw),
            _covers,
        )
_add(
    "norm-pos-ord-half",
    lambda x: LA.norm(x, 0.5),
    [Arg((4,), 0.5, 2.0)],
    lambda x: np.linalg.norm(x, 0.5),
    ("vector_norm",),
)
_add(
    "vector-norm-axes",
    lambda x: LA.vector_norm(x, axis=(0, 2), ord=4),
    [Arg((2, 3, 2))],
    lambda x: np.linalg.vector_norm(x, axis=(0, 2), ord=4),
    ("vector_norm",),
)
_add(
    "matrix-norm-batch-fro",
    LA.matrix_norm,
    [Arg((2, 3, 3))],
    np.linalg.matrix_norm,
    ("vector_norm",),
)
# The compositions without a linalg primitive of their own ride along with ``vector_norm``.
for _id, _shape, _kw, _covers in _NORMS:
    if not _covers:
        _add(
            f"norm-{_id}",
            lambda x, kw=_kw: LA.norm(x, **kw) + LA.norm(x),
            [Arg(_shape)],
            lambda x, kw=_kw: np.linalg.norm(x, **kw) + np.linalg.norm(x),
            ("vector_norm",),
        )

# -- compositions -------------------------------------------------------------------------------
_add("cond", LA.cond, [_spread_rect(4, 3)], np.linalg.cond, ("svdvals",))
_add(
    "cond-fro",
    lambda a: LA.cond(a, "fro"),
    [_general(3, 3)],
    lambda a: np.linalg.cond(a, "fro"),
    ("inv", "vector_norm"),
)
_add(
    "matrix-power-3",
    lambda a: LA.matrix_power(a, 3),
    [_general(3, 3)],
    lambda a: np.linalg.matrix_power(a, 3),
    ("matmul",),
)
_add(
    "matrix-power-neg2-batch",
    lambda a: LA.matrix_power(a, -2),
    [_general(2, 3, 3)],
    lambda a: np.linalg.matrix_power(a, -2),
    ("inv", "matmul"),
)
_add(
    "multi-dot",
    lambda a, b, c, d: LA.multi_dot([a, b, c, d]),
    [Arg((3,)), Arg((3, 5)), Arg((5, 2)), Arg((2, 4))],
    lambda a, b, c, d: np.linalg.multi_dot([a, b, c, d]),
    ("matmul",),
)
_add(
    "lstsq-x",
    lambda a, b: LA.lstsq(a, b)[0],
    [_spread_rect(5, 3), Arg((5, 2))],
    lambda a, b: np.linalg.lstsq(a, b)[0],
    ("pinv", "svdvals"),
)
_add(
    "lstsq-residuals",
    lambda a, b: LA.lstsq(a, b)[1],
    [_spread_rect(5, 3), Arg((5,))],
    lambda a, b: np.linalg.lstsq(a, b)[1],
    ("pinv",),
)
_add(
    "tensorinv",
    lambda a: LA.tensorinv(a, ind=1),
    [Arg(draw=lambda rng: (rng.uniform(-1, 1, (6, 6)) + 6 * np.eye(6)).reshape(6, 2, 3))],
    lambda a: np.linalg.tensorinv(a, ind=1),
    ("inv",),
)
_add(
    "tensorsolve",
    LA.tensorsolve,
    [
        Arg(draw=lambda rng: (rng.uniform(-1, 1, (6, 6)) + 6 * np.eye(6)).reshape(6, 2, 3)),
        Arg((6,)),
    ],
    np.linalg.tensorsolve,
    ("solve",),
)
