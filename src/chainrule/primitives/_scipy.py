"""SciPy, imported when a forward first needs it: ``import chainrule`` never imports
SciPy, and a missing SciPy gets an error that says how to install it."""

from __future__ import annotations

import importlib


def scipy_module(name: str, user: str):
    """``scipy.<name>`` (e.g. ``"special"``), for the function ``user`` that needs it."""
    try:
        return importlib.import_module(f"scipy.{name}")
    except ImportError:
        raise ImportError(f"{user} needs SciPy: pip install scipy") from None


def no_derivative(fn: str, arg: str):
    """The rule of an argument that has no derivative (an order, a shape parameter): it
    refuses, naming the function and the argument, rather than give a zero."""
    raise NotImplementedError(
        f"{fn}: no derivative with respect to its argument {arg!r} (SciPy defines "
        f"none); pass {arg} as a constant"
    )
