"""autograd's ``builtins`` (``tuple``, ``list``, ``dict``, ``isinstance``, ``type``).

autograd needs its own containers to trace a tuple of traced values; in chainrule the
ordinary containers are pytrees and trace as they are, so ``tuple``, ``list`` and
``dict`` are Python's. ``isinstance`` and ``type`` look through traces at the value
underneath (``isinstance(traced_array, np.ndarray)`` is true, as in autograd).
"""

from __future__ import annotations

import builtins as _builtins
from typing import Any

from chainrule.core.trace import unbox_all

__all__ = ["dict", "isinstance", "list", "tuple", "type"]

tuple = _builtins.tuple  # noqa: A001
list = _builtins.list  # noqa: A001
dict = _builtins.dict  # noqa: A001


def isinstance(obj: Any, classinfo: Any) -> bool:  # noqa: A001
    """``isinstance`` of the value under any traces."""
    return _builtins.isinstance(unbox_all(obj), classinfo)


def type(obj: Any) -> Any:  # noqa: A001
    """``type`` of the value under any traces."""
    return _builtins.type(unbox_all(obj))
