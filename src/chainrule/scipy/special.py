"""``chainrule.scipy.special``: SciPy's special functions, differentiable.

Re-exports and a dispatch table only; the rules live in :mod:`chainrule.primitives.special`
and :mod:`chainrule.primitives.special_reductions`.
"""

# ruff: noqa: F401, F403
from chainrule.core.primitive import numpy_overrides as _numpy_overrides
from chainrule.primitives import special as _elementwise
from chainrule.primitives import special_reductions as _reductions
from chainrule.primitives.special import *
from chainrule.primitives.special_reductions import *

__all__ = sorted({*_elementwise.__all__, *_reductions.__all__})

# SciPy's special functions are ufuncs: ``scipy.special.erf(traced)`` reaches the boxes'
# ``__array_ufunc__``, which looks the ufunc's name up in this table.
_UFUNCS = {
    "erf": _elementwise.erf,
    "erfc": _elementwise.erfc,
    "erfinv": _elementwise.erfinv,
    "expit": _elementwise.expit,
    "logit": _elementwise.logit,
    "gammaln": _elementwise.gammaln,
    "psi": _elementwise.psi,
    "xlogy": _elementwise.xlogy,
    "xlog1py": _elementwise.xlog1py,
    "ndtr": _elementwise.ndtr,
    "log_expit": _elementwise.log_expit,
}
for _name, _fn in _UFUNCS.items():
    _numpy_overrides.setdefault(_name, _fn)
