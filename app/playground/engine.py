"""One training thread per event loop: every session's slices round-robin, results in order.

Sessions never train on the event loop and never hop threads per slice: the engine thread
runs each session's commands and slices in turn and hands their messages back to the loop in
one ordered stream (batched, at most every few milliseconds), so the loop only does I/O.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
import weakref
from collections import deque
from collections.abc import Callable
from typing import Any, Protocol

from app.playground.outbox import Item as Message
from app.playground.outbox import Outbox
from app.playground.pacing import TICK_ALLOWANCE_SECONDS
from app.wire.errors import error_message

log = logging.getLogger("descent.engine")
FLUSH_SECONDS = 0.005
FAIR_QUANTUM_SECONDS = 0.02  # a session this far ahead of the least-served one waits a round
IDLE_POLL_SECONDS = 0.02
_engines: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, list[Engine]] = (
    weakref.WeakKeyDictionary()
)


class Trainee(Protocol):
    """What the engine needs from a session."""

    outbox: Outbox

    def wants_slice(self) -> bool: ...

    def resumes_at(self) -> float | None: ...

    def tick(self, busy: int) -> list[Message]: ...

    def halt(self) -> None: ...


Item = tuple[Trainee, list[Message], "asyncio.Future[Any] | None", Any, BaseException | None]


class Engine:
    """Runs commands and slices for its sessions in one thread; starts and stops with them."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.sessions: set[Trainee] = set()
        self.training: set[Trainee] = set()
        self.commands: deque[tuple[Trainee, Callable[[], Any], asyncio.Future[Any]]] = deque()
        self.condition = threading.Condition()
        self.thread: threading.Thread | None = None
        self.outgoing: list[Item] = []
        self.flushed = time.perf_counter()
        self.used: dict[Trainee, float] = {}  # (engine thread) slice seconds, for fair shares
        self.charges: dict[Trainee, float] = {}  # work done elsewhere, folded in each round

    # Event-loop side --------------------------------------------------------------------

    def add(self, session: Trainee) -> None:
        """Register a session (starting the thread if it is not running)."""
        with self.condition:
            self.sessions.add(session)
            self._ensure_thread()

    def _ensure_thread(self) -> None:
        """Start the engine thread unless it runs (condition held)."""
        if self.thread is None:
            self.thread = threading.Thread(target=self._main, name="descent-engine", daemon=True)
            self.thread.start()

    def charge(self, session: Trainee, seconds: float) -> None:
        """(any thread) Count work done for a session outside the engine (building its
        lanes) against its fair share, as if the engine had spent it."""
        with self.condition:
            self.charges[session] = self.charges.get(session, 0.0) + seconds

    def remove(self, session: Trainee) -> None:
        """Forget a session: it gets no further slice (one in progress finishes first)."""
        with self.condition:
            self.sessions.discard(session)
            self.training.discard(session)
            self.condition.notify()

    async def call(self, session: Trainee, command: Callable[[], Any]) -> Any:
        """Run command() in the engine thread; its returned (messages, value) reach the outbox
        in order with the frames, then the value is returned here (exceptions are raised)."""
        future = self.loop.create_future()
        with self.condition:
            self.commands.append((session, command, future))
            self._ensure_thread()
            self.condition.notify()
        return await future

    def _deliver(self, items: list[Item]) -> None:
        """(loop) Queue the messages in order and resolve the commands' futures."""
        for session, messages, future, value, error in items:
            for message in messages:
                session.outbox.put(message)
            if future is not None and not future.done():
                if error is not None:
                    future.set_exception(error)
                else:
                    future.set_result(value)

    # Engine thread ----------------------------------------------------------------------

    def _emit(self, item: Item) -> None:
        """Add to the ordered stream back to the loop."""
        self.outgoing.append(item)

    def _flush(self, force: bool = False) -> None:
        """Hand the stream to the loop (one wake-up for many messages)."""
        now = time.perf_counter()
        if self.outgoing and (force or now - self.flushed >= FLUSH_SECONDS):
            items, self.outgoing = self.outgoing, []
            with contextlib.suppress(RuntimeError):  # a closed loop: nobody is listening
                self.loop.call_soon_threadsafe(self._deliver, items)
            self.flushed = now

    def _run_commands(self) -> None:
        """Run every queued command, in order."""
        while True:
            with self.condition:
                if not self.commands:
                    return
                session, command, future = self.commands.popleft()
            try:
                messages, value = command()
            except Exception as error:  # reported to the awaiting handler
                self._emit((session, [], future, None, error))
            else:
                self._emit((session, messages, future, value, None))
            self._flush(force=True)

    def _main(self) -> None:
        """Round-robin: commands first, then one slice per session that wants one."""
        while True:
            with self.condition:
                while not self.commands and not any(s.wants_slice() for s in self.sessions):
                    self.training.clear()
                    if not self.sessions:
                        self.thread = None
                        return
                    self.condition.wait(self._idle_seconds())
                busy = [s for s in self.sessions if s.wants_slice()]
                self.training = set(busy)
            for session in self._fair_round(busy):
                self._run_commands()
                if session in self.sessions and session.wants_slice():
                    started = time.perf_counter()
                    try:
                        messages = session.tick(len(busy))
                    except Exception:  # a bug must not stop every other session
                        log.exception("training slice failed")
                        session.halt()
                        messages = [error_message("internal error")]
                    charge = max(time.perf_counter() - started, TICK_ALLOWANCE_SECONDS)
                    self.used[session] = self.used.get(session, 0.0) + charge
                    if messages:
                        self._emit((session, messages, None, None, None))
                self._flush()
            self._run_commands()
            self._flush(force=True)

    def _idle_seconds(self) -> float:
        """How long to wait for work (condition held): until the first session paced out by
        its speed is due again, at most IDLE_POLL_SECONDS (a waiting frame not overslept)."""
        due = [at for s in self.sessions if (at := s.resumes_at()) is not None]
        if not due:
            return IDLE_POLL_SECONDS
        return min(max(min(due) - time.monotonic(), 0.0005), IDLE_POLL_SECONDS)

    def _fair_round(self, busy: list[Trainee]) -> list[Trainee]:
        """This round's sessions: those within a quantum of the least-served one, so a session
        whose slices take long (a big network: one iteration can outlast a slice) waits while
        the others catch up, and every session gets the same share of the thread's time.

        A slice (training plus its frame) is charged at least TICK_ALLOWANCE_SECONDS: sessions
        whose slices fit in it all get a slice every round, and so the same frame rate, though
        a 50-unit network's frame costs more than a 4-unit one's; only slices beyond it (a
        huge network) make their session wait."""
        with self.condition:
            charges, self.charges = self.charges, {}
        for session, seconds in charges.items():
            if session in self.used:
                self.used[session] += seconds
        previous = {s: self.used[s] for s in busy if s in self.used}
        floor = min(previous.values(), default=0.0)
        # newcomers (and sessions back from idling) start level with the least served
        self.used = {s: previous.get(s, floor) - floor for s in busy}
        return [s for s in busy if self.used[s] <= FAIR_QUANTUM_SECONDS]


def engine_for_loop(threads: int = 1) -> Engine:
    """The least busy of the running event loop's engines (created on first use)."""
    loop = asyncio.get_running_loop()
    if loop not in _engines:
        _engines[loop] = [Engine(loop) for _ in range(threads)]
    return min(_engines[loop], key=lambda engine: len(engine.sessions))


def all_engines() -> list[Engine]:
    """Every engine alive (for tests and diagnostics)."""
    return [engine for engines in _engines.values() for engine in engines]
