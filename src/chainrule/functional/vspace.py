"""autograd's vector spaces (``vspace(x)``): the space a value, and so its gradient,
lives in, for arrays, Python numbers and pytrees (tuples, lists, dicts) of them.

A :class:`VSpace` knows the shapes and dtypes of the leaves and gives the vector-space
operations on values of that structure: ``zeros``, ``ones``, ``randn``,
``standard_basis``, ``add``, ``scalar_mul``, ``inner_prod`` and ``covector`` (the
conjugate, for complex leaves, so that ``inner_prod`` is real).

A complex entry is two real coordinates: its basis has the units 1 and 1j, ``ones``
puts ``1 + 1j`` there (the sum of the basis) and ``size`` counts it twice. The operations
are written with ``chainrule.numpy``, so they can be differentiated (traced values pass
through them).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

import chainrule.numpy as cnp
from chainrule.core.trace import unbox_all, visible_shape
from chainrule.functional.pytree import tree_flatten, tree_unflatten

__all__ = ["VSpace", "vspace"]


# A user's own value types and their spaces (``MySpace.register(MyType)``, autograd's idiom)
_registered_spaces: dict[type, type] = {}


class VSpace:
    """The vector space of values shaped like an example value."""

    @classmethod
    def register(cls, value_type: type) -> None:
        """Make ``cls`` (a subclass defining ``zeros``, ``_add``, ``_scalar_mul`` and
        ``_inner_prod``) the space of ``value_type``'s instances, for ``vspace``."""
        _registered_spaces[value_type] = cls

    def __init__(self, value: Any):
        leaves, self._treedef = tree_flatten(value)
        arrays = [np.asarray(unbox_all(x)) for x in leaves]
        self._specs = [(a.shape, np.result_type(a.dtype, np.float64) if a.dtype.kind in "biu"
                        else a.dtype) for a in arrays]  # fmt: skip
        self._scalar = [len(visible_shape(x)) == 0 and not isinstance(unbox_all(x), np.ndarray)
                        for x in leaves]  # fmt: skip

    # -- description -----------------------------------------------------------------
    @property
    def shape(self) -> tuple:
        return self._specs[0][0] if len(self._specs) == 1 else tuple(s for s, _ in self._specs)

    @property
    def dtype(self) -> Any:
        return self._specs[0][1] if len(self._specs) == 1 else tuple(d for _, d in self._specs)

    @property
    def size(self) -> int:
        """The dimension of the space (complex entries count twice)."""
        return sum(int(np.prod(s)) * (2 if np.dtype(d).kind == "c" else 1)
                   for s, d in self._specs)  # fmt: skip

    @property
    def ndim(self) -> int:
        return len(self.shape) if len(self._specs) == 1 else len(self._specs)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, VSpace)
            and self._treedef == other._treedef
            and self._specs == other._specs
        )

    def __hash__(self) -> int:
        return hash(repr(self))

    def __repr__(self) -> str:
        return f"VSpace({self._specs})"

    # -- building values ------------------------------------------------------------------
    def _build(self, arrays: list) -> Any:
        leaves = [a[()] if scalar and np.ndim(unbox_all(a)) == 0 else a
                  for a, scalar in zip(arrays, self._scalar)]  # fmt: skip
        return tree_unflatten(self._treedef, leaves)

    def _leaves(self, value: Any) -> list:
        """The leaves of ``value``, traced ones kept traced."""
        return tree_flatten(value)[0]

    def zeros(self) -> Any:
        return self._build([np.zeros(s, d) for s, d in self._specs])

    def ones(self) -> Any:
        def one(shape, dtype):
            unit = 1 + 1j if np.dtype(dtype).kind == "c" else 1
            return np.full(shape, unit, dtype)

        return self._build([one(s, d) for s, d in self._specs])

    def randn(self) -> Any:
        def draw(shape, dtype):
            real = np.asarray(np.random.randn(*shape))
            if np.dtype(dtype).kind == "c":
                return (real + 1j * np.random.randn(*shape)).astype(dtype)
            return real.astype(dtype)

        return self._build([draw(s, d) for s, d in self._specs])

    def standard_basis(self) -> Iterator[Any]:
        """The unit vectors (and, for complex entries, the imaginary units)."""
        for k, (shape, dtype) in enumerate(self._specs):
            units = (1.0, 1j) if np.dtype(dtype).kind == "c" else (1.0,)
            for index in np.ndindex(*shape):
                for unit in units:
                    arrays = [np.zeros(s, d) for s, d in self._specs]
                    arrays[k][index] = unit
                    yield self._build(arrays)

    # -- operations: each calls its ``_`` form, which a space of a user's type overrides ---
    def add(self, x: Any, y: Any) -> Any:
        return self._add(x, y)

    def scalar_mul(self, x: Any, a: Any) -> Any:
        return self._scalar_mul(x, a)

    def covector(self, x: Any) -> Any:
        return self._covector(x)

    def inner_prod(self, x: Any, y: Any) -> Any:
        return self._inner_prod(x, y)

    def _add(self, x: Any, y: Any) -> Any:
        return self._build([cnp.add(a, b) for a, b in zip(self._leaves(x), self._leaves(y))])

    def _scalar_mul(self, x: Any, a: Any) -> Any:
        return self._build([cnp.multiply(v, a) for v in self._leaves(x)])

    def _covector(self, x: Any) -> Any:
        return self._build([cnp.conj(v) for v in self._leaves(x)])

    def _inner_prod(self, x: Any, y: Any) -> Any:
        """``Re <conj(x), y>`` summed over the leaves (a float, or a traced scalar)."""
        total = 0.0
        for a, b in zip(self._leaves(x), self._leaves(y)):
            total = total + cnp.real(cnp.sum(cnp.multiply(cnp.conj(a), b)))
        return total


def vspace(value: Any) -> VSpace:
    """The vector space of ``value`` (for a registered type, its registered space)."""
    plain = unbox_all(value)
    for klass in type(plain).__mro__:
        if klass in _registered_spaces:
            return _registered_spaces[klass](plain)
    return VSpace(value)
