"""Messages waiting for one client: replies in order, at most one frame per lane."""

from __future__ import annotations

import asyncio
from collections import deque
from typing import Any

import numpy as np

Message = dict[str, Any]


class Outbox:
    """A FIFO where an unsent frame is merged into its successor, so it never grows per lane."""

    def __init__(self) -> None:
        self.items: deque[Message] = deque()
        self.waiting: set[int] = set()  # lanes with an unsent frame
        self.ready = asyncio.Event()
        self.sent = asyncio.Event()

    def put(self, message: Message) -> None:
        """Queue a control message (hello, configured, status, gradcheck, error)."""
        self.items.append(message)
        self.ready.set()

    def has_frame(self, lane: int) -> bool:
        """Whether a frame for this lane is still waiting to be sent."""
        return lane in self.waiting

    def take_frame(self, lane: int) -> Message | None:
        """Remove and return this lane's unsent frame, if any."""
        for message in self.items:
            if message["type"] == "frame" and message["lane"] == lane:
                self.items.remove(message)
                return message
        return None

    def put_frame(self, frame: Message) -> None:
        """Queue a frame at the end; an unsent older frame of its lane is folded into it."""
        older = self.take_frame(frame["lane"])
        if older is not None:
            frame["costs"] = np.concatenate([older["costs"], frame["costs"]])
            frame.pop("_text", None)
        self.waiting.add(frame["lane"])
        self.put(frame)

    def drop_frames(self) -> None:
        """Forget every unsent frame (after a reset or a new configuration)."""
        self.items = deque(m for m in self.items if m["type"] != "frame")
        self.waiting.clear()

    async def get(self) -> Message:
        """The next message to send, waiting for one if needed."""
        while not self.items:
            self.ready.clear()
            await self.ready.wait()
        message = self.items.popleft()
        if message["type"] == "frame":
            self.waiting.discard(message["lane"])
        return message

    def mark_sent(self) -> None:
        """Called by the sender after each message: wakes a trainer waiting for room."""
        self.sent.set()
