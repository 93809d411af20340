"""The one registry of live playground sessions: counted and capped per process and per
client address, and reached at shutdown so that each sends its final checkpoint."""

from __future__ import annotations

import threading
import weakref
from typing import Any

import anyio

from app.playground.session import Session
from app.wire.errors import error_message

_REGISTRIES: weakref.WeakSet[LiveSessions] = weakref.WeakSet()  # every app's, in this process


class LiveSessions:
    """This app's live WebSocket sessions, capped at `limit`, and per client address at
    `per_client` (0: no cap; a school behind one NAT address shares one) (thread-safe)."""

    def __init__(self, limit: int, per_client: int = 0) -> None:
        self.limit = limit
        self.per_client = per_client
        self.count = 0
        self.by_client: dict[str, int] = {}
        self.sessions: set[Session] = set()
        self._lock = threading.Lock()
        _REGISTRIES.add(self)

    def enter(self, client: str = "") -> dict[str, Any] | None:
        """Count one more session; the `error` to send instead when the server (or this
        client's share of it) is full."""
        with self._lock:
            if self.count >= self.limit:
                return self.full_error()
            mine = self.by_client.get(client, 0)
            if self.per_client and mine >= self.per_client:
                return error_message(
                    f"too many sessions from your address: at most "
                    f"{self.per_client} (DESCENT_MAX_SESSIONS_PER_CLIENT)",
                    limit=self.per_client,
                )
            self.count += 1
            self.by_client[client] = mine + 1
            return None

    def add(self, session: Session) -> None:
        """A session that entered is now live."""
        with self._lock:
            self.sessions.add(session)

    def discard(self, session: Session) -> None:
        """A session ended."""
        with self._lock:
            self.sessions.discard(session)

    def leave(self, client: str = "") -> None:
        """One session fewer."""
        with self._lock:
            self.count = max(0, self.count - 1)
            left = self.by_client.get(client, 0) - 1
            if left > 0:
                self.by_client[client] = left
            else:
                self.by_client.pop(client, None)

    def full_error(self) -> dict[str, Any]:
        """The `error` sent to a session refused because the server is full."""
        return error_message(
            f"server is full: at most {self.limit} sessions at once; try again later",
            limit=self.limit,
        )


async def checkpoint_every_session(timeout: float) -> None:
    """(shutdown) Every session that keeps checkpoints sends one now, and it is written."""
    sessions = [
        s
        for registry in list(_REGISTRIES)
        for s in list(registry.sessions)
        if s.keeps_checkpoints and s.lanes
    ]
    with anyio.move_on_after(timeout):
        for session in sessions:
            await session.command(session.checkpoint_now)
        while any(session.outbox.items for session in sessions):
            await anyio.sleep(0.01)
