"""Room clients for tests against a live server: a student's playground socket, the teacher's
dashboard socket, and waiting for a condition."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

from websockets.asyncio.client import connect


class Student:
    """A playground client that configures, joins a room, plays and records what it hears."""

    def __init__(self, base: str, code: str, name: str) -> None:
        self.url = base.replace("http", "ws") + "/ws"
        self.code, self.name = code, name
        self.messages: list[dict] = []
        self.socket: Any = None

    async def start(self) -> None:
        """Connect, configure (slow frames), join and play."""
        self.socket = await connect(self.url, max_size=None)
        asyncio.get_running_loop().create_task(self.listen())
        for message in (
            {"type": "rate", "frames_per_second": 2},
            {"type": "configure", "config": {}},
            {"type": "join", "room": self.code, "name": self.name},
            {"type": "play"},
        ):
            await self.socket.send(json.dumps(message))

    async def listen(self) -> None:
        """Keep every message but frames' bulk."""
        async for text in self.socket:
            message = json.loads(text)
            if message["type"] == "frame":
                message = {"type": "frame", "iteration": message["iteration"]}
            self.messages.append(message)

    def iteration(self) -> int:
        """The latest frame's iteration."""
        frames = [m["iteration"] for m in self.messages if m["type"] == "frame"]
        return frames[-1] if frames else -1

    def heard(self, predicate: Any) -> bool:
        """Whether any message so far satisfies predicate."""
        return any(predicate(m) for m in self.messages)


class Teacher:
    """The dashboard socket: the latest tile per student."""

    def __init__(self, base: str, code: str, key: str) -> None:
        self.url = base.replace("http", "ws") + f"/ws/teach/{code}"
        self.key = key
        self.tiles: dict[str, dict] = {}
        self.updates = 0
        self.socket: Any = None

    async def start(self) -> None:
        """Connect and authenticate."""
        self.socket = await connect(self.url, max_size=None)
        await self.socket.send(json.dumps({"type": "auth", "key": self.key}))
        asyncio.get_running_loop().create_task(self.listen())

    async def listen(self) -> None:
        """Record tiles as they come."""
        async for text in self.socket:
            message = json.loads(text)
            if message["type"] in ("room", "tiles"):
                self.updates += 1
                for tile in message["students"]:
                    self.tiles[tile["name"]] = tile


async def until(condition: Any, seconds: float, what: str) -> None:
    """Wait until condition() holds; fail naming what did not happen."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {seconds} s: {what}")
        await asyncio.sleep(0.05)
