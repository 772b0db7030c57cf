"""End-to-end fixtures: the web questionnaire served by uvicorn, driven in a real Chromium.

The browser is Debian's /usr/bin/chromium driven by Playwright (no browser is downloaded);
the server runs in a thread on a free port of 127.0.0.1. Each test gets a fresh browser
context, so a fresh session, and fails if the page ever opens a dialog (alert, confirm).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

playwright_api = pytest.importorskip("playwright.sync_api")
uvicorn = pytest.importorskip("uvicorn")

from drafting.web import create_app

CHROMIUM = os.environ.get("DRAFTING_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def server_url() -> Iterator[str]:
    """The questionnaire, served on 127.0.0.1 for the whole test session."""
    port = _free_port()
    config = uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="warning",
                            ws="none", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the questionnaire server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: object, server_url: str) -> Iterator[object]:
    """A fresh browser tab (and session) on the start page.

    A dialog (alert, confirm) or an error in the browser console fails the test.
    """
    context = browser.new_context(  # type: ignore[attr-defined]
        accept_downloads=True, viewport={"width": 1280, "height": 900}, base_url=server_url,
    )
    tab = context.new_page()
    # A busy two-core machine (the suite's LibreOffice conversions beside the browser) can
    # take longer than Playwright's 30 s default for a click's navigation: waits are for
    # the page's own events, so a generous bound only changes when a real hang is reported.
    tab.set_default_timeout(120_000)
    dialogs: list[str] = []

    def on_dialog(dialog: object) -> None:
        dialogs.append(dialog.message)  # type: ignore[attr-defined]
        dialog.dismiss()  # type: ignore[attr-defined]

    errors: list[str] = []
    tab.on("dialog", on_dialog)
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.goto("/")
    yield tab
    context.close()
    assert not dialogs, f"the page opened a dialog: {dialogs}"
    # no script error, no resource refused by the Content-Security-Policy, nothing missing
    # (the refusals under test, 400, 403, 404, 409, 413 and 422 pages, are logged as failed
    # loads)
    expected = re.compile(r"Failed to load resource: .* status of (400|403|404|409|413|422) ")
    unexpected = [e for e in errors if not expected.match(e)]
    assert not unexpected, f"the browser console shows errors: {unexpected}"
