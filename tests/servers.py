"""Helpers for tests that start a real server process: a free port and waiting for /healthz."""

from __future__ import annotations

import socket
import subprocess
import time

import httpx


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
