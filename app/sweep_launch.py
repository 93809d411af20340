"""The trial workers `descent serve` starts beside itself, and their stop with the server."""

from __future__ import annotations

import contextlib
import logging
import os
import subprocess
import sys
from collections.abc import Iterator

from app.settings import Settings
from app.sweep_store import open_storage, storage_url
from app.sweep_worker import serve_forever
from app.workers import available_cores

STOP_GRACE_SECONDS = 5.0


def worker_count(settings: Settings, requested: int | None = None) -> int:
    """Trial workers to start: the request, else DESCENT_SWEEP_WORKERS; -1 is one per core."""
    count = settings.sweep_workers if requested is None else requested
    return available_cores() if count < 0 else count


def start(count: int, url: str, nice: int) -> list[subprocess.Popen]:
    """`descent worker` processes that lower their priority and exit when this process dies."""
    command = [sys.executable, "-m", "app.cli", "worker", "--storage", url, "--nice", str(nice)]
    command += ["--parent", str(os.getpid())]
    return [subprocess.Popen(command) for _ in range(count)]


def stop(processes: list[subprocess.Popen]) -> None:
    """SIGTERM each worker (its running trial goes back to the queue), then wait; kill late ones."""
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(STOP_GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def running(settings: Settings, requested: int | None = None) -> Iterator[list[subprocess.Popen]]:
    """Trial workers for the duration of a `with` block (the server's lifetime)."""
    processes = start(worker_count(settings, requested), storage_url(settings), settings.sweep_nice)
    try:
        yield processes
    finally:
        stop(processes)


def work(settings: Settings, url: str | None, parent: int | None, nice: int) -> None:
    """`descent worker`: run trials from the storage at `url` (default: the settings') until
    SIGTERM or SIGINT, or until the parent process dies."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    url = url or storage_url(settings)
    beat, grace = settings.sweep_heartbeat_seconds, settings.sweep_grace_seconds
    claims = open_storage(url, beat, grace, claims=True)
    serve_forever(claims, open_storage(url, beat, grace), parent, nice)
