"""Short WebSocket work (building lanes, gradient checks) on limiters of its own, so that it
never waits behind, nor starves, the thread pool that serves static files and REST bodies;
gradient checks, the longest, go one at a time per process."""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Callable
from typing import Any, TypeVar

import anyio

from app.shared.cores import available_cores

T = TypeVar("T")
_limiters: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, anyio.CapacityLimiter]]
_limiters = weakref.WeakKeyDictionary()
SIZES = {"build": available_cores(), "check": 1}


def limiter(kind: str) -> anyio.CapacityLimiter:
    """This event loop's limiter for `build` (configure, resume) or `check` (gradient checks)."""
    loop = asyncio.get_running_loop()
    found = _limiters.setdefault(loop, {})
    if kind not in found:
        found[kind] = anyio.CapacityLimiter(SIZES[kind])
    return found[kind]


async def run(kind: str, function: Callable[..., T], *args: Any) -> T:
    """function(*args) in a worker thread, at most SIZES[kind] at a time."""
    return await anyio.to_thread.run_sync(function, *args, limiter=limiter(kind))
