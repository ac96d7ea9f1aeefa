"""``chainrule.numpy.fft``: NumPy's ``numpy.fft`` names, differentiable (re-exports of
:mod:`chainrule.primitives.fft`)."""

# ruff: noqa: F401, F403
from chainrule.primitives.fft import *
from chainrule.primitives.fft import __all__
