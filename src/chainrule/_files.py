"""Opening files that users pass in, safely: the one place that does it for every
loader (checkpoints, IDX data). A utility below every layer: it imports nothing of the
package."""

from __future__ import annotations

import os
import stat


def open_regular(path: str, error: type[Exception]):
    """``path`` opened for binary reading if it is a regular file. A FIFO or a device
    is refused with ``error`` without blocking on it: the file is opened non-blocking,
    checked, then set back to blocking."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise error(f"{path}: not a regular file (a pipe or a device?)")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
