"""Token buckets for the room service: room creations and failed code lookups, per client.

A bucket holds up to `burst` tokens and gains `rate` a second; an action takes one. Keyed
buckets forget the least recently used client past MAX_CLIENTS, so memory stays bounded
whoever asks (a forgotten client starts again with a full bucket).
"""

from __future__ import annotations

import time
from collections import OrderedDict

MAX_CLIENTS = 10_000


class Bucket:
    """One client's allowance: `burst` actions at once, then `rate` a second."""

    def __init__(self, rate: float, burst: int) -> None:
        self.rate = rate
        self.burst = float(burst)
        self.tokens = float(burst)
        self.stamp = time.monotonic()

    def refill(self) -> None:
        """tokens = min(burst, tokens + rate x seconds since the last look)."""
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + self.rate * (now - self.stamp))
        self.stamp = now

    def wait(self) -> float:
        """Seconds until one action is allowed (0: now), without taking anything."""
        self.refill()
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate

    def take(self) -> float:
        """Take a token if there is one: 0.0; else the seconds until there is one."""
        waiting = self.wait()
        if waiting == 0.0:
            self.tokens -= 1
        return waiting


class Buckets:
    """A bucket per client key, the MAX_CLIENTS used last kept."""

    def __init__(self, rate: float, burst: int) -> None:
        self.rate = rate
        self.burst = burst
        self.buckets: OrderedDict[str, Bucket] = OrderedDict()

    def __getitem__(self, client: str) -> Bucket:
        """The client's bucket (a full new one for a client not seen lately)."""
        bucket = self.buckets.pop(client, None) or Bucket(self.rate, self.burst)
        self.buckets[client] = bucket
        while len(self.buckets) > MAX_CLIENTS:
            self.buckets.popitem(last=False)
        return bucket
