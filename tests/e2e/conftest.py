"""A live portal on a free port and Debian's Chromium driven by Playwright."""

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, Playwright, sync_playwright

from portal.app import create_app
from portal.core.settings import Settings
from tests.conftest import FIXED_CLOCK

CHROMIUM = Path("/usr/bin/chromium")
# Flags from the machine notes: no sandbox as root, no background networking on a closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def live_url(database: Settings) -> Iterator[str]:
    """The portal on a real socket, its base URL (and so its OIDC redirect URI) on that port."""
    port = _free_port()
    app = create_app(database.model_copy(update={"base_url": f"http://127.0.0.1:{port}"}), clock=FIXED_CLOCK)
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, access_log=False)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the live server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


# Module scope: Playwright's loop must be gone before any later test calls asyncio.run.
@pytest.fixture(scope="module")
def playwright(live_url: str) -> Iterator[Playwright]:
    # Playwright's sync API keeps an event loop running in this thread: everything that uses
    # asyncio.run (the database set-up behind live_url) must happen before it starts.
    del live_url
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is required for the browser tests: apt-get install chromium")
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
    yield browser
    browser.close()
