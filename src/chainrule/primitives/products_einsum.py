"""``einsum``: Einstein summation with NumPy's subscripts, and its rules.

The public function first rewrites the subscripts into a canonical explicit form:
``...`` becomes fresh letters (aligned from the right, as broadcasting does) and an
implicit output is spelled out (NumPy's rule: ``...`` first, then the labels used once,
sorted). The primitive only ever sees that form.

The VJP for operand ``i`` is itself an einsum, built by swapping operand ``i``'s
subscripts with the output's: ``g`` and the other operands contract to ``i``'s labels.
Two cases need help from constant operands: a label repeated in operand ``i``
(``ii->i``, a diagonal) gets a fresh copy tied to it by an identity matrix, and a label
that only operand ``i`` carries (summed by it alone, or broadcast from size 1) is
spread back with a vector of ones. Size-1 (broadcast) axes are then summed back by
``unbroadcast``. The JVP is the sum of the einsums with one operand replaced by its
tangent.
"""

from __future__ import annotations

import string
from collections import Counter

import numpy as np

from chainrule.core.primitive import defprimitive
from chainrule.primitives._args import as_array, reject_out
from chainrule.primitives._helpers import dtype_of, namespace_of, shape_of, unbroadcast

__all__ = ["einsum"]

LETTERS = string.ascii_letters  # einsum's labels


def _interleaved_to_subscripts(args):
    """einsum(op0, sublist0, op1, sublist1, ..., [out]) -> ("ab,bc->ac", ops)."""

    def term(sub):
        out = []
        for s in sub:
            if s is Ellipsis:
                out.append("...")
            elif isinstance(s, int | np.integer) and 0 <= s < 52:
                out.append(LETTERS[26 + s] if s < 26 else LETTERS[s - 26])
            else:
                raise ValueError(f"einsum: subscript {s!r} is not an int in [0, 52) or ...")
        return "".join(out)

    args = list(args)
    out = term(args.pop()) if len(args) % 2 == 1 else None
    ops = args[0::2]
    subs = ",".join(term(s) for s in args[1::2])
    return (subs if out is None else f"{subs}->{out}"), ops


def _parse(subscripts: str, n_operands: int) -> tuple:
    """The operand terms, the output term and whether it was given (``->``), checked for
    NumPy's syntax."""
    s = subscripts.replace(" ", "")
    if s.count("->") > 1:
        raise ValueError(f"einsum: subscripts {subscripts!r} contain more than one '->'")
    lhs, arrow, out = s.partition("->")
    terms = lhs.split(",")
    if len(terms) != n_operands:
        raise ValueError(
            f"einsum: subscripts {subscripts!r} name {len(terms)} operand(s) but "
            f"{n_operands} were given"
        )
    for t in terms + ([out] if arrow else []):
        bad = [c for c in t.replace("...", "", 1) if c not in LETTERS]
        if bad:
            raise ValueError(
                f"einsum: invalid subscript character(s) {''.join(bad)!r} in {subscripts!r}"
                " (use letters, and '...' at most once per operand)"
            )
    return terms, out, bool(arrow)


def _expand_ellipses(terms, out, shapes) -> tuple:
    """``...`` in each term replaced by fresh letters, aligned from the right as
    broadcasting does; returns the terms and the letters of the longest ``...``."""
    used = set("".join(terms).replace(".", "")) | set(out.replace(".", ""))
    fresh = (c for c in LETTERS if c not in used)
    n_ell = []
    for i, (t, shape) in enumerate(zip(terms, shapes, strict=True)):
        n_named = len(t.replace("...", ""))
        k = len(shape) - n_named if "..." in t else 0
        if k < 0 or ("..." not in t and n_named != len(shape)):
            raise ValueError(
                f"einsum: operand {i} has shape {tuple(shape)} but its subscripts {t!r} "
                f"name {n_named} axes"
            )
        n_ell.append(k)
    n = max(n_ell, default=0)
    try:
        ell = "".join(next(fresh) for _ in range(n))
    except RuntimeError:  # pragma: no cover - StopIteration inside a generator
        raise ValueError("einsum: too many axes for the 52 available labels") from None
    return [t.replace("...", ell[n - k :]) for t, k in zip(terms, n_ell, strict=True)], ell


def _output(subscripts, terms, out, explicit, ell) -> str:
    """The output term with its ``...`` expanded, or NumPy's implicit output: ``...``
    first, then the labels used once, sorted."""
    if not explicit:
        counts = Counter("".join(terms))
        return ell + "".join(sorted(c for c, m in counts.items() if m == 1 and c not in ell))
    if "..." in out:
        out = out.replace("...", ell)
    elif ell:
        raise ValueError(
            f"einsum: {subscripts!r}: the operands have '...' axes but the output "
            "has no '...' to hold them"
        )
    if len(set(out)) != len(out):
        raise ValueError(f"einsum: output subscripts {out!r} repeat a label")
    missing = set(out) - set("".join(terms))
    if missing:
        raise ValueError(
            f"einsum: output label(s) {''.join(sorted(missing))!r} appear in no operand"
        )
    return out


