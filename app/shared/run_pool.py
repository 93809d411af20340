"""REST runs on their own small pool: at most `workers` at a time, `queue` more waiting, past
that 429; a run stops within ~100 ms when its client goes away or the server shuts down."""

from __future__ import annotations

import asyncio
import threading
import weakref
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse

DISCONNECT_POLL_SECONDS = 0.1
_executors: weakref.WeakSet[RunExecutor] = weakref.WeakSet()


class Busy(Exception):  # noqa: N818 - it is an answer, not a bug
    """Every run slot and queue place is taken."""


class Cancelled(Exception):  # noqa: N818
    """The run was stopped before it finished (client gone or server stopping)."""


class RunExecutor:
    """Threads for REST runs, separate from the event loop's pool and the engine."""

    def __init__(self, workers: int, queue: int) -> None:
        self.pool = ThreadPoolExecutor(max(workers, 1), thread_name_prefix="descent-run")
        self.capacity = max(workers, 1) + queue
        self.admitted = 0
        self.stops: set[threading.Event] = set()
        self.closing = False
        _executors.add(self)

    async def run(self, request: Request, work: Callable[[threading.Event], Any]) -> Any:
        """work(stop) in a pool thread; stop is set when the client disconnects or on close."""
        if self.closing or self.admitted >= self.capacity:
            raise Busy
        self.admitted += 1
        stop = threading.Event()
        self.stops.add(stop)
        try:
            future = asyncio.get_running_loop().run_in_executor(self.pool, work, stop)
            while True:
                done, _ = await asyncio.wait({future}, timeout=DISCONNECT_POLL_SECONDS)
                if done:
                    return future.result()
                if await request.is_disconnected():
                    stop.set()
        except asyncio.CancelledError:
            stop.set()
            raise
        finally:
            self.stops.discard(stop)
            self.admitted -= 1

    def close(self) -> None:
        """Stop every running run (their clients get 503) and refuse new ones."""
        self.closing = True
        for stop in list(self.stops):
            stop.set()
        self.pool.shutdown(wait=False, cancel_futures=True)


def stop_every_run() -> None:
    """Close every executor of this process (the server was told to stop)."""
    for executor in list(_executors):
        executor.close()


def busy_response(retry_after: int) -> JSONResponse:
    """429 with Retry-After."""
    message = "too many scripted runs at once: try again shortly"
    detail = {"type": "busy", "loc": ["body"], "msg": message, "field": None, "message": message}
    return JSONResponse(
        {"detail": [detail]}, status_code=429, headers={"retry-after": str(retry_after)}
    )


def cancelled_response() -> JSONResponse:
    """503: the server stopped the run (shutting down)."""
    message = "the run was stopped: the server is shutting down; run it again"
    detail = {"type": "cancelled", "loc": ["body"], "msg": message, "field": None,
              "message": message}  # fmt: skip
    return JSONResponse({"detail": [detail]}, status_code=503, headers={"retry-after": "5"})
