"""Fixtures for the browser tests: the real server as a subprocess, and Chromium via Playwright.

Chromium comes from $CHROMIUM_PATH, /usr/bin/chromium or `chromium` on PATH. Without it (or
without Playwright) the tests skip, except when CI=true, where they fail instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.servers import free_port

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "test-output"
APP = os.environ.get("DESCENT_TEST_APP", "app.main:app")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _unavailable(reason: str) -> None:
    """Skip, or fail when CI=true (CI must never silently skip the browser tests)."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"browser tests cannot run in CI: {reason}")
    pytest.skip(reason)


def chromium_executable() -> str | None:
    """Path of a Chromium binary, or None."""
    candidates = [os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium", shutil.which("chromium")]
    for path in candidates:
        if path and os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    return None


class Server:
    """`python -m uvicorn app.main:app` on a fixed port; can be stopped and started again."""

    def __init__(self, port: int, log_path: Path) -> None:
        self.port = port
        self.url = f"http://127.0.0.1:{port}/"
        self.log_path = log_path
        log_path.write_bytes(b"")  # one log per fixture; restarts append to it
        self.process: subprocess.Popen[bytes] | None = None
        self._log = None

    def start(self, timeout: float = 30.0) -> None:
        """Start the server and wait until /healthz answers."""
        command = [sys.executable, "-m", "uvicorn", APP, "--host", "127.0.0.1", "--no-access-log"]
        self._log = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [*command, "--port", str(self.port)],
            cwd=ROOT,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.stop()
                pytest.fail(f"server exited early; see {self.log_path}")
            try:
                with urllib.request.urlopen(f"{self.url}healthz", timeout=1) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.1)
        self.stop()
        pytest.fail(f"server did not answer /healthz within {timeout}s; see {self.log_path}")

    def stop(self) -> None:
        """Terminate the server (kill if it lingers) and close its log."""
        if self.process is not None:
            if self.process.poll() is None:
                self.process.terminate()
                try:
                    self.process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait(timeout=10)
            self.process = None
        if self._log is not None:
            self._log.close()
            self._log = None

    def restart(self) -> None:
        """Stop and start again on the same port."""
        self.stop()
        self.start()


def _make_server(name: str) -> Server:
    OUTPUT.mkdir(exist_ok=True)
    return Server(free_port(), OUTPUT / f"server-{name}.log")


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Chromium's executable, or skip/fail with the reason."""
    path = chromium_executable()
    if path is None:
        _unavailable("no Chromium found (set CHROMIUM_PATH or install Debian's chromium)")
    return path


@pytest.fixture(scope="module")
def browser(chromium_path: str) -> Iterator[object]:
    """One headless Chromium per test module (Playwright's loop must not outlive the module:
    while it runs, asyncio.run() elsewhere in the session would fail)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def server(chromium_path: str) -> Iterator[Server]:
    """The real server, shared by the tests that do not restart it."""
    srv = _make_server("shared")
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture
def restartable_server(chromium_path: str) -> Iterator[Server]:
    """A server of this test's own, which the test may stop and restart on the same port."""
    srv = _make_server("restartable")
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    """A fresh page (own context) that fails the test on uncaught page errors."""
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, f"uncaught errors in the page: {errors}"
