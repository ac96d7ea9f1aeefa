"""Argument handling and rule constants shared by the linalg modules (``linalg_solve``,
``linalg_decomp``, ``linalg_det``, ``linalg_norms``, ``linalg``). Nothing here is a
record: the rules are written with chainrule's own ops (``matmul``, ``mT``, ``solve``,
...), so they differentiate again.
"""

from __future__ import annotations

import numpy as np

from chainrule.core.reverse import ReverseBox, ReverseTrace, RootNode, backward_pass
from chainrule.core.trace import is_boxed, new_trace
from chainrule.primitives._args import contains_box
from chainrule.primitives._helpers import conj_p, dtype_of, namespace_of, real_p, shape_of
from chainrule.primitives.creation import asarray
from chainrule.primitives.shape import mT

LinAlgError = np.linalg.LinAlgError  # a ValueError subclass, as in NumPy


# -- constants in rules -------------------------------------------------------------------
def floating_dtype(x):
    """The floating dtype that constants in a rule about ``x`` must have (float32 rules
    stay float32: a float64 identity matrix would promote every product)."""
    dt = dtype_of(x)
    return dt if dt.kind in "fc" else np.dtype(np.float64)


def zeros_for(shape, like):
    """A zero cotangent/tangent of ``shape`` in ``like``'s floating dtype."""
    return namespace_of(like).zeros(shape, floating_dtype(like))


def eye_for(n, like):
    """The ``n x n`` identity in ``like``'s floating dtype."""
    return namespace_of(like).eye(n, dtype=floating_dtype(like))


def mH(x):
    """The batched conjugate transpose (the plain transpose of a real matrix)."""
    return conj_p(mT(x)) if dtype_of(x).kind == "c" else mT(x)


# -- complex rules: the VJP as the transpose of the JVP -----------------------------------
def transposed_jvp(jvp_rule, a, zero_tangent):
    """The VJP ``g -> Ā`` that is the adjoint of the linear map ``dA -> jvp_rule(dA)``
    under the pairing ``Re(sum(x * y))`` (autograd's complex convention), found by
    running reverse mode through the JVP once. The JVP is written with chainrule's ops,
    so the result differentiates again. ``jvp_rule`` may return a tuple of tangents
    (one per result); ``None`` among the cotangents counts as zero."""
    with new_trace(ReverseTrace) as trace:
        t = trace.new_input(zero_tangent)
        outs = jvp_rule(t)
    single = not isinstance(outs, tuple)
    outs = (outs,) if single else outs

    def pull(g):
        gs = (g,) if single else g
        parents, cts = [], []
        for out, ct in zip(outs, gs):
            if ct is not None and isinstance(out, ReverseBox) and out._trace is trace:
                parents.append(out._node)
                cts.append(ct)
        found = {}

        def visit(node, ct):
            if node is t._node:
                found["a"] = ct

        if parents:
            backward_pass(RootNode(parents), cts, visit=visit)
        ct = found.get("a")
        if ct is None:
            return zeros_for(shape_of(a), a)
        if dtype_of(ct).kind == "c" and dtype_of(a).kind != "c":
            ct = real_p(ct)  # a real input's cotangent is real
        return ct

    return pull


# -- argument handling for the public functions -----------------------------------------
def matrix_operand(a, cast_int=True, complex_ok=False):
    """Array-likes become arrays (integers become float64, as in NumPy's decompositions
    and solvers; ``cast_int=False`` keeps them for the products that NumPy computes in
    the input's dtype); traced values and Tensors pass through. Traced complex matrices
    are refused unless ``complex_ok`` (the function's rules handle them). A list or
    tuple holding traced values is stacked into one traced array."""
    if isinstance(a, list | tuple) and contains_box(a):
        a = asarray(a)
    if is_boxed(a):
        if dtype_of(a).kind == "c" and not complex_ok:
            raise NotImplementedError(
                "chainrule.numpy.linalg: derivatives of complex matrices are not supported "
                "(the rules are written for real inputs)"
            )
        return a
    a = np.asarray(a)
    if cast_int and a.dtype.kind in "biu":
        a = a.astype(np.float64)
    return a


def check_matrix(a, name, square=True):
    shape = shape_of(a)
    if len(shape) < 2:
        raise LinAlgError(f"{name}: expected an array of at least 2 dimensions, got shape {shape}")
    if square and shape[-1] != shape[-2]:
        raise LinAlgError(f"{name}: the last 2 dimensions must be square, got shape {shape}")


def static_float(v, name):
    """A tolerance argument as a Python float (it is static: not differentiable)."""
    if v is None:
        return None
    if np.ndim(v) != 0:
        raise NotImplementedError(f"{name} must be a scalar in chainrule, got an array")
    return float(v)
