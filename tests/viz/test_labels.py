"""viz's label table (symbol and local derivative per primitive): coverage of the
registered primitives."""

from __future__ import annotations

import chainrule  # noqa: F401  (registers the primitives)
from chainrule.core.primitive import registry
from chainrule.viz import labels

# the ops a learner meets first (scalar functions, the network's building blocks)
# must have their own symbol and local derivative; the rest may use the fallback
REQUIRED = {
    "add", "subtract", "multiply", "divide", "power", "negative", "sqrt", "exp", "log",
    "sin", "cos", "tan", "tanh", "sinh", "cosh", "arcsin", "arccos", "arctan", "absolute",
    "square", "reciprocal", "maximum", "minimum", "where", "clip", "matmul", "transpose",
    "sum", "max", "reshape", "getitem", "broadcast_to", "log_softmax", "softmax",
    "logsumexp", "expit",
}  # fmt: skip


def fallback_primitives() -> set[str]:
    """Registered primitives drawn with their NumPy name and "vjp of <name>"."""
    return {name for name in registry if labels.uses_fallback(name)}


def test_fallback_list():
    missing = fallback_primitives()
    print("primitives drawn with the generic fallback:", sorted(missing))
    assert not (REQUIRED & missing), sorted(REQUIRED & missing)
    assert REQUIRED <= set(registry), sorted(REQUIRED - set(registry))
    # piecewise-constant ops have no local derivative worth a formula; everything
    # differentiable is expected to have one, so say which still lack it
    lacking = sorted(n for n in missing if not registry[n].zero_derivative)
    assert len(lacking) <= 12, f"add these to viz/labels.py: {lacking}"


def test_every_entry_names_a_symbol_and_real_primitives():
    for name, (sym, rules) in labels.LABELS.items():
        assert sym and isinstance(rules, tuple), name
    assert labels.symbol("multiply") == "×"
    assert labels.symbol("not_a_primitive") == "not_a_primitive"
    assert labels.local_derivative("tanh", 0) == "1 − tanh²(u)"
    assert labels.local_derivative("tanh", 1) is None
