"""What :func:`.paths.explain_backward` returns, and how it reads as text or Markdown.

An :class:`Explanation` holds the paths from the loss back to ``wrt``, each a list of
:class:`Factor` (one local derivative per op) and its contribution, the sum over paths,
and the gradient ``backward()`` computes. Text and Markdown say the same things in the
same order: the chain-rule product along each path (factors named
d(consumer)/d(input), each with its op's rule and, for scalars, its value; for arrays
the shapes it maps between and the gradient so far, with its norm), each path's
contribution, the sum over paths, and how that sum compares with the gradient
``backward()`` computes and with ``.grad``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from chainrule.viz.format import (
    as_array,
    join_wrapped,
    magnitude,
    norm,
    number,
    shape_text,
    table,
    wrap,
)

DEFAULT_SHOWN_PATHS = 12
MAX_FACTORS_SHOWN = 24
DOT = " \u00b7 "


@dataclass
class Factor:
    """One link of a path: d(consumer)/d(input) for the op ``op``."""

    consumer: str
    input: str
    op: str
    argnum: int
    rule: str | None  # the local derivative in words (from viz.labels)
    local: object  # its value, for a scalar-to-scalar link; else None
    out_shape: tuple
    in_shape: tuple
    cotangent: object  # d loss / d input along this path, after this link
    consumer_node: object = field(default=None, repr=False, compare=False)
    input_node: object = field(default=None, repr=False, compare=False)

    @property
    def symbol(self) -> str:
        return f"\u2202{self.consumer}/\u2202{self.input}"


@dataclass
class Path:
    factors: list[Factor]
    contribution: object

    @property
    def scalar(self) -> bool:
        return all(f.local is not None for f in self.factors)


@dataclass
class Explanation:
    """The result of :func:`.paths.explain_backward`; print it, or use ``to_markdown()``."""

    loss: str
    wrt: str
    wrt_shape: tuple
    paths: list[Path]
    n_paths: int  # all paths, including those not listed one by one
    rest: object  # the summed contribution of paths not enumerated (None if none)
    total: object  # d loss / d wrt, as backward() computes it
    grad: object  # wrt.grad when it was set, else None
    shown: int = DEFAULT_SHOWN_PATHS
    notes: list[str] = field(default_factory=list)
    keeps_grad: bool = True  # backward() stores wrt.grad (a leaf, or after retain_grad())

    @property
    def path_sum(self):
        """The sum of every path's contribution (what backward() should compute)."""
        return _sum_of(self.paths, self.rest)

    def __str__(self) -> str:
        return _text(self)

    def to_text(self) -> str:
        return str(self)

    def to_markdown(self) -> str:
        return _markdown(self)

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    def __repr__(self) -> str:
        return (
            f"<Explanation of \u2202{self.loss}/\u2202{self.wrt}: {self.n_paths} path(s), "
            f"total {magnitude(self.total)}>"
        )


def _sum_of(paths, rest):
    """The summed contributions of ``paths`` and of the ``rest`` (None: nothing)."""
    acc = None
    for p in paths:
        acc = p.contribution if acc is None else acc + p.contribution
    if rest is not None:
        acc = rest if acc is None else acc + rest
    return acc


# elementwise ops that broadcast their inputs: an input smaller than the output gets the
# cotangent summed over the axes it was stretched along
BROADCASTING = {
    "add", "subtract", "multiply", "safe_mul", "divide", "power", "float_power", "maximum",
    "minimum", "fmax", "fmin", "hypot", "arctan2", "logaddexp", "logaddexp2", "mod", "fmod",
    "where", "xlogy", "xlog1py", "clip",
}  # fmt: skip


def describe_factor(f: Factor) -> tuple[str, str, str]:
    """``(rule, value or shapes, gradient so far)`` for one factor, as text."""
    rule = f.rule or f"vjp of {f.op}"
    if f.op in BROADCASTING and tuple(f.in_shape) != tuple(f.out_shape):
        rule += ", summed over the broadcast axes"
    if f.local is not None:
        value = number(f.local)
    else:
        value = f"{shape_text(f.out_shape)} \u2190 {shape_text(f.in_shape)}"
    return rule, value, magnitude(f.cotangent)


def _d(num: str, den: str) -> str:
    return f"\u2202{num}/\u2202{den}"


def _symbols(path: Path) -> list[str]:
    syms = [f.symbol for f in path.factors]
    if len(syms) > MAX_FACTORS_SHOWN:
        k = MAX_FACTORS_SHOWN // 2
        syms = [*syms[:k], f"\u2026 ({len(syms) - 2 * k} more) \u2026", *syms[-k:]]
    return syms


def _product(path: Path, ex: Explanation) -> str:
    return f"{_d(ex.loss, ex.wrt)} = " + DOT.join(_symbols(path))


def _numbers(path: Path) -> str | None:
    if not path.scalar or len(path.factors) > MAX_FACTORS_SHOWN:
        return None
    return DOT.join(number(f.local) for f in path.factors)


def _head(path: Path) -> tuple[str, ...]:
    if path.scalar:
        return ("factor", "op", "local derivative", "value", "gradient so far")
    return ("factor", "op", "local derivative", "out \u2190 in", "\u2016gradient\u2016")


