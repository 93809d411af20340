"""Routes are assembled in one place, each part under its own prefix and tag; child processes
stop within their grace time."""

from __future__ import annotations

import multiprocessing
import signal
import time
from typing import Any

from fastapi.testclient import TestClient

from app.main import create_app
from app.shared.children import stop_processes

PARTS = {"health", "options", "datasets", "runs", "lessons", "contours", "sweeps", "rooms"}


def test_every_operation_has_one_tag_named_for_its_part() -> None:
    schema = TestClient(create_app()).get("/openapi.json").json()
    tags = {
        (method, path): operation.get("tags")
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
    }
    assert all(found is not None and len(found) == 1 for found in tags.values()), tags
    assert {found[0] for found in tags.values()} == PARTS
    for (_, path), (tag,) in tags.items():  # a part's REST routes share its prefix
        if tag in {"sweeps", "rooms", "datasets"}:
            assert path.startswith(f"/api/{tag}"), path


def ignore_sigterm_and_sleep(ready: Any) -> None:
    """A child that only SIGKILL stops; it sets `ready` once SIGTERM is ignored."""
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    ready.set()
    time.sleep(60)


def test_a_child_that_ignores_sigterm_is_killed_after_its_grace_time() -> None:
    context = multiprocessing.get_context("fork")
    ready = context.Event()
    stubborn = context.Process(target=ignore_sigterm_and_sleep, args=(ready,), daemon=True)
    polite = context.Process(target=time.sleep, args=(60,), daemon=True)
    stubborn.start()
    polite.start()
    assert ready.wait(60)
    started = time.monotonic()
    stop_processes([stubborn, polite], grace_seconds=0.5)
    took = time.monotonic() - started
    assert not stubborn.is_alive() and not polite.is_alive()
    assert stubborn.exitcode == -signal.SIGKILL and polite.exitcode == -signal.SIGTERM
    assert took < 5.0
