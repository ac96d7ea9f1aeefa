"""``chainrule.extend``: autograd's way of defining a primitive and its rules."""

import functools

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp
from chainrule.extend import (
    def_linear,
    defjvp,
    defjvp_argnum,
    defvjp,
    defvjp_argnums,
    getval,
    isbox,
    notrace_primitive,
    primitive,
    register_notrace,
    vspace,
)


def _logsumexp():
    @primitive
    def logsumexp(x):
        m = np.max(x)
        return m + np.log(np.sum(np.exp(x - m)))

    return logsumexp


def test_defvjp_and_defjvp_with_autograds_signatures():
    f = _logsumexp()
    defvjp(f, lambda ans, x: lambda g: g * cnp.exp(x - ans))
    defjvp(f, lambda g, ans, x: cnp.sum(g * cnp.exp(x - ans)))
    x = np.array([0.1, -0.4, 1.3])
    cr.check_grads(f, (x,))
    np.testing.assert_allclose(cr.grad(f)(x), np.exp(x) / np.exp(x).sum())


def test_a_missing_rule_names_the_primitive_and_none_means_zero():
    f = _logsumexp()
    with pytest.raises(NotImplementedError, match="logsumexp"):
        cr.grad(f)(np.ones(2))

    @primitive
    def scaled(x, k):
        return x * k

    defvjp(scaled, lambda ans, x, k: lambda g: g * k, None)
    assert cr.grad(scaled, argnums=(0, 1))(2.0, 3.0) == (3.0, 0.0)


def test_argnum_variants_and_linear():
    @primitive
    def mul(x, y):
        return x * y

    defvjp_argnums(mul, lambda argnums, ans, args, kw: lambda g: [
        g * args[1 - i] for i in argnums])  # fmt: skip
    defjvp_argnum(mul, lambda i, g, ans, args, kw: g * args[1 - i])
    cr.check_grads(mul, (1.5, -0.5))

    @primitive
    def twice(x):
        return 2 * x

    def_linear(twice)
    defvjp(twice, lambda ans, x: lambda g: twice(g))
    cr.check_grads(twice, (np.ones(2),))
    with pytest.raises(TypeError, match="not a primitive"):
        defvjp(np.sin, lambda ans, x: lambda g: g)


def test_notrace_and_register_notrace():
    seen = []
    shape_of = notrace_primitive(lambda x: seen.append(isbox(x)) or np.shape(x))
    g = cr.grad(lambda x: cnp.sum(x) * shape_of(x)[0])(np.ones(2))
    np.testing.assert_allclose(g, [2.0, 2.0])  # the shape is a constant
    assert seen == [False]

    @primitive
    def step(x):
        return np.floor(x)

    register_notrace(None, step)
    assert cr.grad(lambda x: step(x) + x)(1.5) == 1.0
    assert cr.grad(lambda x: getval(x) * 0.0 + x)(1.5) == 1.0


def test_vspace_operations():
    vs = vspace((np.ones(2), {"a": 1j * np.ones(3)}))
    assert vs.size == 2 + 6 and vs == vspace(vs.zeros())
    basis = list(vs.standard_basis())
    assert len(basis) == vs.size
    x, y = vs.randn(), vs.ones()
    assert np.isclose(vs.inner_prod(vs.add(x, vs.scalar_mul(x, -1.0)), y), 0.0)
    # a complex entry is two real coordinates: ones() is 1 + 1j there, the sum of the basis
    assert vs.inner_prod(y, y) == 2.0 + 3 * 2.0
    total = functools.reduce(vs.add, basis)
    assert vs.inner_prod(vs.add(total, vs.scalar_mul(y, -1.0)), y) == 0.0
    assert np.array_equal(total[1]["a"], np.full(3, 1 + 1j))


def test_vspace_operations_are_differentiable():
    vs = vspace((np.ones(2), 1.0))
    x = (np.array([0.5, -1.0]), 2.0)
    cr.check_grads(vs.add, (x, vs.ones()), modes=("fwd", "rev"))
    cr.check_grads(lambda v, a: vs.scalar_mul(v, a), (x, 1.5))
    cr.check_grads(vs.inner_prod, (x, vs.randn()))
    # grad of <x, x> is 2x, through the leaves of the pytree
    g = cr.grad(lambda v: vs.inner_prod(v, v))(x)
    assert np.allclose(g[0], 2 * x[0]) and np.isclose(g[1], 4.0)


def test_vspace_of_a_scalar_draws_scalars():
    vs = vspace(0.0)
    assert vs == vspace(vs.randn()) and np.ndim(vs.randn()) == 0
