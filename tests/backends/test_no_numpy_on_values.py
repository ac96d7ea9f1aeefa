"""No forward or rule calls NumPy directly on values that could be device arrays.

The scan reads the source of every rule-table module (``chainrule/primitives``; the
boxes' NumPy protocol in ``boxes.py`` is NumPy's own interface and is left out) and
lists each ``np.<name>(...)`` call inside a function or lambda. Calls that read only
dtypes, shapes or error settings are fine anywhere; every other one must be in
``ALLOWED`` with the reason it cannot touch a device array, or the test fails. An
allowed call that is gone fails too, so the list stays exact.
"""

from __future__ import annotations

import ast
import pathlib

import chainrule.primitives

PACKAGE = pathlib.Path(chainrule.primitives.__file__).parent
SKIPPED_FILES = {"boxes.py"}
# NumPy functions of dtypes, shapes and settings: they never see an array's data.
VALUE_FREE = {
    "dtype",
    "result_type",
    "can_cast",
    "finfo",
    "iinfo",
    "errstate",
    "broadcast_shapes",
    "shape",
    "ndim",
}

SHAPES = "shape arithmetic on Python ints (a shape, an axis permutation, sizes)"
INDICES = "index bookkeeping on the host: NumPy index arrays (CuPy accepts them)"
CONSTRUCTORS = "NumPy's own constructors: chainrule.numpy.array makes NumPy arrays"
HOST_ONLY = {
    **{
        k: SHAPES
        for k in [
            ("_args.py", "reduced_count", "np.prod"),
            ("creation.py", "meshgrid", "np.prod"),
            ("creation.py", "full_like", "np.atleast_1d"),
            ("indexing.py", "_surviving_writes", "np.prod"),
            ("linalg.py", "tensorinv", "np.prod"),
            ("linalg.py", "tensorsolve", "np.prod"),
            ("products.py", "vdot", "np.prod"),
            ("products_einsum.py", "_einsum_transpose", "np.prod"),
            ("reductions.py", "_moved_to_last", "np.argsort"),
            ("reductions.py", "_moved_to_last", "np.prod"),
            ("reductions.py", "undo", "np.argsort"),
            ("shape.py", "_bounds", "np.cumsum"),
            ("shape.py", "_resolve_shape", "np.prod"),
            ("shape.py", "<lambda>", "np.argsort"),
            ("shape.py", "size", "np.prod"),
            ("padding.py", "_pairs", "np.asarray"),
            ("padding.py", "_pairs", "np.broadcast_to"),
        ]
    },
    **{
        k: INDICES
        for k in [
            ("indexing.py", "_index_array", "np.asarray"),
            ("indexing.py", "_sub_shape", "np.empty"),
            ("indexing.py", "_surviving_writes", "np.arange"),
            ("indexing.py", "_surviving_writes", "np.full"),
            ("indexing.py", "_surviving_writes", "np.isin"),
            ("indexing.py", "_surviving_writes", "np.unique"),
            ("indexing.py", "index_update", "np.broadcast_to"),
            ("indexing.py", "index_update", "np.empty"),
            ("indexing.py", "take", "np.clip"),
            ("indexing.py", "take", "np.mod"),
            ("indexing.py", "take_along_axis", "np.arange"),
            ("joining.py", "repeat", "np.arange"),
            ("joining.py", "repeat", "np.asarray"),
            ("joining.py", "repeat", "np.repeat"),
            ("padding.py", "_gather", "np.arange"),
            ("padding.py", "_gather", "np.pad"),
            ("padding.py", "block", "np.arange"),
            ("padding.py", "make", "np.arange"),
        ]
    },
    **{
        k: CONSTRUCTORS
        for k in [
            ("creation.py", "_stack_nested", "np.asarray"),
            ("creation.py", "array", "np.array"),
            ("creation.py", "asarray", "np.asarray"),
            ("creation.py", "meshgrid", "np.meshgrid"),
        ]
    },
    ("_args.py", "normalize_one_axis", "np.exceptions.AxisError"): "an exception class",
    ("selection.py", "_in_range", "np.bool_"): "a 0-d constant, weak with any library",
    ("_args.py", "as_array", "np.asarray"): "lists and scalars only; other arrays pass",
}
# Calls that do reach values and are still to be moved onto ``xp``: known debt, listed so
# that it can only shrink (the recording sweep marks the entries they affect).
NOT_YET_ON_XP = dict.fromkeys(
    [
        ("_args.py", "_has_zero", "np.any"),
        ("_args.py", "_has_zero", "np.asarray"),
        ("_args.py", "_inf_minus_inf", "np.isinf"),
        ("_args.py", "_inf_minus_inf", "np.isnan"),
        ("_args.py", "_inf_minus_inf", "np.subtract"),
        ("_helpers.py", "dtype_of", "np.asarray"),
        ("elementwise.py", "_log_share", "np.any"),
        ("elementwise.py", "_pow_dx", "np.any"),
        ("index_tricks.py", "__getitem__", "np.asarray"),
        ("linalg.py", "lstsq", "np.asarray"),
        ("linalg.py", "lstsq", "np.empty"),
        ("linalg.py", "lstsq", "np.int32"),
        ("linalg.py", "lstsq", "np.sum"),
        ("linalg.py", "matrix_power", "np.broadcast_to"),
        ("linalg.py", "matrix_power", "np.eye"),
        ("linalg.py", "vecdot", "np.iscomplexobj"),
        ("linalg_common.py", "matrix_operand", "np.asarray"),
        ("linalg_decomp.py", "qr", "np.linalg.qr"),
        ("linalg_decomp.py", "svd", "np.linalg.svd"),
        ("linalg_det.py", "_nonzero", "np.all"),
        ("linalg_det.py", "_nonzero", "np.asarray"),
        ("linalg_det.py", "_det_product", "np.asarray"),
        ("linalg_det.py", "_cofactor", "np.expand_dims"),
        ("linalg_det.py", "_det_product", "np.linalg.det"),
        ("linalg_norms.py", "cond", "np.asarray"),
        ("linalg_norms.py", "cond", "np.linalg.cond"),
        ("linalg_solve.py", "_any_nonzero", "np.any"),
        ("ordering.py", "sort", "np.argsort"),
        ("ordering.py", "sort", "np.asarray"),
        ("padding.py", "_linear_ramp", "np.arange"),
        ("padding.py", "pad", "np.pad"),
        ("products.py", "cross", "np.array"),
        ("products.py", "cross", "np.eye"),
        ("reductions.py", "_mask", "np.asarray"),
        ("reductions.py", "average", "np.asarray"),
        ("reductions.py", "average", "np.broadcast_to"),
        ("reductions.py", "mean", "np.broadcast_to"),
        ("reductions.py", "mean", "np.sum"),
        ("reductions.py", "_not_nan", "np.asarray"),
        ("reductions.py", "_not_nan", "np.isnan"),
        ("reductions.py", "nanmean", "np.sum"),
        ("reductions.py", "var", "np.broadcast_to"),
        ("reductions.py", "var", "np.maximum"),
        ("reductions.py", "var", "np.sum"),
        ("selection.py", "_zero_of", "np.zeros"),
        ("selection.py", "where", "np.asarray"),
        ("selection.py", "where", "np.where"),
        ("special_reductions.py", "_lse_weights", "np.abs"),
        ("special_reductions.py", "_lse_weights", "np.broadcast_to"),
        ("special_reductions.py", "_lse_weights", "np.log"),
        ("special_reductions.py", "_lse_weights", "np.sum"),
        ("special_reductions.py", "_lse_weights", "np.where"),
        ("special_reductions.py", "_lse_sign", "np.asarray"),
        ("special_reductions.py", "_lse_sign", "np.exp"),
        ("special_reductions.py", "_lse_sign", "np.isfinite"),
        ("special_reductions.py", "_lse_sign", "np.max"),
        ("special_reductions.py", "_lse_sign", "np.sign"),
        ("special_reductions.py", "_lse_sign", "np.sum"),
        ("special_reductions.py", "_lse_sign", "np.where"),
        ("trigonometric.py", "_sinc_deriv", "np.any"),
        ("windows.py", "_windows_impl", "np.lib.stride_tricks.as_strided"),
    ],
    "not yet moved onto xp",
)
# The NumPy names and FFTs added for autograd's users were written before the backend
# contract landed: the same debt, listed apart so that it is paid down visibly.
NOT_YET_ON_XP_AUTOGRAD_NAMES = dict.fromkeys(
    [
        ("creation.py", "full", "np.atleast_1d"),
        ("creation.py", "full", "np.full"),
        ("creation.py", "linspace", "np.linspace"),
        ("fft.py", "_irfftn_transpose", "np.full"),
        ("fft.py", "_irfftn_transpose", "np.prod"),
        ("fft.py", "_shifts", "np.atleast_1d"),
        ("fft.py", "rfftn", "np.iscomplexobj"),
        ("numpy_names.py", "asarray_chkfinite", "np.all"),
        ("numpy_names.py", "asarray_chkfinite", "np.isfinite"),
        ("numpy_names.py", "compress", "np.flatnonzero"),
        ("numpy_names.py", "delete", "np.arange"),
        ("numpy_names.py", "delete", "np.delete"),
        ("numpy_names.py", "extract", "np.ravel"),
        ("numpy_names.py", "fabs", "np.iscomplexobj"),
        ("numpy_names.py", "ldexp", "np.exp2"),
        ("numpy_names.py", "partition", "np.argpartition"),
        ("numpy_names.py", "real_if_close", "np.abs"),
        ("numpy_names.py", "real_if_close", "np.all"),
        ("numpy_names.py", "real_if_close", "np.asarray"),
        ("numpy_names.py", "rollaxis", "np.exceptions.AxisError"),
        ("numpy_names_calculus.py", "gradient", "np.atleast_1d"),
        ("statistics.py", "percentile", "np.asarray"),
        ("statistics.py", "quantile", "np.any"),
        ("statistics.py", "quantile", "np.asarray"),
        ("statistics.py", "quantile", "np.floor"),
        ("statistics.py", "quantile", "np.minimum"),
    ],
    "not yet moved onto xp",
)

