"""Batching rules (for ``vmap``): the shared moves and the rule shapes most primitives use.

A rule has the signature ``rule(prim, args, dims, kwargs) -> (out, out_dim)`` described
in :mod:`chainrule.core.batching`. The usual move is to bring every batch axis to the
front, where NumPy's broadcasting and its stacks of matrices already do the right
thing, and to shift the ``axis`` arguments by one. With the batch axis in front a
negative axis needs no change: it counts from the end, where nothing moved.

Shapes here (rules of one primitive are in ``batching_arrays``, ``batching_products``):

* :func:`elementwise`: broadcasting ops; each batched argument gets its batch axis in
  front and the missing dimensions after it, so it lines up with the others;
* :func:`same_layout`: ops of one array whose output keeps its input's layout
  (``astype``, ``round``) — the batch axis stays where it is;
* :func:`along_axes`: reductions and ops along an ``axis`` (``sum``, ``softmax``,
  ``cumsum``, ``argmax``); ``axis=None`` means every axis, or for the ops that flatten
  first (``argmax``, ``argsort``, ``cumsum``), each example flattened;
* :func:`stacked`: linear algebra on the last two axes, which NumPy maps over leading
  axes by itself;
* :func:`loop`: one call per example, stacked. It is used only where :data:`LOOPED`
  says, each with the reason no vectorised form exists.
"""

from __future__ import annotations

import functools
import inspect
import operator

from chainrule.core.batching import ONE_OFF, batch_rules
from chainrule.core.trace import unbox_all
from chainrule.primitives._helpers import broadcast_to_p, reshape_p, shape_of, tuple_getitem_p
from chainrule.primitives.indexing import getitem_p
from chainrule.primitives.joining import stack
from chainrule.primitives.shape import transpose_p

# the key of LOOPED for the rules wrapped by _loop_if_parameter_batched
BATCHED_PARAMETER = "<a batched parameter>"
# Where a loop over the examples batches a primitive, and why (the rule of each calls
# ``loop`` in that case only).
LOOPED = {
    "convolve_full": (
        "when both arguments are batched: SciPy's convolve has no stack of convolutions "
        "(one batched argument is vectorised, see batching_arrays)"
    ),
    ONE_OFF: (
        "custom_vjp / custom_jvp / checkpoint calls: their rules are the user's functions "
        "of one example, so each example is called with them"
    ),
    "odeint": (
        "the right-hand side is the user's function of one state: SciPy integrates one "
        "system per call, so each example is integrated with its own"
    ),
    **{
        name: (
            "SciPy's forward: stacks of matrices need SciPy 1.15 or later, and chainrule "
            "supports SciPy from 1.10"
        )
        for name in ("solve_triangular", "solve_sylvester", "sqrtm")
    },
    BATCHED_PARAMETER: (
        "a batched value where a rule expects a setting of one example (full_like's "
        "fill_value): each example is called with its own"
    ),
}


def defbatch(rule, *names: str) -> None:
    """Register ``rule`` as the batching rule of each primitive in ``names``."""
    for name in names:
        if name in batch_rules:
            raise ValueError(f"primitive {name!r} already has a batching rule")
        batch_rules[name] = rule


# -- moves -------------------------------------------------------------------------------
def move_axis(x, src: int, dst: int):
    """``x`` with its axis ``src`` moved to position ``dst``."""
    if src == dst:
        return x
    perm = list(range(len(shape_of(x))))
    perm.insert(dst, perm.pop(src))
    return transpose_p(x, axes=tuple(perm))


def to_front(x, d: int | None):
    """``x`` with its batch axis ``d`` first (an unbatched ``x`` unchanged)."""
    return x if d is None else move_axis(x, d, 0)


def batch_size(args, dims) -> int:
    return next(shape_of(a)[d] for a, d in zip(args, dims) if d is not None)


def materialize(x, d: int | None, size: int):
    """``x`` with a batch axis first: an unbatched ``x`` repeated ``size`` times
    (a broadcast view, no copy)."""
    if d is not None:
        return to_front(x, d)
    shape = shape_of(x)
    return broadcast_to_p(reshape_p(x, shape=(1, *shape)), shape=(size, *shape))


def expand_rank(x, rank: int):
    """A batched-first ``x`` with 1s inserted after the batch axis up to ``rank``
    dimensions per example, so that it broadcasts against arrays of that rank."""
    shape = shape_of(x)
    if len(shape) - 1 >= rank:
        return x
    return reshape_p(x, shape=(shape[0],) + (1,) * (rank - len(shape) + 1) + shape[1:])


def logical_rank(x, d: int | None) -> int:
    return len(shape_of(x)) - (d is not None)


def aligned(args, dims) -> tuple[list, int]:
    """The arguments with every batch axis first and ranks lined up for broadcasting;
    and the rank of one example of the result."""
    rank = max((logical_rank(a, d) for a, d in zip(args, dims)), default=0)
    out = [a if d is None else expand_rank(to_front(a, d), rank) for a, d in zip(args, dims)]
    return out, rank


def shift_axis(axis, rank: int):
    """An ``axis`` argument of one example, for its batch with the batch axis first;
    ``None`` (every axis) becomes every axis but the batch's."""
    if axis is None:
        return tuple(range(1, rank + 1))
    if isinstance(axis, (tuple, list)):
        return tuple(shift_axis(a, rank) for a in axis)
    a = operator.index(axis)
    return a + 1 if a >= 0 else a