def _check_sizes(terms, shapes) -> None:
    """Each label has one size in every operand (or 1, which broadcasts)."""
    sizes: dict[str, int] = {}
    for i, (t, shape) in enumerate(zip(terms, shapes, strict=True)):
        for c, d in zip(t, shape, strict=True):
            if sizes.get(c, 1) != 1 and d != 1 and sizes[c] != d:
                raise ValueError(
                    f"einsum: label {c!r} has size {sizes[c]} in one operand and {d} in "
                    f"operand {i} (shapes {[tuple(s) for s in shapes]})"
                )
            sizes[c] = max(sizes.get(c, 1), d)


def _canonical_subscripts(subscripts: str, shapes) -> str:
    """Explicit, letters-only subscripts: ``...`` replaced by fresh letters (aligned
    from the right, as broadcasting does) and the implicit output made explicit."""
    terms, out, explicit = _parse(subscripts, len(shapes))
    terms, ell = _expand_ellipses(terms, out, shapes)
    out = _output(subscripts, terms, out, explicit, ell)
    _check_sizes(terms, shapes)
    return ",".join(terms) + "->" + out


def _split_subscripts(subscripts):
    lhs, _, out = subscripts.partition("->")
    return lhs.split(","), out


def _einsum_transpose(g, ops, i, subscripts):
    """Cotangent of operand ``i``: the einsum with ``i``'s subscripts as the output."""
    terms, out = _split_subscripts(subscripts)
    target = terms[i]
    shape_i = shape_of(ops[i])
    dtype = dtype_of(g)
    xp = namespace_of(g)
    fresh = (c for c in LETTERS if c not in set(subscripts))
    new_terms, operands = [out], [g]
    for j, op in enumerate(ops):
        if j != i:
            new_terms.append(terms[j])
            operands.append(op)
    sizes: dict[str, int] = {}
    for t, op in zip(new_terms, operands, strict=True):
        for c, d in zip(t, shape_of(op), strict=True):
            sizes[c] = max(sizes.get(c, 1), d)
    result, seen = [], set()
    for c, d in zip(target, shape_i, strict=True):
        if c in seen:
            # a repeated label (a diagonal, 'ii'): tie the copy to the first one
            f = next(fresh)
            new_terms.append(c + f)
            operands.append(xp.eye(d, dtype=dtype))
            result.append(f)
            continue
        seen.add(c)
        result.append(c)
        if sizes.get(c, 1) != d and d != 1:
            # summed by operand i alone (or broadcast from size 1): spread with ones
            new_terms.append(c)
            operands.append(xp.ones(d, dtype=dtype))
            sizes[c] = d
    sub = ",".join(new_terms) + "->" + "".join(result)
    # NumPy's contraction planner costs a few microseconds but routes big contractions
    # to BLAS: worth it for three or more operands, or for a large loop nest.
    work = int(np.prod([max(sizes.get(c, 1), d) for c, d in zip(target, shape_i, strict=True)]))
    work *= int(np.prod([n for c, n in sizes.items() if c not in target]))
    optimize = "greedy" if len(operands) > 2 or work > 10_000 else False
    return einsum_p(*operands, subscripts=sub, optimize=optimize)


def _einsum_vjp_joint(argnums, ans, *ops, subscripts, optimize):
    def pull(g):
        return [unbroadcast(_einsum_transpose(g, ops, i, subscripts), ops[i]) for i in argnums]

    return pull


def _einsum_jvp_joint(gs, ans, *ops, subscripts, optimize):
    out = None
    for i, g in enumerate(gs):
        if g is None:
            continue
        args = list(ops)
        args[i] = g
        term = einsum_p(*args, subscripts=subscripts, optimize=optimize)
        out = term if out is None else out + term
    return out


# einsum takes any number of operands, so its rules are the joint forms (one rule
# covering every operand position).
einsum_p = defprimitive(
    "einsum",
    lambda xp, *ops, subscripts, optimize: xp.einsum(subscripts, *ops, optimize=optimize),
    vjp_joint=_einsum_vjp_joint,
    jvp_joint=_einsum_jvp_joint,
)


def einsum(*operands, out=None, dtype=None, order="K", casting="safe", optimize=False):
    """Einstein summation, with NumPy's subscripts (``'ij,jk->ik'``, ``'ii->i'``,
    ``'...ij,...jk'``) or its interleaved operand/sublist form."""
    reject_out("einsum", out)
    if dtype is not None or order != "K" or casting != "safe":
        raise TypeError("einsum: dtype=, order= and casting= are not supported")
    if not operands:
        raise TypeError("einsum: no subscripts given")
    if isinstance(operands[0], str):
        subscripts, ops = operands[0], operands[1:]
    else:
        subscripts, ops = _interleaved_to_subscripts(operands)
    if not isinstance(optimize, bool | str):
        raise TypeError(
            "einsum: optimize must be True, False, 'greedy' or 'optimal' (explicit "
            "contraction paths are not supported)"
        )
    ops = tuple(as_array(o) for o in ops)
    canonical = _canonical_subscripts(subscripts, [shape_of(o) for o in ops])
    return einsum_p(*ops, subscripts=canonical, optimize=optimize)
