"""A live server for the explore tests: the app on 127.0.0.1, in a thread."""

from __future__ import annotations

import threading
import time

import pytest

CHROMIUM = "/usr/bin/chromium"  # Debian's package; .ci/run installs it
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="package")
def server_url():
    from chainrule.explore.server import bind, make_server

    sock = bind(0)
    server = make_server(sock, timeout=5.0)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the explore server did not start")
        time.sleep(0.02)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()


@pytest.fixture(scope="package")
def browser():
    """Headless Debian chromium driven by Playwright (its own browser download is not
    used). A missing chromium or Playwright fails with the install command."""
    import os

    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("the browser tests need Playwright: pip install -e '.[test]'")
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"the browser tests need {CHROMIUM}: apt-get install -y chromium")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
