"""The worker threads that every session on one event loop shares, and fair slice lengths."""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Callable
from typing import Any, TypeVar

import anyio

T = TypeVar("T")
_pools: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, TrainingPool] = (
    weakref.WeakKeyDictionary()
)


class TrainingPool:
    """A bounded thread pool; slices shrink as more sessions train, so all keep their frame rate."""

    def __init__(self, threads: int, in_loop: bool = False) -> None:
        self.threads = threads
        self.in_loop = in_loop
        self.limiter = anyio.CapacityLimiter(threads)
        self.sessions: set[Any] = set()
        self.training: set[Any] = set()

    async def run(self, function: Callable[..., T], *args: Any) -> T:
        """Run blocking NumPy work in one of the pool's threads (or, measured worse, in-loop)."""
        if self.in_loop:
            result = function(*args)
            await asyncio.sleep(0)
            return result
        return await anyio.to_thread.run_sync(function, *args, limiter=self.limiter)

    def slice_seconds(self, shortest: float, longest: float, frames_per_second: float) -> float:
        """Half a frame period of thread time, shared by the sessions training now."""
        busy = max(1, len(self.training))
        return max(shortest, min(longest, 0.5 * self.threads / (frames_per_second * busy)))


def pool_for(threads: int, in_loop: bool = False) -> TrainingPool:
    """The pool of the running event loop (created on first use)."""
    loop = asyncio.get_running_loop()
    if loop not in _pools:
        _pools[loop] = TrainingPool(threads, in_loop)
    return _pools[loop]
