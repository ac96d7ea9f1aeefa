"""The array backend: the one place that decides which array library runs a forward.

Every primitive's forward receives ``xp`` (the array namespace) as its first
argument, looked up here from its inputs. Today that is always NumPy; a CuPy backend
would inspect the argument types in :func:`array_namespace` and return ``cupy``,
without touching any rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import ModuleType

import numpy


def array_namespace(args: Sequence) -> ModuleType:
    """Return the array namespace for a primitive's (unboxed) arguments."""
    return numpy
