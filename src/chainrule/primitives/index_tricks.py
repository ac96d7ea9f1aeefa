"""NumPy's index tricks ``r_`` and ``c_`` for traced values: concatenation written as
indexing (``cnp.r_[x, c, 1:4]``). Untraced input goes straight to NumPy; traced
pieces are joined with the differentiable ``concatenate``. The string directives of
``numpy.r_`` (``r_['0,2', ...]``) are not supported for traced values.
"""

from __future__ import annotations

import numpy as np

from chainrule.core.backend import namespace_dtype
from chainrule.core.trace import Box
from chainrule.primitives._helpers import dtype_of, namespace_of, ndim_of
from chainrule.primitives.joining import concatenate
from chainrule.primitives.shape import atleast_1d, reshape

__all__ = ["r_", "c_"]


def _pieces(key):
    return key if isinstance(key, tuple) else (key,)


def _expand(item):
    """A slice becomes the range NumPy's ``r_`` makes of it; scalars become 1-D."""
    if isinstance(item, slice):
        return np.r_[item]
    return item


class _Concatenator:
    def __init__(self, numpy_version, columns: bool):
        self._numpy = numpy_version
        self._columns = columns

    def __getitem__(self, key):
        items = _pieces(key)
        if not any(isinstance(i, Box) for i in items):
            return self._numpy[key]
        if any(isinstance(i, str) for i in items):
            raise NotImplementedError(
                "r_/c_ string directives are not supported for traced values; use "
                "cnp.concatenate or cnp.stack"
            )
        items = [_expand(i) for i in items]
        # Python numbers are weak, as in NumPy: r_[float32 x, 3.0] stays float32
        weak = (bool, int, float, complex)
        target = np.result_type(*(i if type(i) in weak else dtype_of(i) for i in items))
        # the numbers become arrays of the traced items' library (and device)
        xp = namespace_of(*(i for i in items if type(i) not in weak))
        items = [
            xp.asarray(i, dtype=namespace_dtype(xp, target)) if type(i) in weak else i
            for i in items
        ]
        parts = []
        for item in items:
            item = atleast_1d(item)
            if self._columns and ndim_of(item) == 1:
                item = reshape(item, (-1, 1))
            parts.append(item)
        return concatenate(parts, axis=-1 if self._columns else 0)


r_ = _Concatenator(np.r_, columns=False)
c_ = _Concatenator(np.c_, columns=True)
