"""Convolution (``scipy.signal.convolve``): one record, the full N-dimensional
convolution of two arrays of the same number of dimensions; ``mode="valid"`` and
``"same"`` are slices of it.

The full convolution is bilinear, so every rule is a convolution again (and
derivatives of any order follow): with ``y = a ∗ b``,

* ``∂y`` = ``ȧ ∗ b + a ∗ ḃ`` (JVP);
* the cotangent of ``a`` is the correlation of ``g`` with ``b``: the ``valid`` part of
  ``g ∗ flip(b)``, which has ``a``'s shape; likewise for ``b`` (no conjugate, as in the
  other complex rules).

The forward is SciPy's (imported when first called; ``pip install scipy``).
"""

from __future__ import annotations

from chainrule.core.primitive import defprimitive
from chainrule.core.trace import visible_shape
from chainrule.primitives.ordering import flip

__all__ = ["convolve"]

_MODES = ("full", "valid", "same")


def _scipy_convolve(xp, a, b):
    try:
        from scipy import signal
    except ImportError:
        raise ImportError(
            "chainrule.scipy.signal.convolve needs SciPy: pip install scipy"
        ) from None
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


def convolve(in1, in2, mode="full", method="auto", axes=None, dot_axes=((), ())):
    """N-dimensional convolution (SciPy's ``mode``: ``full``, ``valid``, ``same``).
    autograd's ``axes``/``dot_axes`` generalisation is not supported."""
    if axes is not None or tuple(map(tuple, dot_axes)) != ((), ()):
        raise NotImplementedError(
            "chainrule.scipy.signal.convolve: autograd's axes=/dot_axes= are not supported; "
            "convolve the slices and combine them with chainrule.numpy (stack, sum)"
        )
    if mode not in _MODES:
        raise ValueError(f"convolve: mode must be one of {_MODES}, got {mode!r}")
    sa, sb = visible_shape(in1), visible_shape(in2)
    if len(sa) != len(sb):
        raise ValueError(f"convolve: in1 and in2 must have the same ndim, got {sa} and {sb}")
    full = convolve_full_p(in1, in2)
    if mode == "full":
        return full
    if mode == "valid":
        if not (all(n >= m for n, m in zip(sa, sb)) or all(m >= n for n, m in zip(sa, sb))):
            raise ValueError("convolve: for 'valid' mode one input must be at least as large "
                             "as the other in every dimension")  # fmt: skip
        big, small = (sa, sb) if all(n >= m for n, m in zip(sa, sb)) else (sb, sa)
        shape = tuple(n - m + 1 for n, m in zip(big, small))
        return full[tuple(slice(m - 1, m - 1 + s) for m, s in zip(small, shape))]
    start = tuple((m - 1) // 2 for m in sb)  # "same": centred, in1's shape
    return full[tuple(slice(s, s + n) for s, n in zip(start, sa))]
