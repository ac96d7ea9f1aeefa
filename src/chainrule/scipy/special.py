"""``chainrule.scipy.special``: SciPy's special functions, differentiable.

Re-exports only; the rules live in :mod:`chainrule.primitives.special`.
"""

# ruff: noqa: F401, F403
from chainrule.primitives.special import *
from chainrule.primitives.special import __all__
