"""The operations behind the array surface of boxes (traced values and Tensors).

:class:`~chainrule.core.trace.Box` declares its operators, NumPy-style methods and
attributes and NumPy's dispatch protocols; each delegates to an operation of
:mod:`chainrule.core.array_ops`, registered here from the family modules, so that the
core never imports the primitives.

Plain NumPy on a traced value: ``np.sin(box)`` reaches ``Box.__array_ufunc__`` and
``np.sum(box)`` reaches ``Box.__array_function__``; both run chainrule's differentiable
version when there is one (``numpy_overrides``, filled by the public namespaces), and
otherwise raise ``TypeError`` telling the user to use ``chainrule.numpy``.
"""

from __future__ import annotations

import math

import numpy as np

from chainrule.core.array_ops import register_array_ops
from chainrule.core.primitive import numpy_overrides
from chainrule.core.trace import concrete_value, example_value, unbox_all, visible_shape
from chainrule.primitives import (
    discrete,
    indexing,
    joining,
    ordering,
    products,
    products_diagonal,
    reductions,
    reductions_cumulative,
    reductions_extrema,
    selection,
    shape,
)
from chainrule.primitives import elementwise as ew


def _is_integral(x) -> bool:
    x = unbox_all(x)
    if isinstance(x, (bool, int)):
        return True
    return isinstance(x, np.ndarray | np.generic) and x.dtype.kind in "biu"


def _is_bool(x) -> bool:
    x = unbox_all(x)
    return isinstance(x, bool) or isinstance(x, np.ndarray | np.generic) and x.dtype.kind == "b"


def _bitwise(ufunc, logical):
    """``&``, ``|``, ``^``: bitwise on integer and boolean values, as in PyTorch and
    NumPy (they carry no gradient, so NumPy computes them); logical on float values."""

    def op(a, b):
        if _is_bool(a) and _is_bool(b):  # the logical op (a primitive) gives the same
            return logical(a, b)
        if _is_integral(a) and _is_integral(b):
            return np.asarray(ufunc(concrete_value(a), concrete_value(b)))
        return logical(a, b)

    op.__name__ = ufunc.__name__
    return op


def _invert(a):
    if _is_integral(a) and not _is_bool(a):
        return np.asarray(np.invert(concrete_value(a)))
    return discrete.logical_not(a)


def _array(box, dtype, copy):
    if dtype is not None and np.dtype(dtype).kind in "biu":
        # integer or boolean values carry no gradient: nothing is dropped
        return np.asarray(example_value(box, "conversion to a NumPy array")).astype(dtype)
    raise TypeError(
        "can't convert a traced value to a NumPy array: that would drop its gradient. "
        "Use chainrule.numpy functions inside differentiated code (or cr.stop_gradient "
        "to drop it on purpose)."
    )


_BITWISE = frozenset((np.bitwise_and, np.bitwise_or, np.bitwise_xor, np.invert))


def _array_ufunc(box, ufunc, method, inputs, kwargs):
    if ufunc in _BITWISE and method == "__call__" and not kwargs:
        if all(_is_integral(x) for x in inputs):  # no gradient: NumPy computes it
            plain = [concrete_value(x) for x in inputs]
            return box._plain_result(np.asarray(ufunc(*plain)))
    if method == "__call__" and not kwargs.get("out"):
        kwargs.pop("out", None)
        fn = numpy_overrides.get(ufunc.__name__)
        if fn is not None and not kwargs:
            return fn(*inputs)
    raise TypeError(
        f"numpy.{ufunc.__name__} (method {method!r}) has no differentiable version for "
        "traced values with these arguments; use chainrule.numpy "
        f"(e.g. cnp.{ufunc.__name__}) instead of plain numpy"
    )


def _array_function(func, args, kwargs):
    fn = numpy_overrides.get(func.__name__)
    if (
        fn is None
        or getattr(func, "__module__", "").startswith("numpy.linalg")
        and (f"linalg.{func.__name__}" in numpy_overrides)
    ):
        fn = numpy_overrides.get(f"linalg.{func.__name__}", fn)
    if fn is None:
        raise TypeError(
            f"numpy.{func.__name__} has no differentiable version in chainrule; it would "
            "drop the gradient of a traced value. Use chainrule.numpy, or compute "
            "outside the differentiated function."
        )
    return fn(*args, **kwargs)


register_array_ops(
    shape=visible_shape,
    ndim=lambda x: len(visible_shape(x)),
    size=lambda x: math.prod(visible_shape(x)),
    dtype=lambda x: np.result_type(unbox_all(x)),
    add=ew.add,
    subtract=ew.subtract,
    multiply=ew.multiply,
    true_divide=ew.true_divide,
    floor_divide=discrete.floor_divide,
    mod=ew.mod,
    power=ew.power,
    matmul=products.matmul,
    negative=ew.negative,
    abs=ew.abs,
    less=discrete.less,
    less_equal=discrete.less_equal,
    greater=discrete.greater,
    greater_equal=discrete.greater_equal,
    equal=discrete.equal,
    not_equal=discrete.not_equal,
    bitwise_and=_bitwise(np.bitwise_and, discrete.logical_and),
    bitwise_or=_bitwise(np.bitwise_or, discrete.logical_or),
    bitwise_xor=_bitwise(np.bitwise_xor, discrete.logical_xor),
    invert=_invert,
    getitem=indexing.getitem,
    reshape=shape.reshape,
    ravel=shape.ravel,
    transpose=shape.transpose,
    swapaxes=shape.swapaxes,
    squeeze=shape.squeeze,
    split=joining.split,
    repeat=joining.repeat,
    take=indexing.take,
    diagonal=products_diagonal.diagonal,
    trace=products_diagonal.trace,
    real=ew.real,
    imag=ew.imag,
    conj=ew.conj,
    conjugate=ew.conjugate,
    clip=selection.clip,
    round=discrete.round,
    astype=ew.astype,
    sum=reductions.sum,
    mean=reductions.mean,
    prod=reductions.prod,
    max=reductions_extrema.max,
    min=reductions_extrema.min,
    ptp=reductions_extrema.ptp,
    var=reductions.var,
    std=reductions.std,
    cumsum=reductions_cumulative.cumsum,
    cumprod=reductions_cumulative.cumprod,
    argmax=reductions_extrema.argmax,
    argmin=reductions_extrema.argmin,
    sort=ordering.sort,
    argsort=ordering.argsort,
    dot=products.dot,
    array=_array,
    array_ufunc=_array_ufunc,
    array_function=_array_function,
)
