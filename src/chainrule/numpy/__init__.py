"""``chainrule.numpy``: NumPy's names and signatures, differentiable.

Re-exports only: every function is defined in a family module of
:mod:`chainrule.primitives`, each of which lists its public names in ``__all__``.
"""

# ruff: noqa: F401, F403, A004
import numpy as _np

# dtypes and constants, so that ``cnp.float32`` and ``cnp.pi`` work as in NumPy
from numpy import (
    bool_,
    complex64,
    complex128,
    dtype,
    e,
    euler_gamma,
    finfo,
    float16,
    float32,
    float64,
    iinfo,
    inf,
    int8,
    int16,
    int32,
    int64,
    nan,
    ndarray,
    newaxis,
    pi,
    uint8,
)  # fmt: skip

from chainrule.numpy import linalg, random
from chainrule.primitives import boxes as _boxes
from chainrule.primitives.creation import *
from chainrule.primitives.elementwise import *
from chainrule.primitives.index_tricks import *
from chainrule.primitives.indexing import *
from chainrule.primitives.indexing import index_add, index_update
from chainrule.primitives.products import *
from chainrule.primitives.reductions import *
from chainrule.primitives.shape import *


def _install_overrides() -> None:
    """Let plain NumPy calls on traced values reach these differentiable versions."""
    from chainrule.core.primitive import numpy_overrides

    for _name, _obj in list(globals().items()):
        if not _name.startswith("_") and callable(_obj) and not isinstance(_obj, type):
            numpy_overrides.setdefault(_name, _obj)
    for _name in linalg.__all__:
        numpy_overrides.setdefault(f"linalg.{_name}", getattr(linalg, _name))


_install_overrides()
