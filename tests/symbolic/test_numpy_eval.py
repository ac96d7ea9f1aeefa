"""The SymPy -> chainrule evaluator behind ``chainrule graph``: same values and
gradients as SymPy, and the ops a person would write."""

from __future__ import annotations

import math

import pytest

import chainrule as cr

sp = pytest.importorskip("sympy")

from chainrule import symbolic  # noqa: E402
from chainrule.symbolic.numpy_eval import evaluate  # noqa: E402

CASES = [
    "(3x+2)^2",
    "sin(x*y) + x^2/y - e^x",
    "sqrt(x) * ln(y) / (1 + x^2)",
    "tanh(2x - y) - cos x sin y",
    "x^y + 2^x - 1/x",
    "abs(x - 3y) + atan(x) + asinh(y)",
    "sec x + cot y + csc(x) + acot(y) + cosh(x) - sinh(y)",
    "log(x, 2) + log10(y) + cbrt(x) + pi x",
]


@pytest.mark.parametrize("text", CASES)
def test_values_and_gradients_match_sympy(text):
    expr = symbolic.parse(text)
    point = {"x": 0.7, "y": 1.3}
    names = sorted(str(s) for s in expr.free_symbols)
    inputs = {n: cr.tensor(point[n], dtype=cr.float64, requires_grad=True) for n in names}
    out = evaluate(expr, inputs)
    out.backward()
    subs = {s: point[str(s)] for s in expr.free_symbols}
    assert out.item() == pytest.approx(float(expr.evalf(subs=subs)), rel=1e-12)
    for s in expr.free_symbols:
        expected = float(sp.diff(expr, s).evalf(subs=subs))
        assert inputs[str(s)].grad.item() == pytest.approx(expected, rel=1e-10)


def _ops(t):
    from chainrule.core.reverse import toposort

    return [n.prim.name for n in reversed(toposort(t._node)) if n.prim is not None]


def test_the_ops_are_the_ones_a_person_writes():
    x = cr.tensor(1.0, requires_grad=True)
    y = cr.tensor(2.0, requires_grad=True)

    def ops(text):
        return _ops(evaluate(symbolic.parse(text), {"x": x, "y": y}))

    assert ops("(3x+2)^2") == ["multiply", "add", "power"]
    assert ops("x - y") == ["subtract"]
    assert ops("x / y") == ["divide"]
    assert ops("e^x") == ["exp"]
    assert ops("sqrt(x)") == ["sqrt"]
    assert ops("-x") == ["negative"]


def test_missing_value_names_the_variable():
    with pytest.raises(ValueError, match="no value for the variable y"):
        evaluate(symbolic.parse("x*y"), {"x": cr.tensor(1.0)})


def test_numbers_stay_constants():
    assert evaluate(symbolic.parse("2 pi"), {}) == pytest.approx(2 * math.pi)
