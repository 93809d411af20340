"""One simulated student, shared by the tests and bench/: configure, play, read, pause."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from typing import Any

from websockets.asyncio.client import connect


async def play_lesson(
    url: str,
    config: dict[str, Any],
    *,
    done: Callable[[], bool],
    on_text: Callable[[str | bytes, float], None],
    rate: float | None = None,
    speed: int | None = None,
    compression: str | None = "deflate",
) -> str | None:
    """Configure `config`, play, hand every message's text (or a binary frame's bytes, for a
    url asking ?frames=binary) and when it came to on_text until done() holds, then pause;
    the error message if configure was refused, else None.

    Students offer permessage-deflate as browsers do (compression="deflate"); `rate` asks
    that many frames per second, `speed` that many iterations between two frames."""
    async with connect(url, max_size=None, compression=compression, open_timeout=60) as ws:
        await ws.recv()  # hello
        await ws.send(json.dumps({"type": "configure", "config": config}))
        while (message := await text_message(ws))["type"] not in ("status", "error"):
            pass
        if message["type"] == "error":
            return message["message"]
        if rate is not None:
            await ws.send(json.dumps({"type": "rate", "frames_per_second": rate}))
        if speed is not None:
            await ws.send(json.dumps({"type": "speed", "iterations_per_frame": speed}))
        await ws.send(json.dumps({"type": "play"}))
        while not done():
            try:
                text = await asyncio.wait_for(ws.recv(), 0.25)
            except TimeoutError:
                continue
            on_text(text, time.perf_counter())
        await ws.send(json.dumps({"type": "pause"}))
    return None


async def text_message(ws: Any) -> dict[str, Any]:
    """The next JSON text message (binary frames before it are skipped)."""
    while isinstance(message := await ws.recv(), bytes):
        pass
    return json.loads(message)
