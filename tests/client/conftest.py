"""The client's tests talk to a real server, as a script would: one Client per test."""

from __future__ import annotations

from collections.abc import Iterator

import descent
import pytest


@pytest.fixture
def remote(live_server: str) -> Iterator[descent.Client]:
    """A descent.Client on the session's live server."""
    with descent.Client(live_server, timeout=120) as client:
        yield client
