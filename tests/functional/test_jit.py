"""``jit`` and ``make_program``: the printed program, the cache of compiled programs,
errors for Python decisions on traced values, composition with the other transforms,
pytrees, and the passes (shared subexpressions, dead code)."""

from __future__ import annotations

import inspect
from collections import namedtuple

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp
from chainrule.core.staging import ConcretizationError


def _x(n=3, seed=0):
    return np.random.default_rng(seed).uniform(-1, 1, n)


def _same(a, b):
    np.testing.assert_array_equal(np.asarray(a), np.asarray(b), strict=True)


# -- make_program ---------------------------------------------------------------------------
def test_make_program_prints_the_equations():
    program = cr.make_program(lambda a, b: cnp.sin(a * b))(np.ones(3), np.ones(3))
    assert str(program) == (
        "{ lambda ; a:f64[3] b:f64[3]. let\n"
        "    c:f64[3] = multiply a b\n"
        "    d:f64[3] = sin c\n"
        "  in (d) }"
    )


def test_make_program_of_a_gradient_records_the_backward_pass():
    f = cr.grad(lambda x: cnp.sum(cnp.sin(x)))
    program = cr.make_program(f)(np.ones(2))
    names = [e.prim.name for e in program.eqns]
    assert names[:2] == ["sin", "sum"]  # the forward pass ...
    assert "cos" in names  # ... then d sin = cos from the rule
    optimized = cr.make_program(f, optimized=True)(np.ones(2))
    assert [e.prim.name for e in optimized.eqns] == ["cos", "multiply"]  # sin, sum unused


def test_program_with_scalars_and_constants():
    program = cr.make_program(lambda x: 2.0 * x + np.arange(2.0))(np.ones(2))
    text = str(program)
    assert "multiply 2.0 a" in text
    assert "add b const:f64[2]" in text


# -- jit: values, cache, static arguments ----------------------------------------------------
def elementwise(x, y):
    h = x
    for _ in range(3):
        h = cnp.exp(cnp.sin(h * y) + x)
    return cnp.sum(h)


def test_jit_equals_eager_bit_for_bit():
    x, y = _x(), _x(seed=1)
    f = cr.jit(elementwise)
    for seed in range(3):  # the first call traces, the others replay
        x, y = _x(seed=seed), _x(seed=seed + 10)
        _same(f(x, y), elementwise(x, y))
    g = cr.grad(elementwise, argnums=(0, 1))
    jg = cr.jit(g)
    for seed in range(3):
        x, y = _x(seed=seed), _x(seed=seed + 10)
        for a, b in zip(jg(x, y), g(x, y)):
            _same(a, b)
    assert f.cache_size() == jg.cache_size() == 1


def test_new_shape_dtype_or_type_retraces():
    f = cr.jit(lambda x: cnp.tanh(x) * 2)
    f(np.ones(3))
    f(np.zeros(3))
    assert f.cache_size() == 1
    _same(f(np.ones(4)), np.tanh(np.ones(4)) * 2)
    _same(f(np.ones(4, np.float32)), np.tanh(np.ones(4, np.float32)) * 2)
    _same(f(0.5), np.tanh(0.5) * 2)
    assert f.cache_size() == 4


def test_static_arguments_steer_python_control_flow():
    def power(x, n, *, mode="mul"):
        out = x
        for _ in range(n - 1):
            out = out * x if mode == "mul" else out + x
        return out

    f = cr.jit(power, static_argnums=1, static_argnames="mode")
    x = _x()
    _same(f(x, 3), x * x * x)
    _same(f(x, 2), x * x)
    _same(f(x, 3, mode="add"), x + x + x)
    _same(f(_x(seed=5), 3), _x(seed=5) ** 1 * _x(seed=5) * _x(seed=5))
    assert f.cache_size() == 3


def test_unhashable_static_argument_is_refused():
    f = cr.jit(lambda x, n: x * len(n), static_argnums=1)
    with pytest.raises(TypeError, match="static argument 1 must be hashable"):
        f(np.ones(2), [1, 2])


