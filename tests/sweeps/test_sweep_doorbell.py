"""The workers' doorbell: a ring ends a worker's idle pause and a running trial's wait for its
next look at the cancelled flag; dead workers' doorbells are cleared; no doorbell, no harm."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.sweeps import worker as sweep_worker
from app.sweeps.doorbell import Doorbell, open_doorbell, ring
from app.sweeps.request import SweepRequest
from app.sweeps.store import cancel, create_sweep, find, open_storage, read
from app.sweeps.views import sweep_view
from app.sweeps.worker import Worker

LR = {"optimizer.learning_rate": {"low": 1e-3, "high": 10, "log": True}}
LONG = 60.0  # a pause a test would notice: a ring must end it long before


def test_a_ring_ends_a_wait_and_is_taken_once(tmp_path: Path):
    bell = Doorbell(tmp_path)
    try:
        assert not bell.rung()
        threading.Timer(0.2, ring, args=(tmp_path,)).start()
        started = time.monotonic()
        assert bell.wait(LONG) and time.monotonic() - started < 5
        assert not bell.rung()  # taken
        assert ring(tmp_path) == ring(tmp_path) == 1
        assert bell.rung() and not bell.rung()  # two rings, one look takes both
    finally:
        bell.close()
    assert list(tmp_path.iterdir()) == []


def test_ringing_clears_the_doorbell_of_a_worker_that_died(tmp_path: Path):
    dead = Doorbell(tmp_path)
    dead.socket.close()  # its process is gone; the file stays behind
    assert dead.path.exists()
    assert ring(tmp_path) == 0 and not dead.path.exists()
    assert ring(tmp_path / "nobody-here") == 0


def test_a_folder_that_cannot_hold_a_socket_means_polling(tmp_path: Path):
    too_long = tmp_path / ("x" * 120)
    assert open_doorbell(too_long) is None


@pytest.fixture
def rung_worker(tmp_path: Path) -> Iterator[tuple[Worker, threading.Thread]]:
    """A worker with a doorbell in tmp_path/doorbells, its loop in a thread; stopped at the end
    whatever the test did."""
    url = f"sqlite:///{tmp_path / 'sweeps.db'}"
    worker = Worker(
        open_storage(url, claims=True), open_storage(url), doorbell=Doorbell(tmp_path / "doorbells")
    )
    thread = threading.Thread(target=worker.run)
    thread.start()
    yield worker, thread
    worker.stop()
    thread.join()
    worker.doorbell.close()


def view_of(storage, sweep_id: str) -> dict:
    """The sweep's view as the server shows it."""
    return sweep_view(sweep_id, *read(storage, find(storage, sweep_id)))


def wait_until(condition, seconds: float) -> None:
    """Poll condition() until true; fail after `seconds`."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline
        time.sleep(0.02)


@pytest.fixture
def long_pauses(monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers pause LONG between looks for work and between looks at the cancelled flag."""
    monkeypatch.setattr(sweep_worker, "IDLE_SECONDS", LONG)
    monkeypatch.setattr(sweep_worker, "CANCEL_POLL_SECONDS", LONG)


def test_a_rung_worker_starts_a_new_sweep_without_waiting_out_its_pause(
    tmp_path: Path, long_pauses: None, rung_worker: tuple[Worker, threading.Thread]
):
    worker, thread = rung_worker
    storage, folder = worker.reader, tmp_path / "doorbells"
    time.sleep(0.3)  # it looked, found nothing, and pauses for LONG
    sweep_id = create_sweep(storage, SweepRequest(space=LR, trials=2, iterations=50))
    started = time.monotonic()
    assert ring(folder) == 1
    wait_until(lambda: view_of(storage, sweep_id)["status"] == "done", 20)
    assert time.monotonic() - started < LONG / 3
    worker.stop()  # rings itself: the pause ends at once
    thread.join(LONG / 3)
    assert not thread.is_alive()


def test_a_ring_stops_a_cancelled_trial_before_its_next_look_at_the_storage(
    tmp_path: Path, long_pauses: None, rung_worker: tuple[Worker, threading.Thread]
):
    worker, _ = rung_worker
    storage, folder = worker.reader, tmp_path / "doorbells"
    sweep_id = create_sweep(storage, SweepRequest(space=LR, trials=1, iterations=200_000))
    ring(folder)
    wait_until(lambda: any(t["iterations"] for t in view_of(storage, sweep_id)["trials"]), 20)
    cancel(storage, find(storage, sweep_id))
    started = time.monotonic()
    ring(folder)
    wait_until(lambda: view_of(storage, sweep_id)["progress"]["running"] == 0, LONG / 3)
    assert time.monotonic() - started < LONG / 3
    (trial,) = view_of(storage, sweep_id)["trials"]
    assert trial["message"] == "cancelled" and trial["iterations"] < 200_000
