"""``chainrule.scipy.signal``: ``convolve``, differentiable (a re-export of
:mod:`chainrule.primitives.signal`)."""

from chainrule.primitives.signal import convolve

__all__ = ["convolve"]