def test_pytrees_in_and_out():
    Point = namedtuple("Point", "x y")

    def f(params, inputs):
        w, b = params["w"], params["b"]
        out = cnp.tanh(inputs.x @ w + b)
        return {"out": out, "norm": cnp.sum(out**2), "pair": (out[0], inputs.y)}

    params = {"w": np.ones((3, 2)), "b": np.zeros(2)}
    inputs = Point(np.arange(6.0).reshape(2, 3), 4.0)
    got, want = cr.jit(f)(params, inputs), f(params, inputs)
    assert set(got) == set(want)
    for key in ("out", "norm"):
        _same(got[key], want[key])
    assert isinstance(got["pair"], tuple)
    _same(got["pair"][0], want["pair"][0])
    g = cr.jit(cr.grad(lambda p, i: f(p, i)["norm"]))(params, inputs)
    for key in ("w", "b"):
        _same(g[key], cr.grad(lambda p, i: f(p, i)["norm"])(params, inputs)[key])


def test_returning_an_input_or_a_constant():
    f = cr.jit(lambda x: (x, 3.0, np.arange(2)))
    x = np.ones(2)
    out = f(x)
    assert out[0] is x and out[1] == 3.0
    _same(out[2], np.arange(2))


# -- errors: Python decisions on traced values -----------------------------------------------
def _line_of(fun, text):
    lines, start = inspect.getsourcelines(fun)
    return start + next(i for i, line in enumerate(lines) if text in line)


def branchy(x):
    if x > 0:  # a decision on a traced value
        return x
    return -x


def floaty(x):
    return float(x) * 2


def loopy(x, n):
    for _ in range(n):
        x = x * 2
    return x


@pytest.mark.parametrize(
    "fun, args, what, text",
    [
        (branchy, (1.0,), "bool()", "if x > 0"),
        (floaty, (np.float64(1.0),), "float()", "float(x)"),
        (loopy, (1.0, 3), "use as an index", "range(n)"),
    ],
)
def test_python_decisions_on_traced_values_name_the_line(fun, args, what, text):
    with pytest.raises(ConcretizationError) as info:
        cr.jit(fun)(*args)
    message = str(info.value)
    assert what in message
    assert f"test_jit.py:{_line_of(fun, text)}" in message
    assert "cnp.where" in message and "static_argnums" in message


def test_decision_under_grad_inside_jit_is_refused_too():
    with pytest.raises(ConcretizationError, match="bool()"):
        cr.jit(cr.grad(branchy))(1.0)


def test_where_is_the_jittable_branch():
    f = cr.jit(lambda x: cnp.where(x > 0, x, -x))
    _same(f(np.array([-1.0, 2.0])), np.array([1.0, 2.0]))
    _same(f(np.array([3.0, -4.0])), np.array([3.0, 4.0]))


def test_library_decisions_are_guarded_and_fall_back():
    f = cr.jit(lambda x, i: x[i])  # an index array is read while tracing
    x = np.arange(5.0)
    _same(f(x, np.array([1, 2])), x[[1, 2]])
    assert f.fallbacks == 0
    _same(f(x, np.array([3, 4])), x[[3, 4]])  # another index: the guard sends it eager
    assert f.fallbacks == 1


def test_closing_over_an_outer_traced_value_is_refused():
    def outer(y):
        return cr.jit(lambda x: x * y)(2.0)

    with pytest.raises(TypeError, match="closure"):
        cr.grad(outer)(1.0)


# -- composition -------------------------------------------------------------------------------
def test_grad_of_jit_traces_inline():
    f = cr.jit(elementwise)
    x, y = _x(), _x(seed=1)
    for a, b in zip(cr.grad(f, argnums=(0, 1))(x, y), cr.grad(elementwise, argnums=(0, 1))(x, y)):
        _same(a, b)
    assert f.cache_size() == 0  # the outer transform saw ordinary primitive calls
    h = cr.hessian(cr.jit(lambda v: cnp.sum(cnp.sin(v) ** 3)))(x)
    _same(h, cr.hessian(lambda v: cnp.sum(cnp.sin(v) ** 3))(x))


def test_jit_of_jvp_and_hessian():
    def fun(v):
        return cnp.sum(cnp.exp(v) * cnp.cos(v))

    x, t = _x(), _x(seed=2)
    jvp = lambda x, t: cr.jvp(fun, (x,), (t,))  # noqa: E731
    for a, b in zip(cr.jit(jvp)(x, t), jvp(x, t)):
        _same(a, b)
    _same(cr.jit(cr.hessian(fun))(x), cr.hessian(fun)(x))


def test_jit_of_jit_and_tensor_inputs():
    inner = cr.jit(lambda x: cnp.sin(x) * 2)
    outer = cr.jit(lambda x: inner(x) + 1)
    _same(outer(_x()), np.sin(_x()) * 2 + 1)
    t = cr.tensor(_x(), requires_grad=True, dtype=cr.float64)
    cr.jit(lambda x: (x * x).sum())(t).backward()
    _same(t.grad.numpy(), 2 * _x())


