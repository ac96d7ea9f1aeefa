"""A worker process that the server can stop: symbolic work with a deadline.

SymPy can take a long time on hostile input, and a thread cannot be interrupted. So
each expression is analysed in a separate process: the server sends the request down
a pipe and waits at most ``timeout`` seconds for the answer; past that, it kills the
process (the next request gets a fresh one) and answers "took too long". Processes
come from a ``forkserver`` that has imported SymPy and chainrule once, so a replacement
starts in milliseconds and never inherits the server's threads.

Requests are served one at a time; waiting for the worker counts against the same
deadline, so every call returns within about ``timeout`` seconds.
"""

from __future__ import annotations

import multiprocessing
import threading
import time

from chainrule.explore import expression

_PRELOAD = ["chainrule.explore.expression", "sympy"]


class WorkerTimeout(Exception):
    """The work did not finish within the time bound (the worker was stopped)."""


def _serve(conn) -> None:
    """The worker's loop: ``(function, text, point, wrt)`` in, ``("ok", dict)`` or
    ``("error", message)`` out. Only :class:`expression.InputError` is the user's fault; anything
    else is reported as an internal error, with its type, never raised."""
    while True:
        try:
            run, text, point, wrt = conn.recv()
        except EOFError:
            return
        try:
            conn.send(("ok", run(text, point, wrt)))
        except expression.InputError as exc:
            conn.send(("error", str(exc)))
        except Exception as exc:  # noqa: BLE001 - reported to the page, the worker lives on
            conn.send(("internal", f"{type(exc).__name__}: {exc}"))


class ExpressionWorker:
    """Runs :func:`expression.analyse` in a stoppable process, within ``timeout`` s."""

    def __init__(self, timeout: float = 5.0):
        self.timeout = timeout
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(_PRELOAD)
        self._lock = threading.Lock()
        self._process = None
        self._conn = None

    def _start(self) -> None:
        parent, child = self._context.Pipe()
        self._process = self._context.Process(target=_serve, args=(child,), daemon=True)
        self._process.start()
        child.close()
        self._conn = parent

    def _stop(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.join(timeout=2)
            self._conn.close()
        self._process = self._conn = None

    def analyse(
        self, text: str, point: dict | None, wrt: str | None, run=expression.analyse
    ) -> tuple[str, object]:
        """``run(text, point, wrt)`` in the worker (``run``: a module-level function):
        ``("ok", result)``, ``("error", message)`` or ``("internal", message)``;
        :class:`WorkerTimeout` past the deadline (waiting for a busy worker included)."""
        deadline = time.monotonic() + self.timeout
        if not self._lock.acquire(timeout=self.timeout):
            raise WorkerTimeout(f"the server is busy; try again (limit {self.timeout:g} s)")
        try:
            if self._process is None or not self._process.is_alive():
                self._start()
            self._conn.send((run, text, point, wrt))
            if self._conn.poll(max(0.0, deadline - time.monotonic())):
                return self._conn.recv()
            self._stop()
            raise WorkerTimeout(f"this took longer than the limit of {self.timeout:g} s")
        except (EOFError, BrokenPipeError, ConnectionResetError):
            self._stop()  # the worker died (out of memory?): the next call starts another
            return ("internal", "the worker stopped unexpectedly; try again")
        finally:
            self._lock.release()

    def close(self) -> None:
        with self._lock:
            self._stop()
