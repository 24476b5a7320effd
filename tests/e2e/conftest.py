"""Fixtures for the end-to-end tests: a static server and headless Chromium.

The release site is built by `make test-e2e` (trunk build --release -> dist/) before pytest runs;
here we only serve it. The server serves the PARENT of dist/, and the app is opened at
http://127.0.0.1:PORT/dist/, which proves that the asset URLs are relative (sub-path hosting).

Every test gets a fresh browser context (so localStorage is empty: first visit) and a `monitor`
that records console errors, page errors, failed requests and requests to any other origin;
each test ends by asserting that none happened (a test that provokes an error on purpose
allows it explicitly with `monitor.allow(...)`).
"""
from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "dist"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Loading and compiling the wasm module can take a while on a slow machine.
MOUNT_TIMEOUT_MS = 60_000


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(directory: Path) -> tuple[subprocess.Popen, int]:
    """Starts scripts/serve.py on a free port and waits until it accepts connections."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "scripts" / "serve.py"), "--dir", str(directory), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"serve.py exited: {proc.stderr.read().decode(errors='replace')}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc, port
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError("serve.py did not start listening within 15 s")


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


@pytest.fixture(scope="session")
def server():
    if not (DIST / "index.html").is_file():
        pytest.fail(f"{DIST}/index.html is missing: build the site first (make dist)", pytrace=False)
    proc, port = start_server(DIST.parent)
    yield f"http://127.0.0.1:{port}"
    stop_server(proc)


@pytest.fixture(scope="session")
def app_url(server) -> str:
    """The app's address: the dist/ folder as a sub-path of the server."""
    return f"{server}/{DIST.name}/"


@pytest.fixture(scope="session")
def browser():
    pw = sync_playwright().start()
    b = launch_chromium(pw)
    yield b
    b.close()
    pw.stop()


class Monitor:
    """Records what must not happen on a page: console errors, uncaught exceptions,
    failed requests (network errors and HTTP >= 400) and requests to other origins."""

    def __init__(self, origin: str):
        self.origin = origin
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.failed_requests: list[str] = []
        self.foreign_requests: list[str] = []
        self.requests: list[str] = []
        self._allowed: list[re.Pattern] = []

    def allow(self, pattern: str) -> None:
        """Allows console/page errors matching `pattern` (for tests that provoke them)."""
        self._allowed.append(re.compile(pattern, re.I | re.S))

    def attach(self, page) -> None:
        page.on("console", self._on_console)
        page.on("pageerror", lambda exc: self.page_errors.append(str(exc)))
        page.on("request", self._on_request)
        page.on("requestfailed", lambda r: self.failed_requests.append(f"{r.url} ({r.failure})"))
        page.on("response", self._on_response)

    def _on_console(self, msg) -> None:
        if msg.type == "error":
            self.console_errors.append(msg.text)

    def _on_request(self, request) -> None:
        url = request.url
        if url.startswith(("data:", "blob:", "about:")):
            return
        self.requests.append(url)
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != self.origin:
            self.foreign_requests.append(url)

    def _on_response(self, response) -> None:
        if response.status >= 400:
            self.failed_requests.append(f"{response.url} (HTTP {response.status})")

    def _unexpected(self, items: list[str]) -> list[str]:
        return [m for m in items if not any(p.search(m) for p in self._allowed)]

    def problems(self) -> list[str]:
        out = []
        out += [f"console error: {m}" for m in self._unexpected(self.console_errors)]
        out += [f"page error: {m}" for m in self._unexpected(self.page_errors)]
        out += [f"failed request: {m}" for m in self.failed_requests]
        out += [f"request to another origin: {m}" for m in self.foreign_requests]
        return out


@pytest.fixture
def monitor(server) -> Monitor:
    return Monitor(server)


@pytest.fixture
def page(browser, monitor):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(30_000)
    # Every Content-Security-Policy violation in the session is recorded (issue 7): the
    # listener is installed before any page script runs.
    context.add_init_script(
        "window.__csp = []; document.addEventListener('securitypolicyviolation',"
        " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    pg = context.new_page()
    monitor.attach(pg)
    yield pg
    try:
        violations = pg.evaluate("window.__csp || []")
    except Exception:  # a page that navigated away or closed has nothing more to say
        violations = []
    context.close()
    problems = monitor.problems() + [f"CSP violation: {v}" for v in violations]
    assert not problems, "the page reported problems:\n  " + "\n  ".join(problems)


def open_app(page, app_url: str, query: str = "") -> None:
    """Opens the app and waits for the wasm app to mount (the editor exists)."""
    page.goto(app_url + query, wait_until="load")
    page.wait_for_selector("#editor", timeout=MOUNT_TIMEOUT_MS)


@pytest.fixture
def app(page, app_url):
    """A page with the app loaded (first visit: empty localStorage)."""
    open_app(page, app_url)
    return page
