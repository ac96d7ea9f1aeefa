"""Graphviz's ``dot`` program: rendering DOT text to SVG, PNG or PDF, and saving pictures.

Rendering goes through the ``graphviz`` Python package when it is installed, else
straight to the ``dot`` program; both are looked up only when a picture is asked for.
Without ``dot`` the error says how to install Graphviz. Writing DOT text itself needs
neither (see :meth:`.graph.Graph.to_dot`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile

INSTALL_HINT = (
    "Rendering needs Graphviz's `dot` program, which was not found on PATH. Install "
    "Graphviz (Debian/Ubuntu: `sudo apt-get install graphviz`; macOS: `brew install "
    "graphviz`; conda: `conda install -c conda-forge graphviz`; Windows and others: "
    "https://graphviz.org/download/); no Python package is needed. Meanwhile "
    "`.to_dot()` or saving to a .dot file works without it."
)


FORMATS = {".svg": "svg", ".png": "png", ".pdf": "pdf", ".dot": "dot", ".gv": "dot"}


class GraphvizNotFound(RuntimeError):
    """Graphviz's ``dot`` program is missing; the message says how to install it."""


def render(dot_text: str, format: str = "svg") -> bytes:
    """Render DOT text with Graphviz; raise :class:`GraphvizNotFound` without ``dot``."""
    try:
        import graphviz
    except ImportError:
        graphviz = None
    if graphviz is not None:
        try:
            return graphviz.Source(dot_text).pipe(format=format)
        except graphviz.ExecutableNotFound:
            raise GraphvizNotFound(INSTALL_HINT) from None
    exe = shutil.which("dot")
    if exe is None:
        raise GraphvizNotFound(INSTALL_HINT)
    proc = subprocess.run([exe, f"-T{format}"], input=dot_text.encode(), capture_output=True)
    if proc.returncode != 0:
        raise RuntimeError(f"dot failed: {proc.stderr.decode(errors='replace').strip()}")
    return proc.stdout


def dot_available() -> bool:
    """Whether pictures can be rendered here (Graphviz's ``dot`` is on PATH)."""
    return shutil.which("dot") is not None


def write_picture(dot_text: str, path) -> str:
    """Write the DOT text, or the picture Graphviz renders from it, to ``path``; the
    extension picks the format. The file is replaced whole or not at all."""
    path = os.fspath(path)
    ext = os.path.splitext(path)[1].lower()
    if ext not in FORMATS:
        raise ValueError(
            f"can't tell the format of {path!r}: use one of {', '.join(sorted(FORMATS))}"
        )
    fmt = FORMATS[ext]
    if os.path.isdir(path):
        raise IsADirectoryError(f"{path!r} is a directory: give a file name to write")
    data = dot_text.encode() if fmt == "dot" else render(dot_text, fmt)
    _write_atomically(data, path)
    return path


def _write_atomically(data: bytes, path: str) -> None:
    """Write ``data`` to a new, uniquely named file beside ``path`` (created exclusively,
    so no existing file or symlink is followed), then rename it over ``path``. On any
    failure the temporary file is removed and ``path`` is left as it was."""
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
