"""Serving the app: on 127.0.0.1 only, on a free port unless one is asked for.

The socket is bound here, before uvicorn starts, so that the URL (with the port the
system chose) is known and printed before the browser is pointed at it.
"""

from __future__ import annotations

import socket
import threading
import webbrowser

from chainrule.explore.app import create_app

HOST = "127.0.0.1"  # never reachable from another machine


def bind(port: int = 0) -> socket.socket:
    """A listening socket on 127.0.0.1 (``port=0``: a free one)."""
    if not isinstance(port, int) or not 0 <= port <= 65535:
        raise ValueError(f"--port must be 0..65535, got {port!r}")
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((HOST, port))
    except OSError as exc:
        sock.close()
        raise OSError(exc.errno, f"can't listen on {HOST}:{port} ({exc.strerror})") from None
    sock.listen(64)
    return sock


def make_server(sock: socket.socket, timeout: float = 5.0):
    """A uvicorn server for the app on ``sock``; ``server.run(sockets=[sock])`` serves."""
    import uvicorn

    config = uvicorn.Config(
        create_app(timeout=timeout),
        log_level="warning",
        timeout_keep_alive=5,
        limit_concurrency=64,  # more simultaneous connections are answered 503
    )
    return uvicorn.Server(config)


def serve(port: int = 0, open_browser: bool = True, timeout: float = 5.0) -> None:
    """Serve until interrupted; print the URL and open it unless told not to."""
    sock = bind(port)
    server = make_server(sock, timeout=timeout)
    url = f"http://{HOST}:{sock.getsockname()[1]}/"
    print(f"chainrule explore: serving on {url}  (Ctrl+C stops)", flush=True)
    if open_browser:
        threading.Timer(0.5, webbrowser.open, args=(url,)).start()
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
