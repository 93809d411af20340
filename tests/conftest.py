"""Shared fixtures for the server tests: an app with test settings, a TestClient, a live server."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.servers import served


@pytest.fixture(scope="session", autouse=True)
def quiet_sweeps(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Test servers keep sweeps in a temporary folder and start no trial workers unless a
    test asks for them (DESCENT_* variables reach the server processes tests start)."""
    saved = {k: os.environ.get(k) for k in ("DESCENT_DATA_DIR", "DESCENT_SWEEP_WORKERS")}
    os.environ["DESCENT_DATA_DIR"] = str(tmp_path_factory.mktemp("descent-data"))
    os.environ["DESCENT_SWEEP_WORKERS"] = "0"
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture
def client() -> Iterator[TestClient]:
    """A TestClient on a fresh app with default settings."""
    from app.main import create_app
    from app.settings import Settings

    with TestClient(create_app(Settings())) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def live_server() -> Iterator[str]:
    """`python -m app.server.cli serve` on a free port in a subprocess; yields its base URL."""
    with served() as (base, _):
        yield base
