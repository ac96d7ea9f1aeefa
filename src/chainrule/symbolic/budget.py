"""The budget of symbolic work: size limits before SymPy runs, a clock and a memory cap.

SymPy evaluates eagerly and cannot be asked to stop, so a 25-character input such as
``(((x^2+1)^10+x)^10+x)^10`` or ``x + x^1000`` can keep it busy for minutes and fill
the memory. Every public entry point (:func:`.parse`, :func:`.derive`,
:func:`.gradient`, so also the CLI and ``chainrule explore``) therefore runs inside a
:func:`budget`, enforced in two ways:

* **Limits checked before SymPy is called.** The parser predicts the size of each
  power before building it (degree and coefficient bits, see :func:`measure`), and the
  derivative's size is checked before it is tidied. Most hostile inputs are refused
  here, at once, with a :class:`LimitError` that names the limit.
* **A clock and a memory cap that interrupt SymPy.** While a budget is open in the
  main thread, a timer signal (``SIGALRM``, every 20 ms) checks the elapsed time and the
  process's resident memory; past either limit it raises inside whatever SymPy is
  doing. A worker process would also bound memory, but every derivation would then pay
  for starting it and for pickling its step tree back, and the library's callers (a
  notebook, a test) want the Derivation object itself; the timer costs nothing when
  the work is fast and the memory check makes the cap real. Elsewhere (another
  thread, a platform without ``setitimer``, a program that uses ``SIGALRM`` itself)
  the same checks run between steps of the derivation (:func:`check`), which bounds
  everything but a single SymPy call.

Tidying the answer (``factor``/``simplify``) has its own small share of the budget:
past it, tidy-up is skipped with a note, never the derivation (:func:`attempt`).
"""

from __future__ import annotations

import math
import os
import signal
import threading
import time

import mpmath
import sympy as sp

from .lexer import ParseError

SECONDS = 1.5  # wall-clock time for one parse or derivation, tidy-up included
MEMORY = 256 * 2**20  # resident memory it may add to the process
TIDY_SECONDS = 0.3  # the share of SECONDS that tidying the answer may use
MAX_DEGREE = 1000  # of any polynomial part, e.g. x^1000 but not (x^1000)^2
MAX_BITS = 1400  # of any exact number (about 420 decimal digits)
MAX_NODES = 20_000  # nodes of an expression tree (a derivative included)
_TICK = 0.02  # seconds between checks of the clock and the memory


class LimitError(ParseError):
    """The input, or the work it asks for, is over a limit of the symbolic budget.

    A :class:`ParseError` (so a ``ValueError``) whose message names the limit."""


class _Expired(BaseException):
    """Raised by the timer inside SymPy; a BaseException so that no ``except
    Exception`` in SymPy swallows it. Turned into :class:`LimitError` (or a skipped
    tidy-up) by the budget that expired."""

    def __init__(self, owner: _Budget, reason: str):
        super().__init__(reason)
        self.owner = owner
        self.reason = reason


class _Budget:
    def __init__(self, seconds: float, memory: int):
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds
        self.memory = memory
        self.baseline = _resident()

    def overrun(self) -> str | None:
        """Why this budget is spent, or None."""
        if time.monotonic() > self.deadline:
            return f"took longer than the limit of {self.seconds:g} s"
        rss = _resident()
        if rss is not None and self.baseline is not None and rss - self.baseline > self.memory:
            return f"needed more than the limit of {self.memory // 2**20} MB of memory"
        return None


# The budgets now open in this thread, outermost first. The timer runs in the main
# thread only; other threads rely on the step-wise checks.
_local = threading.local()
_timer: dict = {}  # while armed: {"previous": the SIGALRM handler it replaced}
# The timer interrupts SymPy's own code (and mpmath's, which it evaluates numbers
# with) only: never this module or the caller's code around a budget, where an
# exception could escape the budget that owns it. Between SymPy calls, :func:`check`
# does the same job.
_INTERRUPTIBLE = tuple(os.path.dirname(m.__file__) + os.sep for m in (sp, mpmath))


def _open() -> list[_Budget]:
    stack = getattr(_local, "budgets", None)
    if stack is None:
        stack = _local.budgets = []
    return stack


class _Scope:
    """A budget on the stack of this thread's open budgets, for a ``with`` block."""

    def __init__(self, seconds: float, memory: int):
        self.own = _Budget(seconds, memory)
        stack = _open()
        if stack:
            self.own.deadline = min(self.own.deadline, stack[-1].deadline)

    def __enter__(self):
        stack = _open()
        stack.append(self.own)
        if len(stack) == 1:
            _arm()
        return self

    def __exit__(self, kind, exc, tb) -> bool:
        stack = _open()
        if self.own in stack:  # it is the innermost unless a block was left abnormally
            del stack[stack.index(self.own) :]
        if not stack:
            _disarm()
        return self._handle(exc) if exc is not None else False

    def _handle(self, exc: BaseException) -> bool:
        raise NotImplementedError


