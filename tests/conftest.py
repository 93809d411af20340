"""Shared fixtures for the server tests: an app with test settings, a TestClient, a live server."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.servers import free_port, wait_until_healthy

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def client() -> Iterator[TestClient]:
    """A TestClient on a fresh app with default settings."""
    from app.main import create_app
    from app.settings import Settings

    with TestClient(create_app(Settings())) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def live_server() -> Iterator[str]:
    """`python -m app.cli serve` on a free port in a subprocess; yields its base URL."""
    port = free_port()
    command = [sys.executable, "-m", "app.cli", "serve", "--port", str(port)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [*command, "--log-level", "warning"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(base, process)
    except RuntimeError:
        process.kill()
        raise
    yield base
    process.terminate()
    process.wait(timeout=10)
