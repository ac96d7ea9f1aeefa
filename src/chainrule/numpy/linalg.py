"""``chainrule.numpy.linalg``: NumPy's ``numpy.linalg`` names, differentiable
(re-exports from :mod:`chainrule.primitives.linalg`)."""

# ruff: noqa: F401, F403
from chainrule.primitives.linalg import *
from chainrule.primitives.linalg import __all__
