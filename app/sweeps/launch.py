"""The trial workers `descent serve` starts beside itself, and their stop with the server."""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Iterator
from multiprocessing.process import BaseProcess
from pathlib import Path

from app.settings import Settings
from app.shared.children import stop_processes
from app.shared.cores import available_cores
from app.sweeps.doorbell import doorbell_folder
from app.sweeps.store import open_storage, storage_url
from app.sweeps.worker import serve_forever

SUPERVISE_SECONDS = 1.0  # how often dead workers are looked for
CRASH_LOOP_SECONDS = 10.0  # a worker dying sooner after its start is restarted more slowly ...
MAX_RESTART_DELAY = 60.0  # ... waiting up to this long
log = logging.getLogger("descent.worker")


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
    return [spawn(index, settings) for index in range(count)]


def spawn(index: int, settings: Settings) -> BaseProcess:
    """Start worker number `index` (a spawned process: nothing of the server's state)."""
    context = multiprocessing.get_context("spawn")
    beat, grace = settings.sweep_heartbeat_seconds, settings.sweep_grace_seconds
    args = (storage_url(settings), beat, grace, os.getpid(), settings.sweep_nice,
            doorbell_folder(settings))  # fmt: skip
    process = context.Process(target=work, args=args, name=f"descent-sweep-{index}", daemon=True)
    process.start()
    return process


def restart_delay(last: float, lived: float) -> float:
    """0 for a worker that ran CRASH_LOOP_SECONDS or more; else twice the last delay, from
    1 s up to MAX_RESTART_DELAY."""
    if lived >= CRASH_LOOP_SECONDS:
        return 0.0
    return min(MAX_RESTART_DELAY, max(1.0, 2 * last))


class Supervisor:
    """Keeps `processes` (the list itself, changed in place) at full strength: every
    SUPERVISE_SECONDS a worker that died (kill -9, an out-of-memory kill) is reaped and
    another started in its place; the trial it ran is failed by its missing heartbeat and
    retried by the other workers (app/sweeps/worker.py)."""

    def __init__(self, processes: list[BaseProcess], settings: Settings) -> None:
        self.processes = processes
        self.settings = settings
        self.stopping = threading.Event()
        self.restarts = 0
        self.thread = threading.Thread(target=self.watch, name="descent-sweep-supervisor")
        now = time.monotonic()
        self.started = [now] * len(processes)  # when each slot's process started
        self.delays = [0.0] * len(processes)  # each slot's wait before its next restart
        self.pending: dict[int, float] = {}  # slot -> when its dead worker is replaced

    def watch(self) -> None:
        """The supervision loop, until stop()."""
        while not self.stopping.wait(SUPERVISE_SECONDS):
            self.check()

    def check(self) -> int:
        """Replace every dead worker (is_alive() reaps it); the number replaced. A worker
        that died within CRASH_LOOP_SECONDS of its start waits restart_delay before its
        replacement starts, so a worker that cannot start does not cost a core in restarts."""
        replaced, now = 0, time.monotonic()
        for index, process in enumerate(self.processes):
            if self.stopping.is_set():
                break
            if index not in self.pending:
                if process.is_alive():
                    continue
                lived = now - self.started[index]
                self.delays[index] = restart_delay(self.delays[index], lived)
                log.warning("sweep worker %s exited (%s); starting another in %.0f s",
                            process.pid, process.exitcode, self.delays[index])  # fmt: skip
                self.pending[index] = now + self.delays[index]
            if now < self.pending[index]:
                continue
            del self.pending[index]
            process.close()
            self.processes[index] = spawn(index, self.settings)
            self.started[index] = now
            replaced += 1
        self.restarts += replaced
        return replaced

    def stop(self) -> None:
        """End supervision (before the workers themselves are stopped)."""
        self.stopping.set()
        if self.thread.is_alive():
            self.thread.join()


@contextlib.contextmanager
def running(settings: Settings, requested: int | None = None) -> Iterator[list[BaseProcess]]:
    """Supervised trial workers for the duration of a `with` block (the server's lifetime)."""
    processes = start(worker_count(settings, requested), settings)
    supervisor = Supervisor(processes, settings)
    supervisor.thread.start()
    try:
        yield processes
    finally:
        supervisor.stop()  # then SIGTERM: a running trial goes back to the queue
        stop_processes(processes, settings.sweep_worker_stop_seconds)
