"""Grad mode (``no_grad``, ``enable_grad``): as decorators of functions and generators,
and one context-manager object shared by threads and by asyncio tasks."""

import threading
import time

import pytest

import chainrule as cr


def test_no_grad_decorator_without_parentheses():
    x = cr.tensor([1.0], requires_grad=True)

    @cr.no_grad
    def f(t):
        return t * 2

    @cr.enable_grad
    def g(t):
        return t * 2

    assert not f(x).requires_grad
    with cr.no_grad():
        assert g(x).requires_grad
    assert f.__name__ == "f"


def test_decorated_generator_runs_each_step_in_the_mode():
    x = cr.tensor([1.0], requires_grad=True)

    @cr.no_grad()
    def steps(t):
        received = yield t * 2
        yield received * t

    gen = steps(x)
    assert not next(gen).requires_grad
    assert (x * 2).requires_grad  # the caller is not in no_grad between steps
    assert not gen.send(3.0).requires_grad
    with pytest.raises(StopIteration):
        next(gen)


def test_one_no_grad_object_shared_by_threads():
    shared = cr.no_grad()
    errors = []
    barrier = threading.Barrier(4)

    def work(k):
        try:
            barrier.wait()
            for _ in range(100):
                with shared:
                    time.sleep(0.0001 * k)
                    assert not cr.is_grad_enabled()
                assert cr.is_grad_enabled()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    with shared:  # and re-entered in one thread
        with shared:
            assert not cr.is_grad_enabled()
        assert not cr.is_grad_enabled()
    assert cr.is_grad_enabled()


def test_one_no_grad_object_shared_by_asyncio_tasks():
    import asyncio

    shared = cr.no_grad()

    async def work(delay):
        with shared:
            await asyncio.sleep(delay)
            assert not cr.is_grad_enabled()
        assert cr.is_grad_enabled()

    async def main():
        await asyncio.gather(work(0.01), work(0.0), work(0.005))

    asyncio.run(main())
    assert cr.is_grad_enabled()
