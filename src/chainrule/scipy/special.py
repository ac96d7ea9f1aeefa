"""``chainrule.scipy.special``: SciPy's special functions, differentiable.

Re-exports and a dispatch table only; the rules live in :mod:`chainrule.primitives.special`,
:mod:`chainrule.primitives.special_reductions` (both SciPy-free) and
:mod:`chainrule.primitives.special_scipy` (SciPy's forwards, imported when first called).
"""

# ruff: noqa: F401, F403
from chainrule.core.primitive import numpy_overrides as _numpy_overrides
from chainrule.primitives import special as _elementwise
from chainrule.primitives import special_reductions as _reductions
from chainrule.primitives import special_scipy as _scipy_backed
from chainrule.primitives.special import *
from chainrule.primitives.special_reductions import *
from chainrule.primitives.special_scipy import *

__all__ = sorted({*_elementwise.__all__, *_reductions.__all__, *_scipy_backed.__all__})

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
    **{
        name: getattr(_scipy_backed, name)
        for name in _scipy_backed.__all__
        if name not in ("multigammaln", "jn")  # Python functions / an alias of jv in SciPy
    },
}
for _name, _fn in _UFUNCS.items():
    _numpy_overrides.setdefault(_name, _fn)
