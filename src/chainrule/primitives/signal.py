"""Convolution (``scipy.signal.convolve``): one record, the full N-dimensional
convolution of two arrays of the same number of dimensions; ``mode="valid"`` and
``"same"`` are slices of it.

The full convolution is bilinear, so every rule is a convolution again (and
derivatives of any order follow): with ``y = a ∗ b``,

* ``∂y`` = ``ȧ ∗ b + a ∗ ḃ`` (JVP);
* the cotangent of ``a`` is the correlation of ``g`` with ``b``: the ``valid`` part of
  ``g ∗ flip(b)``, which has ``a``'s shape; likewise for ``b`` (no conjugate, as in the
  other complex rules).

The public ``convolve`` also takes autograd's ``axes=``/``dot_axes=``, built on the
same record (see its docstring).

The forward is SciPy's (imported when first called; ``pip install scipy``).
"""

from __future__ import annotations

from chainrule.core.primitive import defprimitive
from chainrule.core.trace import visible_shape
from chainrule.primitives import shape as S
from chainrule.primitives._scipy import scipy_module
from chainrule.primitives.ordering import flip

__all__ = ["convolve"]

_MODES = ("full", "valid", "same")


def _scipy_convolve(xp, a, b):
    signal = scipy_module("signal", "chainrule.scipy.signal.convolve")
    return signal.convolve(a, b, mode="full", method="direct")


def _valid(full, shape: tuple, other: tuple):
    """The part of a full convolution with ``other``'s kernel that has ``shape``."""
    index = tuple(slice(m - 1, m - 1 + n) for n, m in zip(shape, other))
    return full[index]


def _vjp_a(ans, a, b):
    sa, sb = visible_shape(a), visible_shape(b)
    return lambda g: _valid(convolve_full_p(g, flip(b)), sa, sb)


def _vjp_b(ans, a, b):
    sa, sb = visible_shape(a), visible_shape(b)
    return lambda g: _valid(convolve_full_p(g, flip(a)), sb, sa)


convolve_full_p = defprimitive(
    "convolve_full",
    _scipy_convolve,
    vjp={0: _vjp_a, 1: _vjp_b},
    jvp={
        0: lambda g, ans, a, b: convolve_full_p(g, b),
        1: lambda g, ans, a, b: convolve_full_p(a, g),
    },
)


def _check_axes(sa: tuple, sb: tuple, axes, dot_axes):
    """The convolved and summed axes as two lists each, checked; with ``axes=None``
    every axis is convolved (the arrays must then have the same ndim)."""
    if axes is None:
        if len(sa) != len(sb):
            raise ValueError(f"convolve: in1 and in2 must have the same ndim, got {sa} and {sb}")
        axes = (range(len(sa)), range(len(sb)))
    (ca, cb), (da, db) = ([list(x) for x in pair] for pair in (axes, dot_axes))
    for name, xa, xb in (("axes", ca, cb), ("dot_axes", da, db)):
        if len(xa) != len(xb):
            raise ValueError(f"convolve: {name} must pair as many axes of in1 as of in2")
    used_a, used_b = ca + da, cb + db
    for name, used, shape in (("in1", used_a, sa), ("in2", used_b, sb)):
        if len(set(used)) != len(used) or any(not 0 <= k < len(shape) for k in used):
            raise ValueError(f"convolve: axes of {name} must be distinct and within its ndim")
    for i, j in zip(da, db):
        if sa[i] != sb[j]:
            raise ValueError(f"convolve: dot_axes pair sizes {sa[i]} and {sb[j]} differ")
    return ca, cb, da, db


def _mode_slice(full, lead: int, na: tuple, nb: tuple, mode: str):
    """The ``mode`` part of a full convolution whose convolved axes follow ``lead``
    others; ``na``/``nb`` are the convolved lengths of in1 and in2."""
    if mode == "full":
        return full
    if mode == "valid":
        if not (all(n >= m for n, m in zip(na, nb)) or all(m >= n for n, m in zip(na, nb))):
            raise ValueError("convolve: for 'valid' mode one input must be at least as large "
                             "as the other in every convolved dimension")  # fmt: skip
        big, small = (na, nb) if all(n >= m for n, m in zip(na, nb)) else (nb, na)
        index = [slice(m - 1, n) for n, m in zip(big, small)]
    else:  # "same": centred, in1's shape
        index = [slice((m - 1) // 2, (m - 1) // 2 + n) for n, m in zip(na, nb)]
    return full[(slice(None),) * lead + tuple(index)]


def convolve(in1, in2, mode="full", method="auto", axes=None, dot_axes=((), ())):
    """N-dimensional convolution with SciPy's ``mode`` (``full``, ``valid``, ``same``).

    autograd's generalisation: ``axes=(axes1, axes2)`` pairs the axes to convolve,
    ``dot_axes`` pairs axes to sum over (as ``tensordot``); the other axes of each array
    are kept, as an outer product. The result's axes are in1's kept axes, in2's kept
    axes, then the convolved axes. (A summed pair is convolved in full with in2 flipped
    and read at its centre, which keeps one record for every case.)
    """
    if mode not in _MODES:
        raise ValueError(f"convolve: mode must be one of {_MODES}, got {mode!r}")
    sa, sb = visible_shape(in1), visible_shape(in2)
    ca, cb, da, db = _check_axes(sa, sb, axes, dot_axes)
    ka = [k for k in range(len(sa)) if k not in ca + da]
    kb = [k for k in range(len(sb)) if k not in cb + db]
    a = S.transpose(in1, ka + da + ca)
    b = flip(S.transpose(in2, kb + db + cb), tuple(range(len(kb), len(kb) + len(db))))
    # in1's kept axes meet singletons of in2's and the other way round: an outer product
    a = S.reshape(a, tuple(sa[k] for k in ka) + (1,) * len(kb) + S.shape(a)[len(ka) :])
    b = S.reshape(b, (1,) * len(ka) + S.shape(b))
    full = convolve_full_p(a, b)
    lead = len(ka) + len(kb)
    full = full[(slice(None),) * lead + tuple(sa[k] - 1 for k in da)]
    na, nb = tuple(sa[k] for k in ca), tuple(sb[k] for k in cb)
    return _mode_slice(full, lead, na, nb, mode)
