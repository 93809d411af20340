"""The trial workers `descent serve` starts beside itself, and their stop with the server."""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
from collections.abc import Iterator
from multiprocessing.process import BaseProcess
from pathlib import Path

from app.settings import Settings
from app.shared.cores import available_cores
from app.sweeps.doorbell import doorbell_folder
from app.sweeps.store import open_storage, storage_url
from app.sweeps.worker import serve_forever

STOP_GRACE_SECONDS = 5.0


def worker_count(settings: Settings, requested: int | None = None) -> int:
    """Trial workers to start: the request, else DESCENT_SWEEP_WORKERS; -1 is one per core."""
    count = settings.sweep_workers if requested is None else requested
    return available_cores() if count < 0 else count


def work(
    url: str, heartbeat: int, grace: int, parent: int | None, nice: int, doorbells: Path
) -> None:
    """A worker process: run trials from the storage at `url` until SIGTERM or SIGINT, or until
    the parent process dies; a server on this machine rings it in `doorbells`."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    claims = open_storage(url, heartbeat, grace, claims=True)
    serve_forever(claims, open_storage(url, heartbeat, grace), parent, nice, doorbells)


def start(count: int, settings: Settings) -> list[BaseProcess]:
    """Worker processes (spawned: nothing of the server's state) at the settings' niceness,
    each stopping by itself when this process dies."""
    context = multiprocessing.get_context("spawn")
    beat, grace = settings.sweep_heartbeat_seconds, settings.sweep_grace_seconds
    args = (storage_url(settings), beat, grace, os.getpid(), settings.sweep_nice,
            doorbell_folder(settings))  # fmt: skip
    processes = [
        context.Process(target=work, args=args, name=f"descent-sweep-{i}", daemon=True)
        for i in range(count)
    ]
    for process in processes:
        process.start()
    return processes


def stop(processes: list[BaseProcess]) -> None:
    """SIGTERM each worker (its running trial goes back to the queue), then wait; kill late ones."""
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(STOP_GRACE_SECONDS)
        if process.is_alive():
            process.kill()
            process.join()


@contextlib.contextmanager
def running(settings: Settings, requested: int | None = None) -> Iterator[list[BaseProcess]]:
    """Trial workers for the duration of a `with` block (the server's lifetime)."""
    processes = start(worker_count(settings, requested), settings)
    try:
        yield processes
    finally:
        stop(processes)
