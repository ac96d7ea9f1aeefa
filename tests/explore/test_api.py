"""The JSON API: answers, bounds on time and size, and bad input."""

from __future__ import annotations

import json
import socket
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from chainrule.explore.app import MAX_BODY
from chainrule.explore.worker import ExpressionWorker, WorkerTimeout

HOSTILE = [
    "__import__('os').system('true')",
    "x.__class__",
    "lambda: 1",
    "open('/etc/passwd')",
    "x^(10^10)",
    "x^99999999999999999999",
    "1e999999 * x",
    "(" * 100_000 + "x" + ")" * 100_000,
    "sin(" * 500 + "x" + ")" * 500,
    "x" * 5000,
    "\x00\x01\x02",
    "x +* y",
    "",
    "   ",
    "2 + 3",
]


def _post(url: str, payload, raw: bytes | None = None) -> tuple[int, dict]:
    data = raw if raw is not None else json.dumps(payload).encode()
    req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_expression_answer(server_url):
    status, data = _post(server_url + "/api/expression", {"expr": "x^2*y", "point": {"x": 3}})
    assert status == 200
    assert data["variables"] == ["x", "y"] and data["point"] == {"x": 3.0, "y": 1.0}
    assert data["derivative"] == pytest.approx(6.0) and data["symbolic_derivative"] == 6.0
    assert data["gradient"]["y"] == pytest.approx(9.0)
    assert "Product rule" in data["rules"] or "Constant multiple rule" in data["rules"]
    assert "<svg" in data["graph"]["svg"]
    # every box but the constants explains its gradient as a sum of path products
    assert data["graph"]["hover"] and all("∂f/∂" in t for t in data["graph"]["hover"].values())


def test_200_hostile_requests_get_the_parsers_error_and_the_server_stays_up(server_url):
    start = time.monotonic()
    for k in range(200):
        status, data = _post(server_url + "/api/expression", {"expr": HOSTILE[k % len(HOSTILE)]})
        assert status == 400, (HOSTILE[k % len(HOSTILE)][:40], data)
        assert data["error"] and "Traceback" not in data["error"]
    elapsed = time.monotonic() - start
    status, data = _post(server_url + "/api/expression", {"expr": "(3x+2)^2"})
    assert status == 200 and data["derivative"] == 30.0
    assert elapsed < 200 * 5.0  # each answered within the bound (in practice ms each)


@pytest.mark.parametrize(
    "payload, message",
    [
        ({"expr": 3}, "'expr' must be a string"),
        ({"expr": "x", "point": [1]}, "'point'"),
        ({"expr": "x", "point": {"x": "one"}}, "must be a finite number"),
        ({"expr": "x", "point": {"x": 1e999}}, "must be a finite number"),
    ],
)
def test_malformed_requests_are_400_with_a_message(server_url, payload, message):
    status, data = _post(server_url + "/api/expression", payload)
    assert status == 400 and message in data["error"]


def test_bodies_that_are_not_json_objects_or_too_large_are_refused(server_url):
    url = server_url + "/api/expression"
    assert _post(url, None, raw=b"{not json")[0] == 400
    assert _post(url, None, raw=b"[1, 2]")[0] == 400
    status, data = _post_declaring(url, MAX_BODY + 1)
    assert status == 413 and "too large" in data["error"]


def _post_declaring(url: str, length: int) -> tuple[int, dict]:
    """POST headers that declare a body of ``length`` bytes, and read the answer before
    sending any of it: the server must refuse from the header alone. (Sending the whole
    body races with that refusal: the server may close the connection mid-upload.)"""
    parts = urllib.parse.urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as sock:
        head = (
            f"POST {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {length}\r\n"
            "Connection: close\r\n\r\n"
        )
        sock.sendall(head.encode())
        reply = b""
        while chunk := sock.recv(65536):
            reply += chunk
    header, _, body = reply.partition(b"\r\n\r\n")
    status = int(header.split()[1])
    return status, json.loads(body)


def test_network_step_lowers_the_full_batch_loss(server_url):
    status, before = _post(server_url + "/api/network/reset", {})
    assert status == 200 and before["steps"] == 0
    status, after = _post(server_url + "/api/network/step", {})
    assert after["steps"] == 1 and after["loss"] < before["loss"]
    assert after["w1_change_norm"] > 0
    assert _post(server_url + "/api/network/train", {"steps": 10_000})[0] == 400


def _slow(text, point, wrt):  # stands in for a derivation that never ends
    time.sleep(60)


def test_the_worker_is_stopped_at_its_deadline_and_replaced():
    worker = ExpressionWorker(timeout=1.0)
    try:
        start = time.monotonic()
        with pytest.raises(WorkerTimeout, match="longer than the limit"):
            worker.analyse("x", None, None, run=_slow)
        assert time.monotonic() - start < 3.0
        assert worker.analyse("x^2", {"x": 2}, None)[1]["derivative"] == 4.0
    finally:
        worker.close()
