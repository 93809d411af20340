"""Sweep and AsyncSweep: a handle on a search running in the server's trial workers."""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING, Any

import httpx

from descent import calls
from descent.errors import DescentError, checked
from descent.progress import EventReader, Progress

if TYPE_CHECKING:
    from descent.client import AsyncClient, Client

TERMINAL = ("done", "cancelled", "failed")
POLL_SECONDS = 1.0


class SweepState:
    """What both handles read from the latest view of GET /api/sweeps/{id}."""

    def __init__(self, created: dict[str, Any]) -> None:
        self.id = str(created["id"])
        self.key = calls.sweep_key_of(created)
        self.view: dict[str, Any] = {"status": created.get("status", "queued"), "trials": [],
                                     "best": None, "progress": None}  # fmt: skip

    @property
    def status(self) -> str:
        """queued, running, done, cancelled or failed (as of the last refresh)."""
        return str(self.view["status"])

    @property
    def finished(self) -> bool:
        """Whether the sweep is over (done, cancelled or failed)."""
        return self.status in TERMINAL

    @property
    def trials(self) -> list[dict[str, Any]]:
        """Every started trial: number, params (by dotted path), state, value, iterations,
        duration, history and message."""
        return list(self.view["trials"])

    @property
    def best(self) -> dict[str, Any] | None:
        """The best complete trial: number, params, value and its full `config`."""
        best: dict[str, Any] | None = self.view["best"]
        return best

    @property
    def progress(self) -> dict[str, Any] | None:
        """{"trials", "finished", "running", "complete", "pruned", "failed", "queued"}."""
        progress: dict[str, Any] | None = self.view["progress"]
        return progress

    def take(self, view: dict[str, Any]) -> None:
        """Keep a newer view."""
        self.view = view

    def total(self) -> int:
        """How many trials the sweep has in all (0 when not read yet)."""
        progress = self.view.get("progress") or {}
        return int(progress.get("trials", 0))

    def __repr__(self) -> str:
        return f"<Sweep {self.id} {self.status}>"


class Sweep(SweepState):
    """A sweep for scripts: refresh(), wait(), cancel()."""

    def __init__(self, client: Client, created: dict[str, Any]) -> None:
        super().__init__(created)
        self.client = client

    def refresh(self) -> Sweep:
        """Read the sweep's latest view from the server."""
        self.take(self.client.send(calls.sweep_view(self.id)))
        return self

    def cancel(self) -> Sweep:
        """Stop it: running trials stop within about 100 ms, queued ones never start."""
        self.take(self.client.send(calls.cancel_sweep(self.id, self.key)))
        return self

    def wait(self, progress: bool = True, timeout: float | None = None) -> Sweep:
        """Follow the sweep until it is over (a progress bar on stderr unless progress=False);
        TimeoutError after `timeout` seconds."""
        deadline = None if timeout is None else time.monotonic() + timeout
        bar = Progress(self.refresh().total(), f"sweep {self.id}", progress)
        try:
            bar.update(self.view)
            if not self.finished:
                try:
                    self.follow(bar, deadline)
                except (httpx.TransportError, DescentError):
                    self.poll(bar, deadline)  # no event stream: read the view every second
            self.refresh()
            bar.update(self.view)
        finally:
            bar.close()
        return self

    def follow(self, bar: Progress, deadline: float | None) -> None:
        """Read the sweep's Server-Sent Events until `end`."""
        reader = EventReader()
        path = calls.sweep_events_path(self.id)
        with self.client.http.stream("GET", path) as response:
            if response.is_error:
                response.read()
                checked(response)
            for line in response.iter_lines():
                overdue(deadline)
                event = reader.feed(line)
                if event is None:
                    continue
                if event[0] == "end":
                    return
                self.take(event[1])
                bar.update(self.view)

    def poll(self, bar: Progress, deadline: float | None) -> None:
        """Read the view every second until the sweep is over."""
        while not self.refresh().finished:
            bar.update(self.view)
            overdue(deadline)
            time.sleep(POLL_SECONDS)


class AsyncSweep(SweepState):
    """A sweep for asyncio: the same methods as coroutines."""

    def __init__(self, client: AsyncClient, created: dict[str, Any]) -> None:
        super().__init__(created)
        self.client = client

    async def refresh(self) -> AsyncSweep:
        """Read the sweep's latest view from the server."""
        self.take(await self.client.send(calls.sweep_view(self.id)))
        return self

    async def cancel(self) -> AsyncSweep:
        """Stop it: running trials stop within about 100 ms, queued ones never start."""
        self.take(await self.client.send(calls.cancel_sweep(self.id, self.key)))
        return self

    async def wait(self, progress: bool = True, timeout: float | None = None) -> AsyncSweep:
        """Follow the sweep until it is over (a progress bar on stderr unless progress=False);
        TimeoutError after `timeout` seconds."""
        deadline = None if timeout is None else time.monotonic() + timeout
        bar = Progress((await self.refresh()).total(), f"sweep {self.id}", progress)
        try:
            bar.update(self.view)
            if not self.finished:
                try:
                    await self.follow(bar, deadline)
                except (httpx.TransportError, DescentError):
                    await self.poll(bar, deadline)
            await self.refresh()
            bar.update(self.view)
        finally:
            bar.close()
        return self

    async def follow(self, bar: Progress, deadline: float | None) -> None:
        """Read the sweep's Server-Sent Events until `end`."""
        reader = EventReader()
        path = calls.sweep_events_path(self.id)
        async with self.client.http.stream("GET", path) as response:
            if response.is_error:
                await response.aread()
                checked(response)
            async for line in response.aiter_lines():
                overdue(deadline)
                event = reader.feed(line)
                if event is None:
                    continue
                if event[0] == "end":
                    return
                self.take(event[1])
                bar.update(self.view)

    async def poll(self, bar: Progress, deadline: float | None) -> None:
        """Read the view every second until the sweep is over."""
        while not (await self.refresh()).finished:
            bar.update(self.view)
            overdue(deadline)
            await asyncio.sleep(POLL_SECONDS)


def overdue(deadline: float | None) -> None:
    """TimeoutError once the deadline passed."""
    if deadline is not None and time.monotonic() > deadline:
        raise TimeoutError("the sweep is still running: wait longer, or cancel() it")
