"""The web app: a JSON API and the page's static files (Starlette, the ``explore`` extra).

Routes::

    GET  /                       the page (static/index.html) and /static/...
    POST /api/expression         {"expr", "point": {"x": 1}, "wrt"} -> derivation + graph
    GET  /api/network            the network's state
    POST /api/network/step       one gradient-descent update
    POST /api/network/train      {"steps": n} updates (n ≤ 50; the page repeats it)
    POST /api/network/reset      start again from the initial weights

Every request is bounded: bodies over ``MAX_BODY`` bytes are refused before they are
read in full, expression work runs in a worker stopped after its time bound, and each
user mistake is answered with status 400 and ``{"error": message}`` (the parser's own
message for a bad expression), never with a server error.
"""

from __future__ import annotations

import contextlib
import json
import pathlib

from chainrule.explore.network import NetworkSession
from chainrule.explore.worker import ExpressionWorker, WorkerTimeout

STATIC = pathlib.Path(__file__).parent / "static"
MAX_BODY = 1 << 20  # bytes of a request body; the parser's own limit is far smaller


class _BadRequest(Exception):
    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


def _imports():
    try:
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError as exc:
        raise ImportError(
            f"chainrule explore needs {exc.name}: pip install 'chainrule[explore]'"
        ) from None


async def _read_json(request) -> dict:
    """The body as a JSON object, refusing more than MAX_BODY bytes."""
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > MAX_BODY):
        raise _BadRequest(f"the request is too large (limit {MAX_BODY} bytes)", 413)
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            raise _BadRequest(f"the request is too large (limit {MAX_BODY} bytes)", 413)
    try:
        payload = json.loads(body or b"{}")
    except (ValueError, RecursionError):
        raise _BadRequest("the request body is not valid JSON") from None
    if not isinstance(payload, dict):
        raise _BadRequest("the request body must be a JSON object")
    return payload


async def _in_thread(fn, *args):
    """``fn(*args)`` on Starlette's thread pool, so the event loop keeps serving."""
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(fn, *args)


class _Handlers:
    """The API's endpoints over one expression worker and one (lazily made) network."""

    def __init__(self, timeout: float, network: NetworkSession | None):
        self.worker = ExpressionWorker(timeout=timeout)
        self._network = network

    def net(self) -> NetworkSession:
        if self._network is None:  # the digits load on first use, not at start-up
            self._network = NetworkSession()
        return self._network

    async def expression(self, request):
        payload = await _read_json(request)
        text, point, wrt = payload.get("expr"), payload.get("point") or {}, payload.get("wrt")
        if not isinstance(text, str):
            raise _BadRequest("'expr' must be a string")
        if not isinstance(point, dict) or (wrt is not None and not isinstance(wrt, str)):
            raise _BadRequest("'point' must be an object of numbers and 'wrt' a name")
        try:
            status, result = await _in_thread(self.worker.analyse, text, point, wrt)
        except WorkerTimeout as exc:
            raise _BadRequest(str(exc), 408) from None
        if status != "ok":
            raise _BadRequest(result, 400 if status == "error" else 500)
        return result

    async def train(self, request):
        steps = (await _read_json(request)).get("steps", 1)
        try:
            return await _in_thread(self.net().train, steps)
        except ValueError as exc:
            raise _BadRequest(str(exc)) from None

    async def step(self, request):
        return await _in_thread(self.net().train, 1)

    async def state(self, request):
        return await _in_thread(self.net().state)

    async def reset(self, request):
        return await _in_thread(self.net().reset)


def _answer(handler):
    """An endpoint answering ``handler``'s dict as JSON, and every failure as JSON too."""
    from starlette.responses import JSONResponse

    async def endpoint(request):
        try:
            return JSONResponse(await handler(request))
        except _BadRequest as exc:
            return JSONResponse({"error": str(exc)}, status_code=exc.status)
        except Exception as exc:  # noqa: BLE001 - a bug of ours: JSON the page can show
            message = f"internal error ({type(exc).__name__}: {exc})"
            return JSONResponse({"error": message}, status_code=500)

    return endpoint


async def _index(request):
    from starlette.responses import FileResponse

    return FileResponse(STATIC / "index.html")


def create_app(timeout: float = 5.0, network: NetworkSession | None = None):
    """The Starlette application. ``timeout``: seconds allowed for one expression."""
    _imports()
    from starlette.applications import Starlette
    from starlette.routing import Mount, Route
    from starlette.staticfiles import StaticFiles

    api = _Handlers(timeout, network)
    routes = [
        Route("/", _index),
        Route("/api/expression", _answer(api.expression), methods=["POST"]),
        Route("/api/network", _answer(api.state)),
        Route("/api/network/step", _answer(api.step), methods=["POST"]),
        Route("/api/network/train", _answer(api.train), methods=["POST"]),
        Route("/api/network/reset", _answer(api.reset), methods=["POST"]),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]

    @contextlib.asynccontextmanager
    async def lifespan(app):
        yield
        api.worker.close()

    return Starlette(routes=routes, lifespan=lifespan)
