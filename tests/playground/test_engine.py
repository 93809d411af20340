"""The engine thread: every session's commands and slices in turn, fair shares of its time."""

from __future__ import annotations

import asyncio
import threading
import time
import types
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from app.playground import engine as engine_module
from app.playground.engine import TICK_ALLOWANCE_SECONDS, Engine
from app.playground.outbox import Outbox

Message = dict[str, Any]


class VirtualClock:
    """The engine's perf_counter, advanced only by the fake sessions' slices: the shares the
    engine hands out are then exact, however loaded the machine is."""

    def __init__(self) -> None:
        self.now = 0.0
        self.lock = threading.Lock()

    def perf_counter(self) -> float:
        with self.lock:
            return self.now

    def advance(self, seconds: float) -> None:
        with self.lock:
            self.now += seconds


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[VirtualClock]:
    """The engine measures slices on a virtual clock (its waits stay real)."""
    virtual = VirtualClock()
    fake_time = types.SimpleNamespace(perf_counter=virtual.perf_counter, monotonic=time.monotonic)
    monkeypatch.setattr(engine_module, "time", fake_time)
    yield virtual


class FakeSession:
    """A trainee whose every slice takes `seconds` of the virtual clock (standing in for NumPy)."""

    def __init__(self, seconds: float, clock: VirtualClock) -> None:
        self.clock = clock
        self.outbox = Outbox()
        self.seconds = seconds
        self.ticks = 0
        self.busy_time = 0.0
        self.on = True

    def wants_slice(self) -> bool:
        return self.on

    def resumes_at(self) -> float | None:
        return None

    def tick(self, busy: int) -> list[Message]:
        self.clock.advance(self.seconds)
        self.ticks += 1
        self.busy_time += self.seconds
        time.sleep(0)  # let the test's thread look in
        return []

    def halt(self) -> None:
        self.on = False


def run_engine(sessions: list[FakeSession], until: Callable[[], bool]) -> Engine:
    """Train the fake sessions on a real Engine until until() holds (at most 30 s)."""
    loop = asyncio.new_event_loop()
    try:
        engine = Engine(loop)
        for session in sessions:
            engine.add(session)
        deadline = time.monotonic() + 30
        while not until() and time.monotonic() < deadline:
            time.sleep(0.05)
        for session in sessions:
            session.on = False
            engine.remove(session)
        while engine.thread is not None and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        loop.close()
    assert engine.thread is None
    return engine


def test_a_session_with_long_slices_gets_no_more_than_its_share_of_the_engine(clock):
    slice_seconds = 2 * TICK_ALLOWANCE_SECONDS  # above the allowance: charged as they take
    hog = FakeSession(0.05, clock)
    others = [FakeSession(slice_seconds, clock) for _ in range(3)]
    run_engine([hog, *others], until=lambda: hog.busy_time >= 1.0)
    for other in others:
        # within a couple of the hog's slices of the same engine time ...
        assert other.busy_time > hog.busy_time - 3 * hog.seconds - 0.1, (other, hog)
        # ... so many more (short) slices: the others are not held to the hog's pace
        assert other.ticks > 5 * hog.ticks


def test_sessions_whose_slices_fit_the_allowance_get_a_slice_every_round(clock):
    # a 50-unit network's frame costs several times a 4-unit one's: both get the same rate
    cheap = FakeSession(TICK_ALLOWANCE_SECONDS / 10, clock)
    dear = FakeSession(TICK_ALLOWANCE_SECONDS / 2, clock)
    hog = FakeSession(0.03, clock)
    run_engine([cheap, dear, hog], until=lambda: cheap.ticks >= 300)
    assert abs(cheap.ticks - dear.ticks) <= 2, (cheap.ticks, dear.ticks)
    assert hog.ticks < cheap.ticks / 3, "a slice beyond the allowance makes its session wait"