class budget(_Scope):  # noqa: N801 - used as a context manager, like a function
    """``with budget(what):`` runs the block within ``seconds`` and ``memory``, or raises
    :class:`LimitError` saying that ``what`` ("differentiating this expression") was
    over the limit. A budget opened inside another never outlasts it."""

    def __init__(self, what: str, seconds: float = SECONDS, memory: int = MEMORY):
        super().__init__(seconds, memory)
        self.what = what

    def _handle(self, exc: BaseException) -> bool:
        if isinstance(exc, _Expired) and exc.owner is self.own:
            raise LimitError(f"{self.what} {exc.reason}; try a smaller expression") from None
        if isinstance(exc, (OverflowError, RecursionError)):  # SymPy's, on huge numbers/trees
            raise LimitError(f"too large to work with: {self.what} overflowed") from None
        return False


class attempt(_Scope):  # noqa: N801 - used as a context manager, like a function
    """``with attempt() as skipped:`` optional work (tidying an answer): the block gets
    ``seconds`` at most; if it runs out, the block is abandoned and ``skipped`` (a list)
    receives the reason (the caller then keeps what it had). Never raises for its own
    budget."""

    def __init__(self, seconds: float = TIDY_SECONDS):
        super().__init__(seconds, MEMORY)
        stack = _open()
        if stack:
            self.own.baseline = stack[-1].baseline
        self.skipped: list[str] = []

    def __enter__(self):
        super().__enter__()
        return self.skipped

    def _handle(self, exc: BaseException) -> bool:
        if isinstance(exc, _Expired) and exc.owner is self.own:
            self.skipped.append(exc.reason)
            return True
        return False


def check() -> None:
    """Between steps: raise if an open budget of this thread is spent (the timer's
    work, done by hand where the timer cannot run)."""
    for own in reversed(_open()):
        reason = own.overrun()
        if reason is not None:
            raise _Expired(own, reason)


def _arm() -> None:
    if threading.current_thread() is not threading.main_thread():
        return
    if not hasattr(signal, "setitimer") or signal.getitimer(signal.ITIMER_REAL)[0]:
        return  # no timers here, or the program runs one of its own: step-wise checks
    previous = signal.getsignal(signal.SIGALRM)
    if previous not in (signal.SIG_DFL, signal.SIG_IGN, None):
        return  # the program handles SIGALRM itself: leave it alone
    _timer["previous"] = previous
    signal.signal(signal.SIGALRM, _on_tick)
    signal.setitimer(signal.ITIMER_REAL, _TICK, _TICK)


def _disarm() -> None:
    if "previous" in _timer:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, _timer.pop("previous"))


def _on_tick(signum, frame) -> None:
    if frame is not None and frame.f_code.co_filename.startswith(_INTERRUPTIBLE):
        check()


def _resident() -> int | None:
    """This process's resident memory in bytes (Linux), or None where unknown."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        return None


try:
    import resource

    _PAGE = resource.getpagesize()
except ImportError:  # pragma: no cover - not POSIX
    _PAGE = 4096


# -- sizes ----------------------------------------------------------------------------
def measure(expr: sp.Expr, memo: dict | None = None) -> tuple[int, float, int]:
    """``(nodes, degree, bits)`` of ``expr``: the nodes of its tree, a bound on the
    degree of its polynomial parts, and the bits of its largest exact number. Shared
    parts are measured once when ``memo`` is kept between calls."""
    memo = {} if memo is None else memo
    found = memo.get(expr)
    if found is not None:
        return found
    if expr.is_Rational:
        found = (1, 0, max(abs(expr.p), expr.q).bit_length())
    elif expr.is_Symbol:
        found = (1, 1, 0)
    elif not expr.args:
        found = (1, 0, 0)
    else:
        parts = [measure(arg, memo) for arg in expr.args]
        nodes = 1 + sum(p[0] for p in parts)
        bits = max(p[2] for p in parts)
        if expr.is_Mul:
            degree = sum(p[1] for p in parts)
        elif expr.is_Pow and expr.exp.is_Rational:
            degree = parts[0][1] * abs(expr.exp)
        else:
            degree = max(p[1] for p in parts)
        found = (nodes, float(degree), bits)
    memo[expr] = found
    return found


def refuse_large(nodes: int, degree: float, bits: int, text=None, pos=None) -> None:
    """Raise :class:`LimitError` naming the first of the three limits exceeded."""
    if bits > MAX_BITS:
        message = f"a number in it would need {bits} bits (limit {MAX_BITS})"
    elif degree > MAX_DEGREE:
        message = f"its degree would be {_short(degree)} (limit {MAX_DEGREE})"
    elif nodes > MAX_NODES:
        message = f"it would have {nodes} parts (limit {MAX_NODES})"
    else:
        return
    raise LimitError(f"too large to work with: {message}", text, pos)


def predict_power(base: sp.Expr, size: tuple, exponent: sp.Rational) -> tuple[int, float, int]:
    """The size of ``base^exponent`` (``size``: the base's :func:`measure`) before
    SymPy builds it. SymPy raises a number, or the numeric factor of a product, to the
    power at once: (3x)^1000 is 3^1000·x^1000, refused here without computing 3^1000."""
    nodes, degree, bits = size
    scale = abs(exponent.p) / exponent.q
    if base.is_Rational or base.is_Mul:
        number = base if base.is_Rational else base.as_coeff_Mul()[0]
        raised = math.ceil(math.log2(max(abs(number.p), number.q)) * max(1.0, scale))
        bits = max(bits, raised)
    return nodes + 2, degree * scale, bits


def _short(value: float) -> str:
    return f"{value:.0f}" if value < 1e15 else f"{value:.3g}"
