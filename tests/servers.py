"""Helpers for tests that start a real server process: a free port and waiting for /healthz."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """An unused TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_healthy(
    base: str, process: subprocess.Popen, timeout: float = 30.0
) -> httpx.Response:
    """Poll base/healthz until it answers 200; RuntimeError if the process exits or time is up."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            response = httpx.get(f"{base}/healthz", timeout=2.0)
            response.raise_for_status()
            return response
        except httpx.HTTPError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the server at {base} did not start") from None
            time.sleep(0.1)


@contextlib.contextmanager
def served(
    *arguments: str, settings: dict[str, str] | None = None, timeout: float = 60.0
) -> Iterator[tuple[str, subprocess.Popen]]:
    """`python -m app.server.cli serve` on a free port with extra arguments and DESCENT_* variables;
    yields (base URL, process) once /healthz answers, and terminates it afterwards."""
    port = free_port()
    command = [sys.executable, "-m", "app.server.cli", "serve", "--port", str(port), *arguments]
    process = subprocess.Popen(
        [*command, "--log-level", "warning"],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(settings or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_healthy(base, process, timeout)
        yield base, process
    finally:
        process.terminate()
        process.wait(timeout=30)