@functools.cache
def _signature(prim) -> inspect.Signature:
    """The signature of ``prim``'s forward (its first parameter is the namespace)."""
    return inspect.signature(prim.impl)


def parameters(prim, args, kwargs, n_arrays: int) -> dict:
    """The parameters of a call after its first ``n_arrays`` (given positionally or by
    name, defaults filled in), by name."""
    sig = _signature(prim)
    bound = sig.bind(None, *args, **kwargs)
    bound.apply_defaults()
    names = tuple(sig.parameters)[1 + n_arrays :]
    return {k: bound.arguments[k] for k in names}


# -- rule shapes -------------------------------------------------------------------------
def loop(prim, args, dims, kwargs):
    """One call per example, stacked along a new first axis (see :data:`LOOPED`)."""
    results = []
    for i in range(batch_size(args, dims)):
        one = [
            a if d is None else getitem_p(a, index=(slice(None),) * d + (i,))
            for a, d in zip(args, dims)
        ]
        results.append(prim(*one, **kwargs))
    if not prim.multiple_results:
        return stack(results), 0
    n = len(unbox_all(results[0]))
    return tuple(stack([tuple_getitem_p(r, k) for r in results]) for k in range(n)), 0


def _loop_if_parameter_batched(rule, n_arrays: int):
    """``rule``, unless a parameter after the first ``n_arrays`` is batched: then
    :func:`loop` (a batched ``fill_value``, ``shift``, ``n``...)."""

    @functools.wraps(rule)
    def checked(prim, args, dims, kwargs):
        if any(d is not None for d in dims[n_arrays:]):
            return loop(prim, args, dims, kwargs)
        return rule(prim, args, dims, kwargs)

    return checked


def elementwise(prim, args, dims, kwargs):
    """Broadcasting ops: line the batch axes up in front."""
    return prim(*aligned(args, dims)[0], **kwargs), 0


def _same_layout(prim, args, dims, kwargs):
    return prim(*args, **kwargs), dims[0]


# ops of one array whose output has the input's layout (``astype``, ``round``)
same_layout = _loop_if_parameter_batched(_same_layout, 1)


def _stacked(prim, args, dims, kwargs):
    size = batch_size(args, dims)
    return prim(*(materialize(a, d, size) for a, d in zip(args, dims)), **kwargs), 0


# ops on the last axes that NumPy maps over leading axes (inv, det, eigh, qr, ...)
stacked = _loop_if_parameter_batched(_stacked, 1)


def along_axes(name: str = "axis", n_arrays: int = 1, flatten_none: bool = False):
    """Ops along the axes named by parameter ``name``; ``flatten_none``: ``None``
    flattens each example (``argmax``) instead of naming every axis (``sum``)."""

    def rule(prim, args, dims, kwargs):
        arrays, rank = aligned(args[:n_arrays], dims[:n_arrays])
        params = parameters(prim, args, kwargs, n_arrays)
        axis = params[name]
        if axis is None and flatten_none:
            size = batch_size(args, dims)
            arrays = [reshape_p(a, shape=(size, -1)) for a in arrays]
            params[name] = 1
            out = prim(*arrays, **params)
            if params.get("keepdims"):
                out = reshape_p(out, shape=(size,) + (1,) * rank)
            return out, 0
        params[name] = shift_axis(axis, rank)
        return prim(*arrays, **params), 0

    return _loop_if_parameter_batched(rule, n_arrays)


def _tuple_getitem(prim, args, dims, kwargs):
    res, i = args
    if isinstance(res, tuple):  # the stacked results of a loop
        return res[i], dims[0]
    return prim(res, i), dims[0]


defbatch(loop, ONE_OFF, "odeint", "solve_triangular", "solve_sylvester", "sqrtm")
defbatch(_tuple_getitem, "tuple_getitem")
defbatch(
    elementwise,
    *"safe_mul real conj imag stop_gradient where maximum minimum fmax fmin clip".split(),
    *"add subtract multiply divide negative positive mod fmod power float_power".split(),
    *"square reciprocal sqrt cbrt absolute exp exp2 expm1 log log2 log10 log1p".split(),
    *"logaddexp logaddexp2 sin cos tan arcsin arccos arctan arctan2 hypot".split(),
    *"deg2rad rad2deg sinc sinh cosh tanh arcsinh arccosh arctanh".split(),
    *"sign floor ceil rint trunc fix floor_divide greater greater_equal less".split(),
    *"less_equal equal not_equal logical_and logical_or logical_xor logical_not".split(),
    *"isnan isinf isfinite signbit".split(),
    *"erf erfc erfinv gammaln digamma polygamma expit logit xlogy xlog1py".split(),
    *"erfcinv ndtri log_ndtr gamma rgamma gammasgn beta betaln betainc gammainc".split(),
    *"gammaincc stdtr i0 i1 iv ive j0 j1 jv y0 y1 yv".split(),
)
defbatch(same_layout, "astype", "round", "nan_to_num")
defbatch(along_axes(), "sum", "prod", "max", "min", "count_nonzero", "all", "any")
defbatch(along_axes(), "softmax", "log_softmax", "vector_norm", "flip")
defbatch(along_axes(n_arrays=2), "logsumexp")
defbatch(along_axes(flatten_none=True), "argmax", "argmin", "argsort", "cumsum", "cumprod")
defbatch(stacked, "inv", "pinv", "matrix_rank", "cholesky", "eigh", "eigvalsh", "qr", "svd")
defbatch(stacked, "svdvals", "det", "slogdet", "sliding_windows", "eig")