ALLOWED = {**HOST_ONLY, **NOT_YET_ON_XP, **NOT_YET_ON_XP_AUTOGRAD_NAMES}


def _numpy_calls():
    """(file, enclosing function, dotted call) for each NumPy call inside a function."""
    found = set()
    for path in sorted(PACKAGE.glob("*.py")):
        if path.name in SKIPPED_FILES:
            continue
        tree = ast.parse(path.read_text())
        for func in ast.walk(tree):
            if not isinstance(func, ast.FunctionDef | ast.Lambda):
                continue
            where = func.name if isinstance(func, ast.FunctionDef) else "<lambda>"
            for node in ast.walk(func):
                name = _dotted(node.func) if isinstance(node, ast.Call) else None
                if name and name.split(".")[0] in ("np", "numpy"):
                    if name.split(".")[1] not in VALUE_FREE:
                        found.add((path.name, where, name))
    return found


def _dotted(node):
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        return ".".join([node.id, *reversed(parts)])
    return None


def test_no_new_numpy_calls_in_forwards_and_rules():
    new = sorted(_numpy_calls() - set(ALLOWED))
    assert not new, "NumPy called directly (use xp, or allow with a reason):\n" + "\n".join(
        map(str, new)
    )


def test_every_allowed_call_still_exists():
    gone = sorted(set(ALLOWED) - _numpy_calls())
    assert not gone, "allowed but no longer there (remove from ALLOWED):\n" + "\n".join(
        map(str, gone)
    )
