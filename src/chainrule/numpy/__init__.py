"""``chainrule.numpy``: NumPy's names and signatures, differentiable.

Re-exports and a dispatch table only: every function is defined in a module of
:mod:`chainrule.primitives`, which lists its public names in ``__all__``; the names
gathered here are what NumPy's protocols on traced values (``np.sin(box)``,
``np.sum(box)``) dispatch to.
"""

# ruff: noqa: F401, F403, A004
import numpy as _np

# NumPy's dtypes, scalar types, classes and constants (no values to differentiate), so
# that ``cnp.float32``, ``cnp.pi`` and ``cnp.errstate`` work as in NumPy
from numpy import (
    False_,
    ScalarType,
    True_,
    bool,
    bool_,
    broadcast,
    busdaycalendar,
    byte,
    bytes_,
    cdouble,
    character,
    clongdouble,
    complex64,
    complex128,
    complexfloating,
    csingle,
    datetime64,
    double,
    dtype,
    e,
    errstate,
    euler_gamma,
    finfo,
    flatiter,
    flexible,
    float16,
    float32,
    float64,
    floating,
    generic,
    half,
    iinfo,
    inexact,
    inf,
    int8,
    int16,
    int32,
    int64,
    int_,
    intc,
    integer,
    intp,
    little_endian,
    long,
    longdouble,
    longlong,
    matrix,
    memmap,
    nan,
    ndarray,
    nditer,
    nested_iters,
    newaxis,
    number,
    object_,
    pi,
    poly1d,
    recarray,
    record,
    sctypeDict,
    short,
    signedinteger,
    single,
    str_,
    test,
    timedelta64,
    typecodes,
    ubyte,
    ufunc,
    uint,
    uint8,
    uint16,
    uint32,
    uint64,
    uintc,
    uintp,
    ulong,
    ulonglong,
    unsignedinteger,
    ushort,
    vectorize,
    void,
)  # fmt: skip  # fmt: skip

from chainrule.core.primitive import numpy_overrides as _numpy_overrides
from chainrule.numpy import fft, linalg, random
from chainrule.primitives import boxes as _boxes
from chainrule.primitives.creation import *
from chainrule.primitives.discrete import *
from chainrule.primitives.elementwise import *
from chainrule.primitives.index_tricks import *
from chainrule.primitives.indexing import *
from chainrule.primitives.joining import *
from chainrule.primitives.numpy_names import *
from chainrule.primitives.numpy_names_calculus import *
from chainrule.primitives.ordering import *
from chainrule.primitives.padding import *
from chainrule.primitives.passthrough import *
from chainrule.primitives.products import *
from chainrule.primitives.products_diagonal import *
from chainrule.primitives.products_einsum import *
from chainrule.primitives.reductions import *
from chainrule.primitives.reductions_cumulative import *
from chainrule.primitives.reductions_extrema import *
from chainrule.primitives.selection import *
from chainrule.primitives.shape import *
from chainrule.primitives.statistics import *
from chainrule.primitives.trigonometric import *
from chainrule.scipy import special as _scipy_special  # its ufuncs dispatch through the table

# the version of the NumPy underneath (autograd's numpy wrapper reports it the same way)
__version__ = _np.__version__

# extended-precision types exist on some platforms only
for _name in ("float96", "float128", "complex192", "complex256"):
    if hasattr(_np, _name):
        globals()[_name] = getattr(_np, _name)

# NumPy's name (``linalg.``/``fft.`` prefixed for those submodules) -> the differentiable function
for _name, _obj in list(globals().items()):
    if not _name.startswith("_") and callable(_obj) and not isinstance(_obj, type):
        _numpy_overrides.setdefault(_name, _obj)
for _name in fft.__all__:
    _numpy_overrides.setdefault(f"fft.{_name}", getattr(fft, _name))
for _name in linalg.__all__:
    _numpy_overrides.setdefault(f"linalg.{_name}", getattr(linalg, _name))
