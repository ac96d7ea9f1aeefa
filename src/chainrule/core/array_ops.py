"""The operations behind a box's array surface, registered by the primitives layer.

:class:`~chainrule.core.trace.Box` declares its whole array interface (operators,
NumPy-style methods and attributes, NumPy's dispatch protocols), and each member calls
the operation of the same role in :data:`ops`. The core defines no operation: the
primitives layer (``chainrule.primitives.boxes``) registers every one of them, once,
with :func:`register_array_ops`. So the core knows the *names* of the array surface and
nothing of how an operation is differentiated.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Op = Callable[..., Any]


class ArrayOps:
    """One callable per operation of the array surface (see the module docstring).

    Binary operations take ``(a, b)`` in the operator's order (``b - a`` for ``a.__rsub__(b)``);
    methods take the box first, then the method's arguments."""

    # attributes: shape, ndim, size, dtype of the value under the boxes
    shape: Op
    ndim: Op
    size: Op
    dtype: Op
    # arithmetic and comparison operators
    add: Op
    subtract: Op
    multiply: Op
    true_divide: Op
    floor_divide: Op
    mod: Op
    power: Op
    matmul: Op
    negative: Op
    abs: Op
    less: Op
    less_equal: Op
    greater: Op
    greater_equal: Op
    equal: Op
    not_equal: Op
    # ``&``, ``|``, ``^``, ``~``: bitwise on integer values, logical on the others
    bitwise_and: Op
    bitwise_or: Op
    bitwise_xor: Op
    invert: Op
    # indexing, shape and layout
    getitem: Op
    reshape: Op
    ravel: Op
    transpose: Op
    swapaxes: Op
    squeeze: Op
    split: Op
    repeat: Op
    take: Op
    diagonal: Op
    trace: Op
    # elementwise
    real: Op
    imag: Op
    conj: Op
    conjugate: Op
    clip: Op
    round: Op
    astype: Op
    # reductions, ordering, products
    sum: Op
    mean: Op
    prod: Op
    max: Op
    min: Op
    ptp: Op
    var: Op
    std: Op
    cumsum: Op
    cumprod: Op
    argmax: Op
    argmin: Op
    sort: Op
    argsort: Op
    dot: Op
    # NumPy's protocols: array(box, dtype, copy), array_ufunc(box, ufunc, method,
    # inputs, kwargs) and array_function(func, args, kwargs)
    array: Op
    array_ufunc: Op
    array_function: Op


ops = ArrayOps()


def register_array_ops(**operations: Op) -> None:
    """Register the operations of the array surface: every one that :class:`ArrayOps`
    declares, and no other."""
    declared = set(ArrayOps.__annotations__)
    missing = declared - set(operations)
    unknown = set(operations) - declared
    if missing or unknown:
        raise ValueError(
            f"register_array_ops: missing {sorted(missing)}, unknown {sorted(unknown)}"
        )
    for name, fn in operations.items():
        setattr(ops, name, fn)
