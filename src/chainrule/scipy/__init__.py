"""``chainrule.scipy``: differentiable versions of SciPy functions (re-exports only).

Only :mod:`chainrule.scipy.special` exists today; it needs no SciPy installed.
"""

from chainrule.scipy import special

__all__ = ["special"]
