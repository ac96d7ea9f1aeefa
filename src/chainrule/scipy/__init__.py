"""``chainrule.scipy``: differentiable versions of SciPy functions (re-exports only).

:mod:`chainrule.scipy.special` and :mod:`chainrule.scipy.stats` (``norm``) need no
SciPy installed.
"""

from chainrule.scipy import special, stats

__all__ = ["special", "stats"]
