"""Discrete Fourier transforms (``numpy.fft``): four records, ``fftn``, ``ifftn``,
``rfftn`` and ``irfftn`` (each over ``axes`` with output lengths ``s`` and NumPy's
``norm``), and the 1-D/2-D functions as their special cases.

Every transform is linear, so each JVP is the transform of the tangent. The VJPs use
the complex convention of the other rules (no conjugate for a complex-linear map: the
cotangent is ``Aᵀ g``):

* ``fftn``/``ifftn``: the DFT matrix is symmetric, so ``Aᵀ g`` is the same transform of
  ``g``, cut or zero-padded back to the input's lengths (``s`` pads or cuts the input);
* ``rfftn`` (real input): the half spectrum is the full one cut short, so ``g`` is
  zero-padded to the full length, transformed, and its real part taken;
* ``irfftn`` (real output, linear over the reals in the half spectrum ``X``):
  ``y = c Σ_k w_k Re(X_k e^{iθ})`` with weight ``w_k = 2`` for the bins that stand for a
  conjugate pair and 1 for the zero (and, for even lengths, the last) bin, and ``c`` the
  ``norm`` factor; hence the cotangent ``c w_k conj(rfftn(g))_k``.

``fftshift``/``ifftshift`` are ``roll``; ``hfft``/``ihfft`` are ``irfft``/``rfft`` of
the conjugate; ``fftfreq``/``rfftfreq`` return constants.
"""

from __future__ import annotations

import numpy as np
from numpy.fft import fftfreq, rfftfreq  # noqa: F401  (constants of the lengths only)

from chainrule.core.trace import visible_shape
from chainrule.primitives import elementwise as E
from chainrule.primitives._helpers import deflinear, dtype_of, namespace_of, unbroadcast
from chainrule.primitives.ordering import roll
from chainrule.primitives.padding import pad

__all__ = [
    "fft", "ifft", "fft2", "ifft2", "fftn", "ifftn", "rfft", "irfft", "rfft2", "irfft2",
    "rfftn", "irfftn", "hfft", "ihfft", "fftshift", "ifftshift", "fftfreq", "rfftfreq",
]  # fmt: skip

_NORMS = (None, "backward", "ortho", "forward")


def _fit(x, shape: tuple, axes: tuple):
    """``x`` cut or zero-padded at the end of each of ``axes`` to ``shape``'s lengths."""
    have = visible_shape(x)
    index = [slice(None)] * len(have)
    widths = [(0, 0)] * len(have)
    for ax in axes:
        if have[ax] > shape[ax]:
            index[ax] = slice(0, shape[ax])
        elif have[ax] < shape[ax]:
            widths[ax] = (0, shape[ax] - have[ax])
    if any(s != slice(None) for s in index):
        x = x[tuple(index)]
    if any(w != (0, 0) for w in widths):
        x = pad(x, widths)
    return x


def _back(ct, x, axes):
    """A cotangent cut or padded to the input's lengths, in the input's dtype."""
    return unbroadcast(_fit(ct, visible_shape(x), axes), x)


def _fftn_transpose(g, ans, x, s, axes, norm):
    return _back(fftn_p(g, s, axes, norm), x, axes)


def _ifftn_transpose(g, ans, x, s, axes, norm):
    return _back(ifftn_p(g, s, axes, norm), x, axes)


fftn_p = deflinear(
    "fftn", lambda xp, x, s, axes, norm: xp.fft.fftn(x, s=s, axes=axes, norm=norm),
    _fftn_transpose,
)  # fmt: skip
ifftn_p = deflinear(
    "ifftn", lambda xp, x, s, axes, norm: xp.fft.ifftn(x, s=s, axes=axes, norm=norm),
    _ifftn_transpose,
)  # fmt: skip


def _rfftn_transpose(g, ans, x, s, axes, norm):
    # the half spectrum is the full one cut short: pad back with zeros, then transpose
    full_shape = list(visible_shape(g))
    full_shape[axes[-1]] = s[-1]
    full = _fit(g, tuple(full_shape), axes[-1:])
    return _back(fftn_p(full, s, axes, norm), x, axes)


rfftn_p = deflinear(
    "rfftn", lambda xp, x, s, axes, norm: xp.fft.rfftn(x, s=s, axes=axes, norm=norm),
    _rfftn_transpose,
)  # fmt: skip


def _norm_factor(norm, n: int) -> float:
    """The scale an inverse transform of ``n`` points applies."""
    return {None: 1.0 / n, "backward": 1.0 / n, "ortho": n**-0.5, "forward": 1.0}[norm]


def _irfftn_transpose(g, ans, x, s, axes, norm):
    # d y / d X_k = c w_k e^{iθ} over the reals: the cotangent is c w_k conj(rfftn(g))_k
    last = s[-1]
    m = last // 2 + 1
    # the first bin and (for an even length) the last appear once in the full spectrum
    weights = [1.0] + [2.0] * (m - 1)
    if last % 2 == 0:
        weights[-1] = 1.0
    ndim = len(visible_shape(g))
    xp = namespace_of(g)  # made in g's library, so that it meets g on its device
    weights = xp.reshape(xp.asarray(weights), (m,) + (1,) * (ndim - 1 - axes[-1] % ndim))
    scale = weights * _norm_factor(norm, int(np.prod(s)))
    ct = E.conj(rfftn_p(g, s, axes, "backward")) * scale
    return _back(ct, x, axes)


