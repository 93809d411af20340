"""Fixtures and helpers for the browser tests: the real server as a subprocess, Chromium via
Playwright, and what every test does with the page (open it, wait for it, read it).

Chromium comes from $CHROMIUM_PATH, /usr/bin/chromium or `chromium` on PATH. Without it (or
without Playwright) the tests skip, except when CI=true, where they fail instead.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

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


def running_server(name: str) -> Iterator[Server]:
    """A started server logging to test-output/server-<name>.log, stopped afterwards."""
    srv = _make_server(name)
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def server(chromium_path: str) -> Iterator[Server]:
    """The real server, shared by the tests that do not restart it."""
    yield from running_server("shared")


@pytest.fixture
def restartable_server(chromium_path: str) -> Iterator[Server]:
    """A server of this test's own, which the test may stop and restart on the same port."""
    yield from running_server("restartable")


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


# --- What the tests do with the page -------------------------------------------------------

READY = "() => window.descent && window.descent.store.configured !== null"
ITERATION = "() => Number(document.querySelector('[data-testid=iteration]').textContent)"
LANES = "() => window.descent.store.configured.lanes.length"
# How many pixels of the canvas with data-testid id are within tol (60 unless given; summed
# over r, g, b) of rgb.
COLOURED_PIXELS = """([id, rgb, tol = 60]) => {
  const c = document.querySelector(`[data-testid="${id}"]`);
  const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 0; i < d.length; i += 4) {
    const r = Math.abs(d[i] - rgb[0]), g = Math.abs(d[i + 1] - rgb[1]);
    if (d[i + 3] > 200 && r + g + Math.abs(d[i + 2] - rgb[2]) < tol) n++;
  }
  return n;
}"""
BLUE = [8, 119, 189]  # class 1, positive values, lane 0, g(z)
ORANGE = [232, 113, 10]  # lane 1 / layer 2
CLASS_0 = [245, 147, 34]  # class 0 points, negative values
RED = [179, 38, 30]  # layer 1 in the gradient-norm chart
SLOW = 20_000  # ms for expectations that wait on training (the machine may be busy)


def wait_until_ready(page: Any) -> None:
    """Wait until the server has configured the session and the socket is open."""
    from playwright.sync_api import expect

    page.wait_for_function(READY)
    expect(page.get_by_test_id("connection")).to_have_attribute("data-state", "open")


def open_playground(page: Any, server: Server, fragment: str = "") -> None:
    """Load the page (with an optional #fragment) and wait until it is ready."""
    page.goto(server.url + fragment)
    wait_until_ready(page)


def wait_for_iteration_above(page: Any, n: int) -> None:
    """Wait until the iteration counter exceeds n."""
    page.wait_for_function(f"() => ({ITERATION})() > {int(n)}")


def wait_for_hash(page: Any, *parts: str) -> None:
    """Wait until the URL hash holds every key=value part (the control was committed)."""
    pattern = re.compile("".join(f"(?=.*[#&]{re.escape(p)}(&|$))" for p in parts))
    page.wait_for_url(lambda url: bool(pattern.search(unquote(url))))


def wait_for_number_above(page: Any, testid: str, value: float) -> None:
    """Wait until the element's number exceeds value."""
    page.wait_for_function(
        """([id, v]) => {
          const t = document.querySelector(`[data-testid="${id}"]`)?.textContent ?? "";
          const n = parseFloat(t);
          return Number.isFinite(n) && n > v;
        }""",
        arg=[testid, value],
    )


def coloured(page: Any, testid: str, rgb: list[int], tolerance: int = 60) -> int:
    """How many pixels of a canvas are close to a colour."""
    return int(page.evaluate(COLOURED_PIXELS, [testid, rgb, tolerance]))


def wait_for_coloured(page: Any, testid: str, rgb: list[int], at_least: int) -> None:
    """Wait until a canvas holds more than at_least pixels close to a colour."""
    page.wait_for_function(f"() => ({COLOURED_PIXELS})(['{testid}', {rgb}]) > {int(at_least)}")
