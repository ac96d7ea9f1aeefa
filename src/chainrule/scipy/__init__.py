"""``chainrule.scipy``: differentiable versions of SciPy functions (re-exports only).

``erf``, ``gammaln``, ``digamma``, ``polygamma``, ``logsumexp``, ``softmax`` ... of
:mod:`chainrule.scipy.special` and ``stats.norm`` need no SciPy installed; the other
special functions, distributions, :mod:`chainrule.scipy.linalg`,
:mod:`chainrule.scipy.signal` and :mod:`chainrule.scipy.integrate` use SciPy's forwards,
imported when first called (``pip install scipy``).
"""

from chainrule.scipy import integrate, linalg, signal, special, stats

__all__ = ["integrate", "linalg", "signal", "special", "stats"]
