"""The memory plan of generated programs: intermediates deleted after their last
reader, ufuncs writing into dead operands (``out=``), ``broadcast_to`` kept a view where
no user sees it; and in every case the eager results, bit for bit and in the eager
memory layout, with no array a caller holds ever overwritten."""

from __future__ import annotations

import numpy as np

import chainrule as cr
import chainrule.numpy as cnp
from chainrule.scipy.special import logsumexp


def _same(got, want):
    got, want = np.asarray(got), np.asarray(want)
    np.testing.assert_array_equal(got, want, strict=True)
    assert got.flags.c_contiguous == want.flags.c_contiguous
    assert got.flags.f_contiguous == want.flags.f_contiguous
    assert got.flags.writeable


def _hessian_of_logsumexp(m):
    return cr.hessian(lambda x: cnp.sum(logsumexp(m * x, axis=1)) + 0.5 * cnp.dot(x, x))


def test_hessian_program_reuses_buffers_and_keeps_broadcasts_views():
    rng = np.random.default_rng(0)
    m, x = rng.standard_normal((5, 10)), rng.standard_normal(10)
    h = _hessian_of_logsumexp(m)
    fast = cr.jit(h)
    source = fast.source(x)
    assert "out=" in source  # the chain of products writes into one buffer
    assert "_numpy_broadcast_to(" in source and "_broadcast_to(_numpy" not in source
    assert "\n    del " in source
    for seed in (1, 2):
        x = np.random.default_rng(seed).standard_normal(10)
        _same(fast(x), h(x))
    assert fast.fallbacks == 0


def test_buffer_with_a_live_view_is_not_overwritten():
    def f(x):
        y = cnp.exp(x)
        view = cnp.transpose(y)  # shares y's memory
        return view, cnp.sin(y)  # y's last reader must not write into it

    x = np.random.default_rng(0).standard_normal((3, 4))
    fast = cr.jit(f)
    assert "out=" not in fast.source(x)
    for got, want in zip(fast(x), f(x)):
        _same(got, want)


def test_results_and_inputs_are_never_buffers():
    def f(x):
        y = cnp.exp(x)
        return y, cnp.sin(y) * 2.0, cnp.cos(x)

    x = np.random.default_rng(0).standard_normal(6)
    before = x.copy()
    fast = cr.jit(f)
    source = fast.source(x)
    assert "out=b" not in source and "out=a" not in source  # y (b) and x (a) are kept
    assert "out=c" in source  # sin(y) dies in the product
    for got, want in zip(fast(x), f(x)):
        _same(got, want)
    np.testing.assert_array_equal(x, before)


def test_layouts_follow_the_eager_ones():
    def f(x, y):
        return cnp.sin(cnp.exp(x) * y) + cnp.broadcast_to(cnp.sum(x, axis=0), x.shape)

    rng = np.random.default_rng(0)
    x = np.asfortranarray(rng.standard_normal((4, 3)))
    y = rng.standard_normal((4, 3))
    fast = cr.jit(f)
    _same(fast(x, y), f(x, y))
    _same(fast(y, x), f(y, x))


def test_a_broadcast_the_caller_gets_is_a_writable_copy():
    def f(x):
        return cnp.broadcast_to(cnp.sin(x), (2, 3))

    fast = cr.jit(f)
    x = np.arange(3.0)
    out = fast(x)
    assert "_broadcast_to(_numpy" in fast.source(x)
    _same(out, f(x))
    out[0, 0] = 7.0
    assert out[1, 0] != 7.0


def test_zero_dimensional_values_are_not_buffers():
    f = cr.grad(lambda x: cnp.sin(cnp.exp(x) * 2.0) + x)
    fast = cr.jit(f, exact=True)
    x = np.float64(0.3)
    assert "out=" not in fast.source(x)
    got = fast(x)
    assert type(got) is type(f(x)) and got == f(x)


def test_fortran_ordered_buffers_are_reused_in_their_order():
    def f(x):
        return cnp.sin(cnp.exp(x) * 2.0)

    x = np.asfortranarray(np.random.default_rng(0).standard_normal((4, 3)))
    fast = cr.jit(f)
    assert "out=" in fast.source(x)
    _same(fast(x), f(x))
    assert fast(x).flags.f_contiguous