irfftn_p = deflinear(
    "irfftn", lambda xp, x, s, axes, norm: xp.fft.irfftn(x, s=s, axes=axes, norm=norm),
    _irfftn_transpose,
)  # fmt: skip


def _axes_and_lengths(x, s, axes, real_inverse: bool = False) -> tuple:
    """NumPy's defaults: the last ``len(s)`` axes (all without ``s``), and the input's
    lengths (for ``irfftn``'s last axis, ``2 (m - 1)``); axes as non-negative ints."""
    shape = visible_shape(x)
    if axes is None:
        axes = tuple(range(len(shape) - (len(s) if s is not None else len(shape)), len(shape)))
    axes = tuple(int(a) % len(shape) for a in axes)
    if len(set(axes)) != len(axes):
        raise ValueError(f"fft: repeated axes {axes} are not supported")
    if s is None:
        s = [shape[a] for a in axes]
        if real_inverse:
            s[-1] = 2 * (shape[axes[-1]] - 1)
    elif len(s) != len(axes):
        raise ValueError(f"fft: s {tuple(s)} and axes {axes} must have the same length")
    return tuple(int(n) for n in s), axes


def _check_norm(norm):
    if norm not in _NORMS:
        raise ValueError(f"fft: invalid norm {norm!r}; use 'backward', 'ortho' or 'forward'")
    return norm


def fftn(a, s=None, axes=None, norm=None, out=None):
    """N-dimensional DFT."""
    s, axes = _axes_and_lengths(a, s, axes)
    return fftn_p(a, s, axes, _check_norm(norm))


def ifftn(a, s=None, axes=None, norm=None, out=None):
    """N-dimensional inverse DFT."""
    s, axes = _axes_and_lengths(a, s, axes)
    return ifftn_p(a, s, axes, _check_norm(norm))


def rfftn(a, s=None, axes=None, norm=None, out=None):
    """N-dimensional DFT of real input (the last axis's half spectrum)."""
    if dtype_of(a).kind == "c":
        raise TypeError("rfftn: input must be real; use fftn for complex input")
    s, axes = _axes_and_lengths(a, s, axes)
    return rfftn_p(a, s, axes, _check_norm(norm))


def irfftn(a, s=None, axes=None, norm=None, out=None):
    """Inverse of ``rfftn``: a real array from a half spectrum."""
    s, axes = _axes_and_lengths(a, s, axes, real_inverse=True)
    return irfftn_p(a, s, axes, _check_norm(norm))


def _one_axis(n, axis):
    return (None if n is None else (n,)), (axis,)


def fft(a, n=None, axis=-1, norm=None, out=None):
    """1-D DFT along ``axis`` (``n`` pads or cuts the input)."""
    return fftn(a, *_one_axis(n, axis), norm)


def ifft(a, n=None, axis=-1, norm=None, out=None):
    """1-D inverse DFT."""
    return ifftn(a, *_one_axis(n, axis), norm)


def rfft(a, n=None, axis=-1, norm=None, out=None):
    """1-D DFT of real input."""
    return rfftn(a, *_one_axis(n, axis), norm)


def irfft(a, n=None, axis=-1, norm=None, out=None):
    """1-D inverse of ``rfft``."""
    return irfftn(a, *_one_axis(n, axis), norm)


def fft2(a, s=None, axes=(-2, -1), norm=None, out=None):
    """2-D DFT."""
    return fftn(a, s, axes, norm)


def ifft2(a, s=None, axes=(-2, -1), norm=None, out=None):
    """2-D inverse DFT."""
    return ifftn(a, s, axes, norm)


def rfft2(a, s=None, axes=(-2, -1), norm=None, out=None):
    """2-D DFT of real input."""
    return rfftn(a, s, axes, norm)


def irfft2(a, s=None, axes=(-2, -1), norm=None, out=None):
    """2-D inverse of ``rfft2``."""
    return irfftn(a, s, axes, norm)


_SWAP_NORM = {None: "forward", "backward": "forward", "ortho": "ortho", "forward": "backward"}


def hfft(a, n=None, axis=-1, norm=None, out=None):
    """DFT of a Hermitian-symmetric signal given by its first half: a real spectrum."""
    return irfft(E.conj(a), n, axis, _SWAP_NORM[_check_norm(norm)])


def ihfft(a, n=None, axis=-1, norm=None, out=None):
    """Inverse of ``hfft``."""
    return E.conj(rfft(a, n, axis, _SWAP_NORM[_check_norm(norm)]))


def _shifts(x, axes, sign):
    shape = visible_shape(x)
    axes = tuple(range(len(shape))) if axes is None else tuple(np.atleast_1d(axes).tolist())
    return roll(x, tuple(sign * (shape[a] // 2) for a in axes), axes)


def fftshift(x, axes=None):
    """Move the zero frequency to the centre (a ``roll`` by half of each length)."""
    return _shifts(x, axes, 1)


def ifftshift(x, axes=None):
    """Undo ``fftshift`` (for odd lengths the roll differs by one)."""
    return _shifts(x, axes, -1)
