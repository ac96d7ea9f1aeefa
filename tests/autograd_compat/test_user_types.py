"""Differentiating with respect to an object of a user's own class: the class registers
a box type (``MyBox.register(MyType)``) and a vector space (``MySpace.register(MyType)``),
and a primitive method of the class gets a VJP that returns an object of the class."""

import math

import pytest

import chainrule as cr
from chainrule.extend import Box, VSpace, defvjp, primitive, vspace


class Bumps:
    """A function of x: a sum of Gaussian bumps, ``Σ w_c exp(-(x - c)²)``, held as a
    dict from centre to weight (not an array, not a pytree)."""

    def __init__(self, weights=None):
        self.weights = dict(weights or {})

    @primitive
    def __call__(self, x):
        return sum(w * math.exp(-((x - c) ** 2)) for c, w in self.weights.items())

    def __add__(self, other):
        return vspace(self).add(self, other)

    def __mul__(self, a):
        return vspace(self).scalar_mul(self, a)


# d f(x) / d f is the bump at x: a function with weight 1 at centre x
defvjp(Bumps.__call__, lambda ans, f, x: lambda g: Bumps({x: 1.0}) * g)


class BumpsBox(Box, Bumps):
    @property
    def weights(self):
        return self._value.weights


class BumpsSpace(VSpace):
    def __init__(self, value):
        pass

    def zeros(self):
        return Bumps()

    def _add(self, f, h):
        out = dict(f.weights)
        for c, w in h.weights.items():
            out[c] = out.get(c, 0.0) + w
        return Bumps(out)

    def _scalar_mul(self, f, a):
        return Bumps({c: a * w for c, w in f.weights.items()})

    def _inner_prod(self, f, h):
        return sum(w1 * w2 * math.exp(-((c1 - c2) ** 2))
                   for c1, w1 in f.weights.items() for c2, w2 in h.weights.items())  # fmt: skip


BumpsBox.register(Bumps)
BumpsSpace.register(Bumps)


def test_gradient_with_respect_to_a_user_object():
    f = Bumps({0.0: 2.0})

    def loss(f):
        return (f(0.5) - 1.0) ** 2 + 3.0 * f(1.0)

    g = cr.grad(loss)(f)
    assert isinstance(g, Bumps) and isinstance(vspace(g), BumpsSpace)
    # d loss = 2 (f(0.5) - 1) · bump(0.5) + 3 · bump(1.0), the two cotangents added
    assert g.weights == pytest.approx({0.5: 2.0 * (f(0.5) - 1.0), 1.0: 3.0})


def test_a_user_object_that_does_not_reach_the_output_gets_its_space_zero():
    g = cr.grad(lambda f, y: y * y, argnums=(0, 1))(Bumps({0.0: 1.0}), 3.0)
    assert isinstance(g[0], Bumps) and g[0].weights == {} and g[1] == pytest.approx(6.0)


def test_a_box_of_a_user_object_has_the_class_methods():
    seen = []

    def loss(f):
        seen.append((type(f).__mro__[1], f.weights))
        return f(0.0)

    cr.grad(loss)(Bumps({0.0: 1.0}))
    assert seen[0][0] is BumpsBox and seen[0][1] == {0.0: 1.0}
