"""Saved inputs that were modified in place after an eager operation used them.

A recorded :class:`~chainrule.tensors.graph.EagerNode` keeps its inputs' arrays as they
were when it ran. When ``backward`` finds that an input's version changed since, it
hands the rule that input's saved array wrapped as a :class:`_Stale` view: the rule may
use its shape and dtype (as ``x + y`` or ``sum`` do), but reading its values (as ``sin``
or ``x * x`` do) raises :class:`_StaleRead`, and ``backward`` refuses, as PyTorch does.
"""

from __future__ import annotations

import numpy as np


class _StaleRead(Exception):
    """A rule read the values of an input that was modified in place since it was saved."""

    def __init__(self, argnum: int):
        super().__init__(argnum)
        self.argnum = argnum


class _Stale(np.ndarray):
    """A saved input that was modified in place after it was used (see the module
    docstring): the rule may use its shape and dtype, not its values. Reading them
    through NumPy raises :class:`_StaleRead`. A read that bypasses NumPy's protocols
    sees the values as they were when saved, which is still the right gradient."""

    _argnum = -1

    @classmethod
    def of(cls, arr: np.ndarray, argnum: int) -> _Stale:
        view = arr.view(cls)
        view._argnum = argnum
        return view

    def __array_finalize__(self, obj):
        self._argnum = getattr(obj, "_argnum", -1)

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        raise _StaleRead(self._argnum)

    def __array_function__(self, func, types, args, kwargs):
        if func in _SHAPE_ONLY:
            plain = [a.view(np.ndarray) if isinstance(a, _Stale) else a for a in args]
            return func(*plain, **kwargs)
        raise _StaleRead(self._argnum)


# NumPy functions that use only an array's shape and dtype
_SHAPE_ONLY = frozenset(
    (np.shape, np.ndim, np.size, np.result_type, np.zeros_like, np.ones_like, np.empty_like)
)
