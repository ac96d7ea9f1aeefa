"""How modules print: PyTorch's nested layout, one child per line, indented under its
parent (``Sequential(\\n  (0): Linear(...)\\n)``), and ``ModuleList``'s folding of a
run of identical entries into one line (``(0-2): 3 x Linear(...)``)."""

from __future__ import annotations

__all__ = ["module_repr", "module_list_repr"]


def _indent(text: str, spaces: int) -> str:
    """Indent every line of ``text`` but the first (which follows a ``(name): ``)."""
    lines = text.split("\n")
    if len(lines) == 1:
        return text
    return lines[0] + "\n" + "\n".join(" " * spaces + line for line in lines[1:])


def module_repr(module) -> str:
    """``Name(extra)`` for a leaf, or ``Name(`` with ``extra_repr``'s lines and then a
    line per child, each indented by two spaces, and ``)``."""
    extra = module.extra_repr()
    lines = extra.split("\n") if extra else []
    for name, child in module._modules.items():
        lines.append(f"({name}): " + _indent(repr(child), 2))
    main = module._get_name() + "("
    if lines:
        if len(lines) == 1 and not module._modules:
            main += lines[0]
        else:
            main += "\n  " + "\n  ".join(lines) + "\n"
    return main + ")"


def module_list_repr(modules) -> str:
    """A ``ModuleList``'s repr: like :func:`module_repr`, with each run of entries whose
    reprs are equal shown once, as ``(first-last): count x repr``."""
    if not modules._modules:
        return modules._get_name() + "()"
    runs: list[list] = []  # [first index, last index, repr]
    for i, module in enumerate(modules):
        text = repr(module)
        if runs and runs[-1][2] == text:
            runs[-1][1] = i
        else:
            runs.append([i, i, text])
    lines = []
    for first, last, text in runs:
        if first == last:
            lines.append(_indent(f"({first}): {text}", 2))
        else:
            lines.append(_indent(f"({first}-{last}): {last - first + 1} x {text}", 2))
    return modules._get_name() + "(\n  " + "\n  ".join(lines) + "\n)"
