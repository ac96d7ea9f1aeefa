"""NumPy's functions that carry no derivative, made safe on traced values.

Three kinds, listed by name (no scan of NumPy's namespace):

* ``CONSTANT``: results that are integers, booleans, shapes, dtypes, text or nothing
  (``nonzero``, ``unique``, ``isclose``, ``searchsorted``, ``seterr`` ...). Traced
  arguments are unwrapped and NumPy's function runs on the values: the result is a
  constant to every trace, as for ``argmax``.
* ``UNDIFFERENTIATED``: functions with a floating result and no derivative rule here
  (``interp``, ``convolve``, ``histogram`` ...). On plain arrays they are NumPy's; given
  a traced value with a floating result they raise ``TypeError`` naming the
  function, since returning NumPy's answer would silently lose the gradient.
* ``IN_PLACE``: functions that write into an argument (``put``, ``copyto``,
  ``fill_diagonal`` ...). A traced argument is refused with the functional way to
  write the same thing.

``wrap(name)`` builds the public function for a name of either list.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from chainrule.core.trace import Box, concrete_value

__all__: list[str] = []  # filled below, one public function per listed name

CONSTANT = (
    "allclose argpartition argwhere array2string array_equal array_equiv array_repr "
    "array_str base_repr binary_repr bitwise_and bitwise_count bitwise_invert "
    "bitwise_left_shift bitwise_not bitwise_or bitwise_right_shift bitwise_xor "
    "broadcast_shapes busday_count busday_offset can_cast common_type datetime_as_string "
    "datetime_data diag_indices diag_indices_from digitize empty_like flatnonzero "
    "format_float_positional format_float_scientific from_dlpack frombuffer fromfile "
    "fromiter fromregex fromstring gcd genfromtxt get_include get_printoptions getbufsize "
    "geterr geterrcall indices info intersect1d invert is_busday isclose iscomplex "
    "iscomplexobj isdtype isfortran isin isnat isneginf isposinf isreal isrealobj isscalar "
    "issubdtype iterable lcm left_shift lexsort load loadtxt mask_indices may_share_memory "
    "min_scalar_type mintypecode nanargmax nanargmin nonzero packbits printoptions promote_types "
    "ravel_multi_index result_type right_shift save savetxt savez savez_compressed "
    "searchsorted set_printoptions setbufsize setdiff1d seterr seterrcall setxor1d "
    "shares_memory show_config show_runtime tril_indices tril_indices_from triu_indices "
    "triu_indices_from typename union1d unique unique_all unique_counts unique_inverse "
    "unique_values unpackbits unravel_index"
).split()

UNDIFFERENTIATED = (
    "apply_along_axis apply_over_axes asmatrix bartlett bincount blackman bmat choose convolve "
    "correlate einsum_path frexp fromfunction frompyfunc hamming hanning histogram "
    "histogram2d histogram_bin_edges histogramdd i0 insert interp kaiser modf nanmedian "
    "nanpercentile nanquantile nextafter piecewise poly polyadd polyder polydiv polyfit "
    "polyint polymul polysub resize roots sort_complex spacing trim_zeros unwrap vander"
).split()

IN_PLACE = "copyto fill_diagonal place put put_along_axis putmask".split()


def _plain(x: Any) -> tuple[Any, bool]:
    """``x`` with every box unwrapped (inside lists, tuples and dicts too), and whether
    there was one."""
    if isinstance(x, Box):
        return concrete_value(x), True
    if isinstance(x, (list, tuple)):
        parts = [_plain(v) for v in x]
        return type(x)(p for p, _ in parts), any(t for _, t in parts)
    if isinstance(x, dict):
        parts = {k: _plain(v) for k, v in x.items()}
        return {k: p for k, (p, _) in parts.items()}, any(t for _, t in parts.values())
    return x, False


def _inexact(result: Any) -> bool:
    """Whether a result holds a floating or complex number anywhere."""
    if isinstance(result, (list, tuple)):
        return any(_inexact(r) for r in result)
    if isinstance(result, (np.ndarray, np.generic)):
        return result.dtype.kind in "fc"
    return isinstance(result, (float, complex))


def wrap(name: str) -> Callable[..., Any]:
    """The public function for NumPy's ``name`` from one of this module's lists."""
    fn = getattr(np, name)
    in_place = name in IN_PLACE
    checked = name in UNDIFFERENTIATED

    def call(*args: Any, **kwargs: Any) -> Any:
        (args, kwargs), traced = _plain((args, kwargs))
        if traced and in_place:
            raise TypeError(
                f"chainrule.numpy.{name} writes into its argument, which a traced value "
                "can't take; build the new array functionally instead (cnp.where, "
                "cnp.concatenate, or indexing with a mask)"
            )
        result = fn(*args, **kwargs)
        if traced and checked and _inexact(result):
            raise TypeError(
                f"chainrule.numpy.{name} has no derivative rule: its result from a traced "
                "value would silently lose the gradient. Compose it from differentiable "
                "chainrule.numpy functions, or use chainrule.stop_gradient on its inputs "
                "if no gradient is wanted"
            )
        return result

    call.__name__ = call.__qualname__ = name
    call.__doc__ = f"NumPy's ``{name}`` on plain values (no derivative; see the module)."
    return call


for _name in (*CONSTANT, *UNDIFFERENTIATED, *IN_PLACE):
    if hasattr(np, _name):  # a few names exist only in newer NumPy releases
        globals()[_name] = wrap(_name)
        __all__.append(_name)
