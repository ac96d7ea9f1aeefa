"""``chainrule.numpy.linalg``: NumPy's ``numpy.linalg`` names, differentiable
(re-exports of the linalg modules of :mod:`chainrule.primitives`)."""

# ruff: noqa: F401, F403
from chainrule.primitives import linalg as _linalg
from chainrule.primitives import linalg_decomp as _decomp
from chainrule.primitives import linalg_det as _det
from chainrule.primitives import linalg_eig as _eig
from chainrule.primitives import linalg_norms as _norms
from chainrule.primitives import linalg_solve as _solve
from chainrule.primitives.linalg import *
from chainrule.primitives.linalg_common import LinAlgError
from chainrule.primitives.linalg_decomp import *
from chainrule.primitives.linalg_det import *
from chainrule.primitives.linalg_eig import *
from chainrule.primitives.linalg_norms import *
from chainrule.primitives.linalg_solve import *

__all__ = sorted(
    {
        "LinAlgError",
        *_linalg.__all__,
        *_decomp.__all__,
        *_det.__all__,
        *_eig.__all__,
        *_norms.__all__,
        *_solve.__all__,
    }
)
