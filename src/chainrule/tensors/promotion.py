"""PyTorch's type promotion for operations on tensors.

NumPy and PyTorch agree when every operand of an elementwise operation has the same
dtype, and (NumPy 2) when a Python number meets an array of its own category. They
differ elsewhere, and tensors follow PyTorch:

* operands come in three tiers: tensors with dimensions, 0-d tensors, and Python
  numbers. A lower tier changes the result only when it brings a higher *category*
  (bool < integer < floating < complex): ``float32 tensor + float64 0-d tensor`` is
  float32 (NumPy: float64), ``int64 tensor * 2.5`` has the default dtype (NumPy:
  float64), and ``float32 tensor * 2.0`` stays float32;
* within a tier, an integer meeting a floating dtype gives that floating dtype:
  ``float32 ** int64 tensor`` is float32 (NumPy: float64);
* division and the transcendental functions (``sqrt``, ``exp``, ``sigmoid`` ...) of
  integers give the default floating dtype (NumPy: float64).

:func:`torch_dtype` computes the result dtype; :func:`promoted` applies it to the
answer of an operation (the eager trace calls it for the primitives in
:data:`PROMOTING`). Casting the answer rather than the inputs keeps the rule out of
the derivative rules: each input's cotangent is cast back to that input's dtype by the
rules themselves, so a float64 0-d tensor still gets a float64 gradient.
"""

from __future__ import annotations

import numpy as np

from chainrule.core.backend import is_foreign_array
from chainrule.tensors.device import default_complex_dtype, get_default_dtype

# Elementwise primitives whose result dtype follows the operands' (comparisons give
# bool either way; linear algebra is left to NumPy's rules).
PROMOTING = frozenset(
    """add subtract multiply divide true_divide power float_power maximum minimum fmax fmin
    arctan2 hypot logaddexp logaddexp2 mod fmod remainder floor_divide copysign where clip
    sqrt cbrt exp exp2 expm1 log log2 log10 log1p sin cos tan arcsin arccos arctan sinh
    cosh tanh arcsinh arccosh arctanh deg2rad rad2deg sinc expit logit erf erfc""".split()
)

_CATEGORY = {"b": 0, "u": 1, "i": 1, "f": 2, "c": 3}


def _promote(a: np.dtype | None, b: np.dtype) -> np.dtype:
    """PyTorch's ``promote_types``: NumPy's within a category; across categories the
    higher one's dtype (int64 with float32 is float32), widened to complex if needed."""
    if a is None or a == b:
        return b
    ca, cb = _CATEGORY[a.kind], _CATEGORY[b.kind]
    if ca == cb or {ca, cb} == {2, 3}:
        return np.promote_types(a, b)
    return a if ca > cb else b


def _combine(higher: np.dtype | None, lower: np.dtype | None) -> np.dtype | None:
    """The result of a higher tier meeting a lower one: the lower tier counts only if
    it brings a higher category."""
    if higher is None:
        return lower
    if lower is None:
        return higher
    ch, cl = _CATEGORY[higher.kind], _CATEGORY[lower.kind]
    if cl > ch:
        return _promote(higher, lower)
    return higher


def _number_dtype(x) -> np.dtype | None:
    """The dtype a Python number stands for in a promotion (None for a non-number)."""
    if isinstance(x, (bool, np.bool_)):
        return np.dtype(np.bool_)
    if isinstance(x, (int, np.integer)):
        return np.dtype(np.int64)
    if isinstance(x, (float, np.floating)):
        return get_default_dtype()
    if isinstance(x, (complex, np.complexfloating)):
        return default_complex_dtype()
    return None


def torch_dtype(operands) -> np.dtype | None:
    """The dtype of an elementwise operation on ``operands`` (arrays and Python
    numbers) by PyTorch's rules; None when there is no array or number among them."""
    dims = zero = numbers = None
    for x in operands:
        if isinstance(x, np.ndarray) or is_foreign_array(x):  # (a device array too)
            if x.ndim:
                dims = _promote(dims, x.dtype)
            else:
                zero = _promote(zero, x.dtype)
        else:
            d = _number_dtype(x)
            if d is not None:
                numbers = _promote(numbers, d)
    return _combine(dims, _combine(zero, numbers))


def promoted(ans, operands):
    """``ans``, computed by NumPy's rules, cast to PyTorch's result dtype if they differ.

    Only the precision changes (NumPy's rules never pick a narrower type than
    PyTorch's), never the category: bool answers (comparisons) stay."""
    have = ans.dtype
    if have.kind == "b":
        return ans
    for x in operands:
        if (type(x) is np.ndarray or is_foreign_array(x)) and x.dtype != have:
            break
    else:  # every array operand has the answer's dtype: both rules agree
        return ans
    want = torch_dtype(operands)
    if want is None or want == have:
        return ans
    if want.kind in "biu" and have.kind in "fc":  # division, sqrt ... of integers
        want = get_default_dtype() if have.kind == "f" else default_complex_dtype()
    if want == have or _CATEGORY[want.kind] != _CATEGORY[have.kind]:
        return ans
    return ans.astype(want)