# -- the passes ---------------------------------------------------------------------------------
def test_common_subexpressions_are_shared_and_dead_code_dropped():
    def f(x):
        unused = cnp.exp(x)  # noqa: F841
        return cnp.sin(x) + cnp.sin(x)

    f_jit = cr.jit(f)
    names = [e.prim.name for e in f_jit.program(_x()).eqns]
    assert names == ["sin", "add"]
    assert "exp" not in f_jit.source(_x())
    _same(f_jit(_x()), f(_x()))


def test_source_is_readable_python():
    source = cr.jit(cr.grad(lambda x: cnp.sum(cnp.sin(x)))).source(_x())
    assert source.startswith("def ")
    assert "_cos(" in source and "return (" in source


# -- the scalar path: Python floats run as Python arithmetic and ``math`` ----------------------
def scalar_graph(a, b):
    x, y = a, b
    for _ in range(4):
        x = cnp.tanh(x * y + b)
        y = cnp.exp(x**2) * a
    return x + y


def test_scalar_programs_run_on_python_floats():
    grad = cr.grad(scalar_graph, argnums=(0, 1))
    fast = cr.jit(grad)
    assert "_tanh(" in fast.source(0.5, -0.3) and "_numpy" not in fast.source(0.5, -0.3)
    for a, b in [(0.5, -0.3), (-1.5, 0.25)]:
        for got, want in zip(fast(a, b), grad(a, b)):
            assert type(got) is type(want) is np.float64
            # math's exp and tanh may differ from NumPy's in the last bit
            np.testing.assert_allclose(got, want, rtol=1e-14, atol=0)
    exact = cr.jit(grad, exact=True)
    assert "_numpy_tanh(" in exact.source(0.5, -0.3)
    for got, want in zip(exact(0.5, -0.3), grad(0.5, -0.3)):
        _same(got, want)


@pytest.mark.parametrize("name", ["exp", "log", "sqrt", "sin", "cos", "tan", "tanh", "arctan"])
def test_scalar_math_agrees_to_a_few_ulp(name):
    fn = getattr(cnp, name)
    f = cr.jit(lambda x: fn(x))
    assert "_numpy" not in f.source(0.5)
    for x in np.random.default_rng(3).uniform(0.1, 1.4, 20):
        # libm and NumPy's vectorised functions round differently: up to 3 units in
        # the last place apart for tanh, 1 for exp
        np.testing.assert_array_max_ulp(f(float(x)), fn(float(x)), maxulp=4)


def test_scalar_path_falls_back_to_numpy_where_python_raises():
    f = cr.jit(lambda x, y: cnp.log(x) / y)
    with pytest.warns(RuntimeWarning):  # NumPy's log(-1) = nan, with its warning
        assert np.isnan(f(-1.0, 2.0))
    with pytest.warns(RuntimeWarning):
        assert f(2.0, 0.0) == np.inf  # NumPy's division by 0
    assert f(np.e, 2.0) == np.log(np.e) / 2.0


def test_a_repeated_guard_is_checked_once():
    from chainrule.scipy.special import logsumexp

    # every row of the Hessian re-reads logsumexp's inf - inf mask of the same values
    w = np.arange(1.0, 5.0)
    h = cr.jit(cr.hessian(lambda v: logsumexp(v * w)))
    names = [e.prim.name for e in h.program(_x(4)).eqns]
    assert names.count("guard") == 1 and names.count("logsumexp") == 1
    _same(h(_x(4, seed=7)), cr.hessian(lambda v: logsumexp(v * w))(_x(4, seed=7)))


def test_backward_pass_keeps_its_silenced_warnings():
    # the backward pass evaluates local derivatives where a `where` discards them
    # (1/x at 0); eagerly NumPy's warnings are silenced there, and so in the program
    def f(x):
        return cnp.sum(1 / cnp.where(x == 0, 1.0, x))

    x = np.array([0.0, 2.0])
    grad = cr.jit(cr.grad(f))
    _same(grad(x), cr.grad(f)(x))  # RuntimeWarnings are errors in this test suite
    assert "with _errstate(" in grad.source(x)
    with pytest.warns(RuntimeWarning):  # the forward pass warns as it does eagerly
        cr.jit(lambda x: 1 / x)(x)
