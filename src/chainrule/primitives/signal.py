"""Convolution (``scipy.signal.convolve``): one record, the full N-dimensional
convolution of two arrays of the same number of dimensions; ``mode="valid"`` and
``"same"`` are slices of it.

The full convolution is bilinear, so every rule is a convolution again (and
derivatives of any order follow): with ``y = a ∗ b``,

* ``∂y`` = ``ȧ ∗ b + a ∗ ḃ`` (JVP);
* the cotangent of ``a`` is the correlation of ``g`` with ``b``: the ``valid`` part of
  ``g ∗ flip(b)``, which has ``a``'s shape; likewise for ``b`` (no conjugate, as in the
  other complex rules).

The public ``convolve`` also takes autograd's ``axes=``/``dot_axes=`` (a convolutional
layer: a batch of images, channels summed). That case is no full N-dimensional
convolution: each input's sliding windows (``windows.sliding_windows``, im2col) meet the
flipped kernel in one ``tensordot`` over the window and summed axes, so no work is spent
on output positions along the summed axes that would be thrown away.

The forward is SciPy's (imported when first called; ``pip install scipy``).
"""

from __future__ import annotations

from chainrule.core.primitive import defprimitive
from chainrule.core.trace import visible_shape
from chainrule.primitives import shape as S
from chainrule.primitives._scipy import scipy_module
from chainrule.primitives.ordering import flip
from chainrule.primitives.products import tensordot
from chainrule.primitives.windows import sliding_windows

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


def _convolve_windows(a, b, n_keep: tuple, n_dot: int, na: tuple, nb: tuple, mode: str):
    """``a`` (kept, summed, convolved axes) convolved with ``b`` (the same order): the
    windows of ``a`` against ``b`` flipped, summed over the window and summed axes; the
    result's axes are a's kept, b's kept, then the convolved ones."""
    (ka, kb), nc = n_keep, len(na)
    if mode == "valid" and not all(n >= m for n, m in zip(na, nb)):
        if not all(m >= n for n, m in zip(na, nb)):
            _mode_slice(a, 0, na, nb, mode)  # raises the error that names the problem
        # convolution commutes: the larger input slides under the smaller one
        out = _convolve_windows(b, a, (kb, ka), n_dot, nb, na, mode)
        return S.transpose(out, [*range(kb, kb + ka), *range(kb), *range(ka + kb, ka + kb + nc)])
    pad = 0 if mode == "valid" else tuple((m - 1, m - 1) for m in nb)
    windows = sliding_windows(a, nb, padding=pad)  # (kept, summed, out..., window...)
    kernel = flip(b, tuple(range(kb + n_dot, kb + n_dot + nc)))
    win_axes = [*range(ka, ka + n_dot), *range(ka + n_dot + nc, ka + n_dot + 2 * nc)]
    out = tensordot(windows, kernel, axes=(win_axes, list(range(kb, kb + n_dot + nc))))
    # tensordot leaves (a's kept, out..., b's kept)
    out = S.transpose(out, [*range(ka), *range(ka + nc, ka + nc + kb), *range(ka, ka + nc)])
    return out if mode == "valid" else _mode_slice(out, ka + kb, na, nb, mode)


def convolve(in1, in2, mode="full", method="auto", axes=None, dot_axes=((), ())):
    """N-dimensional convolution with SciPy's ``mode`` (``full``, ``valid``, ``same``).

    autograd's generalisation: ``axes=(axes1, axes2)`` pairs the axes to convolve,
    ``dot_axes`` pairs axes to sum over (as ``tensordot``); the other axes of each array
    are kept, as an outer product. The result's axes are in1's kept axes, in2's kept
    axes, then the convolved axes.
    """
    if mode not in _MODES:
        raise ValueError(f"convolve: mode must be one of {_MODES}, got {mode!r}")
    sa, sb = visible_shape(in1), visible_shape(in2)
    ca, cb, da, db = _check_axes(sa, sb, axes, dot_axes)
    ka = [k for k in range(len(sa)) if k not in ca + da]
    kb = [k for k in range(len(sb)) if k not in cb + db]
    na, nb = tuple(sa[k] for k in ca), tuple(sb[k] for k in cb)
    a = S.transpose(in1, ka + da + ca)
    b = S.transpose(in2, kb + db + cb)
    if ka or kb or da:
        return _convolve_windows(a, b, (len(ka), len(kb)), len(da), na, nb, mode)
    return _mode_slice(convolve_full_p(a, b), 0, na, nb, mode)