def _rows(path: Path) -> list[tuple[str, ...]]:
    rows = []
    for f in path.factors:
        rule, value, so_far = describe_factor(f)
        if not path.scalar:
            so_far = number(norm(f.cotangent), 4)
        rows.append((f.symbol, f.op, rule, value, so_far))
    if len(rows) > MAX_FACTORS_SHOWN:
        k = MAX_FACTORS_SHOWN // 2
        gap = ("\u2026", f"{len(rows) - 2 * k} more factors", "", "", "")
        rows = [*rows[:k], gap, *rows[-k:]]
    return rows


def _close(a, b) -> tuple[bool, float]:
    a, b = as_array(a), as_array(b)
    if a is None or b is None or a.shape != b.shape:
        return False, float("nan")
    diff = float(np.max(np.abs(a - b))) if a.size else 0.0
    scale = max(1.0, float(np.max(np.abs(b))) if b.size else 0.0)
    return diff <= 1e-9 * scale, diff


def _summary_lines(ex: Explanation) -> list[str]:
    lines = []
    total_paths = f"{ex.n_paths} path" + ("s" if ex.n_paths != 1 else "")
    lines.append(f"Sum over the {total_paths}:  {magnitude(ex.path_sum)}")
    ok, diff = _close(ex.path_sum, ex.total)
    mark = "\u2713 equal" if ok else "\u2717 NOT equal"
    lines.append(f"backward() computes:  {magnitude(ex.total)}   {mark} (max |diff| {diff:.2g})")
    if ex.grad is None and not ex.keeps_grad:
        lines.append(
            f"({ex.wrt} is an intermediate value, not a leaf: backward() keeps its gradient "
            f"in {ex.wrt}.grad only after {ex.wrt}.retain_grad().)"
        )
    elif ex.grad is None:
        lines.append(f"({ex.wrt}.grad is not set yet: {ex.loss}.backward() will put this there.)")
    else:
        ok, diff = _close(ex.grad, ex.total)
        if ok:
            lines.append(f"{ex.wrt}.grad:  {magnitude(ex.grad)}   \u2713 the same")
        else:
            lines.append(
                f"{ex.wrt}.grad:  {magnitude(ex.grad)}   differs: .grad adds up over "
                "backward() calls; set it to None before backward() to compare."
            )
    return lines


def _header(ex: Explanation) -> str:
    n = ex.n_paths
    paths = f"{n} path" + ("s" if n != 1 else "")
    shape = f" (shape {ex.wrt_shape})" if ex.wrt_shape else ""
    return (
        f"{_d(ex.loss, ex.wrt)} by the chain rule: {paths} from {ex.loss} back to "
        f"{ex.wrt}{shape}. Each path contributes the product of its local derivatives; "
        "the gradient is the sum over paths."
    )


def _hidden_note(ex: Explanation) -> str | None:
    listed = min(len(ex.paths), ex.shown)
    if ex.n_paths <= listed:
        return None
    acc = _sum_of(ex.paths[listed:], ex.rest)
    text = (
        f"The other {ex.n_paths - listed} paths are not listed; together they "
        f"contribute {magnitude(acc)}."
    )
    if ex.rest is not None:
        text += (
            f" (Only the first {len(ex.paths)} paths were followed one by one; the share "
            "of the rest is the total minus theirs, so the check below covers those only.)"
        )
    return text


def _text(ex: Explanation) -> str:
    out = [*wrap(_header(ex)), ""]
    for i, path in enumerate(ex.paths[: ex.shown], 1):
        lead = f"Path {i} of {ex.n_paths}:  {_d(ex.loss, ex.wrt)}"
        pad = " " * (len(lead) - 1)
        syms = _symbols(path)
        out += join_wrapped(f"{lead} = ", syms, DOT, pad + "  ")
        nums = _numbers(path)
        if nums is not None:
            out += join_wrapped(f"{pad}= ", nums.split(DOT), DOT, pad + "  ")
            if len(path.factors) > 1:
                out.append(f"{pad}= {number(path.contribution)}")
        out += table(_head(path), _rows(path))
        out.append(f"    contribution of this path: {magnitude(path.contribution)}")
        out.append("")
    note = _hidden_note(ex)
    if note:
        out += [*wrap(note), ""]
    for line in _summary_lines(ex):
        out += wrap(line, indent="    ")
    return "\n".join(out)


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|").replace("*", "\\*").replace("_", "\\_")


def _markdown(ex: Explanation) -> str:
    out = [f"**{_md_escape(_header(ex))}**", ""]
    for i, path in enumerate(ex.paths[: ex.shown], 1):
        out.append(f"**Path {i} of {ex.n_paths}:** {_md_escape(_product(path, ex))}")
        nums = _numbers(path)
        if nums is not None and len(path.factors) > 1:
            out.append(f"= {nums} = **{number(path.contribution)}**")
        elif nums is not None:
            out.append(f"= **{nums}**")
        out.append("")
        out.append("| " + " | ".join(_head(path)) + " |")
        out.append("|---|---|---|---|---|")
        for r in _rows(path):
            out.append("| " + " | ".join(_md_escape(c) for c in r) + " |")
        out.append("")
        out.append(f"Contribution of this path: {magnitude(path.contribution)}")
        out.append("")
    note = _hidden_note(ex)
    if note:
        out += [note, ""]
    out += [_md_escape(line) + "  " for line in _summary_lines(ex)]
    return "\n".join(out) + "\n"
