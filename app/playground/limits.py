"""Per-session limits: how deeply a message nests, how many messages and rebuilds a second."""

from __future__ import annotations

import time
from typing import Any

from app.wire.errors import FieldError, error_message

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
        return error_message(
            f"too many messages: at most {rate} per second (bursts of "
            f"{self.burst}); this message was dropped (DESCENT_MAX_MESSAGES_PER_SECOND)",
            limit=self.rate,
        )


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
