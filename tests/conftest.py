"""Shared fixtures for the server tests: an app with test settings, a TestClient, a live server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.servers import served


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
    with served() as (base, _):
        yield base
