"""``chainrule.scipy``: differentiable versions of SciPy functions (re-exports only).

:mod:`chainrule.scipy.special` and :mod:`chainrule.scipy.stats` (``norm``) need no
SciPy installed; :mod:`chainrule.scipy.signal` (``convolve``) uses SciPy's forward.
"""

from chainrule.scipy import signal, special, stats

__all__ = ["signal", "special", "stats"]
