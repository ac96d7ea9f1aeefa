"""autograd's internal-module names (``autograd.core`` / ``tracer`` / ``wrap_util``) and
its older conventions: ``make_vjp(fun, x)``, ``unary_to_nary``, the rule tables,
``fun.defvjp``-style methods, the curried ``check_grads`` with keywords and its
messages, ``tensor_jacobian_product`` with a partial vector."""

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp
from chainrule.extend import defvjp, make_vjp, primitive, primitive_jvps, primitive_vjps
from chainrule.test_util import check_grads
from chainrule.wrap_util import unary_to_nary


def test_core_make_vjp_takes_the_point():
    vjp_fn, ans = make_vjp(lambda x: cnp.sin(x) * 3.0, 0.4)
    assert ans == pytest.approx(3.0 * np.sin(0.4))
    assert vjp_fn(2.0) == pytest.approx(6.0 * np.cos(0.4))


def test_unary_to_nary_picks_the_argument():
    @unary_to_nary
    def slope(fun, x, scale=1.0):
        vjp_fn, _ = make_vjp(fun, x)
        return scale * vjp_fn(1.0)

    def f(x, y):
        return x * x * y

    assert slope(f)(3.0, 2.0) == pytest.approx(12.0)
    assert slope(f, 1)(3.0, 2.0) == pytest.approx(9.0)
    assert slope(f, 1, 2.0)(3.0, 2.0) == pytest.approx(18.0)
    assert slope(f).__name__ == "slope_of_f"
    # a tuple argnum hands the operator the tuple of those arguments
    pair = unary_to_nary(lambda fun, xs: fun(xs))(f, (0, 1))(3.0, 2.0)
    assert pair == 18.0


def test_rule_tables_read_and_write_the_records():
    @primitive
    def double(x):
        return 2.0 * x

    assert double not in primitive_vjps and cnp.iscomplex not in primitive_vjps
    defvjp(double, lambda ans, x: lambda g: 2.0 * g)
    assert set(primitive_vjps[double]) == {0}
    saved = primitive_vjps.pop(double)
    with pytest.raises(NotImplementedError, match="VJP"):
        cr.grad(double)(1.0)
    primitive_vjps[double] = saved
    assert cr.grad(double)(1.0) == 2.0
    assert primitive_vjps.pop(cnp.iscomplex, None) is None  # not a primitive: no rules
    assert 0 in primitive_jvps[cnp.sin] and 0 in primitive_vjps[cnp.sin]


def test_old_method_forms_warn_and_work():
    @primitive
    def mul(x, y):
        return x * y

    with pytest.warns(DeprecationWarning, match="old form"):
        mul.defvjp(lambda g, ans, vs, gvs, x, y: y * g)
    with pytest.warns(DeprecationWarning):
        mul.defgrad(lambda ans, x, y: lambda g: x * g, argnum=1)
    a, b = np.array([1.0, 2.0]), np.array([3.0, -1.0])
    check_grads(lambda x, y: cnp.sum(mul(x, y)), modes=["rev"], order=1)(a, b)

    @primitive
    def flat(x, y):
        return 0.0 * x * y

    with pytest.warns(DeprecationWarning):
        flat.defvjp_is_zero([0, 1])
    assert cr.grad(lambda x: flat(x, 2.0))(1.0) == 0.0


def test_check_grads_names_the_function_that_failed():
    @primitive
    def foo(x):
        return x * 2.0

    defvjp(foo, lambda ans, x: lambda g: g * 2.01)
    with pytest.raises(AssertionError, match=r"\(VJP\) check of foo failed"):
        check_grads(foo, modes=["rev"])(1.0)

    @primitive
    def bar(x):
        return x

    defvjp(bar, lambda ans, x: lambda g: g * 1.01)
    defvjp(foo, lambda ans, x: lambda g: bar(g) * 2.0)
    # first order is right; the derivative function's own VJP is off
    with pytest.raises(AssertionError, match=r"order 2: the \(VJP\) check of vjp_foo failed"):
        check_grads(foo, modes=["rev"])(1.0)


def test_curried_check_grads_holds_keywords_and_takes_a_positional_argnum():
    a, b = [[1.0, 2.0], [3.0, 4.0]], [[5.0, 6.0]]
    check_grads(cnp.append, argnum=(0, 1))(a, b, axis=0)
    # the int is the argument to check: y is held fixed (its int dtype would be refused)
    check_grads(lambda x, y: cnp.sum(x**2 * y), 0)(np.array([1.0, 2.0]), np.array([2, 3]))
    with pytest.raises(AssertionError, match="check of"):
        check_grads(lambda x, k: cr.stop_gradient(x) * k, modes=["rev"])(1.5, k=2.0)


def test_tensor_jacobian_product_with_a_vector_over_leading_axes():
    fun = lambda a: cnp.roll(cnp.sin(a), 1)  # noqa: E731
    rng = np.random.default_rng(0)
    a, v = rng.standard_normal((3, 2, 4)), rng.standard_normal((3, 2))
    expected = np.tensordot(v, cr.jacobian(fun)(a), axes=2)
    assert np.allclose(cr.tensor_jacobian_product(fun)(a, v), expected)
    full = rng.standard_normal((3, 2, 4))
    assert np.allclose(
        cr.tensor_jacobian_product(fun)(a, full), np.tensordot(full, cr.jacobian(fun)(a), 3)
    )
    with pytest.raises(ValueError, match=r"\(2, 3\)"):
        cr.tensor_jacobian_product(fun)(a, np.ones((2, 3)))


def test_where_accepts_keywords():
    x, y = np.array([1.0, 2.0]), np.array([3.0, 4.0])
    assert np.array_equal(cnp.where(condition=[True, False], x=x, y=y), [1.0, 4.0])
    g = cr.grad(lambda x: cnp.sum(cnp.where([True, False], x, y=2 * x)))(x)
    assert np.array_equal(g, [1.0, 2.0])


def test_numpy_namespace_reports_numpy_version():
    assert cnp.__version__ == np.__version__


def test_tracer_internals_are_refused_with_the_chainrule_way():
    with pytest.raises(ImportError, match=r"Node.*make_program\(f\)\(x\).*viz\.trace"):
        from chainrule.extend import Node  # noqa: F401
    with pytest.raises(ImportError, match=r"chainrule\.extend\.trace: autograd's tracer"):
        from chainrule.extend import trace  # noqa: F401
    with pytest.raises(ImportError, match="toposort"):
        from chainrule.test_util import toposort  # noqa: F401
    # other missing names stay ordinary attribute errors, so hasattr works
    import chainrule.extend

    assert not hasattr(chainrule.extend, "no_such_name")
    # the way the message points to does show each primitive call
    program = str(cr.make_program(lambda x: cnp.sin(x + x) / 2)(1.23))
    assert "sin" in program and "add" in program


def test_util_func_hands_back_the_function_for_defvjp():
    from chainrule.test_util import func

    class Scaled:
        def __init__(self, k):
            self.k = k

        @primitive
        def apply(self, x):
            return self.k * x * x

    defvjp(func(Scaled.apply), None, lambda ans, s, x: lambda g: g * 2.0 * s.k * x)
    assert func(Scaled.apply) is Scaled.apply
    assert cr.grad(lambda x: Scaled(3.0).apply(x))(0.5) == pytest.approx(3.0)
