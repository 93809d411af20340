"""Per-server and per-session limits: how many sessions at once, how many messages a second."""

from __future__ import annotations

import threading
import time
from typing import Any

from app.errors import FieldError

MAX_NESTING = 32  # levels of [] and {} in a client message (real ones use about 6)


def nesting_depth(value: Any) -> int:
    """How deeply lists and dicts nest in a decoded JSON value (iterative: no recursion)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            if depth <= MAX_NESTING:  # deeper than the limit is all the caller needs to know
                stack.extend((child, depth + 1) for child in _children(item))
    return deepest


def _children(item: dict[str, Any] | list[Any]) -> Any:
    """The values of a dict or the items of a list."""
    return item.values() if isinstance(item, dict) else item


class SessionCount:
    """Live WebSocket sessions of this process, capped at `limit`, and per client address at
    `per_client` (0: no cap; a school behind one NAT address shares one) (thread-safe)."""

    def __init__(self, limit: int, per_client: int = 0) -> None:
        self.limit = limit
        self.per_client = per_client
        self.count = 0
        self.by_client: dict[str, int] = {}
        self._lock = threading.Lock()

    def enter(self, client: str = "") -> dict[str, Any] | None:
        """Count one more session; the `error` to send instead when the server (or this
        client's share of it) is full."""
        with self._lock:
            if self.count >= self.limit:
                return self.full_error()
            mine = self.by_client.get(client, 0)
            if self.per_client and mine >= self.per_client:
                return {
                    "type": "error",
                    "message": f"too many sessions from your address: at most "
                    f"{self.per_client} (DESCENT_MAX_SESSIONS_PER_CLIENT)",
                    "field": None,
                    "limit": self.per_client,
                }
            self.count += 1
            self.by_client[client] = mine + 1
            return None

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
        return {
            "type": "error",
            "message": f"server is full: at most {self.limit} sessions at once; try again later",
            "field": None,
            "limit": self.limit,
        }


class MessageRate:
    """A token bucket: `rate` messages a second on average, bursts of up to `burst`.

    Messages over the rate are dropped; `abusive()` turns true once the dropped ones outrun
    the rate by `abusive` messages (the excess leaks away at `rate` a second)."""

    def __init__(self, rate: float, burst: int, abusive: int) -> None:
        self.rate, self.burst, self.abusive_limit = rate, burst, abusive
        self.tokens = float(burst)
        self.excess = 0.0
        self.checked = time.monotonic()

    def allow(self) -> bool:
        """Take one token for a message; False when the message must be dropped."""
        now = time.monotonic()
        elapsed, self.checked = now - self.checked, now
        self.tokens = min(self.burst, self.tokens + elapsed * self.rate)
        self.excess = max(0.0, self.excess - elapsed * self.rate)
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        self.excess += 1.0
        return False

    def abusive(self) -> bool:
        """Whether the client keeps sending far over the rate (close the connection)."""
        return self.excess > self.abusive_limit

    def error(self) -> dict[str, Any]:
        """The `error` reply for a dropped message."""
        rate = f"{self.rate:g}"
        return {
            "type": "error",
            "message": f"too many messages: at most {rate} per second (bursts of "
            f"{self.burst}); this message was dropped (DESCENT_MAX_MESSAGES_PER_SECOND)",
            "field": None,
            "limit": self.rate,
        }


class RebuildBudget:
    """A session's configures cost what they took (building lanes and their first frames):
    the time spent leaks away at `rate` seconds a second, and past `burst` seconds owed a
    configure is refused until enough has leaked. An ordinary configure (milliseconds) never
    meets it; a client rebuilding the largest networks in a loop gets `rate` of a core."""

    def __init__(self, rate: float, burst: float) -> None:
        self.rate, self.burst = rate, burst
        self.owed = 0.0
        self.checked = time.monotonic()

    def _leak(self) -> None:
        now = time.monotonic()
        self.owed = max(0.0, self.owed - (now - self.checked) * self.rate)
        self.checked = now

    def check(self) -> None:
        """Raise FieldError("type") while too much is owed."""
        self._leak()
        if self.owed > self.burst:
            wait = (self.owed - self.burst) / self.rate
            raise FieldError(
                "type",
                f"configure refused: this session's recent configures took "
                f"{self.owed:.1f} s of the server's time; try again in {wait:.0f} s "
                "(DESCENT_CONFIGURE_SECONDS_PER_SECOND)",
            )

    def spent(self, seconds: float) -> None:
        """A configure took this long."""
        self._leak()
        self.owed += seconds
