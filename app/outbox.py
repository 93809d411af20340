"""What waits for one client: replies in order, at most one frame per lane, latest run only."""

from __future__ import annotations

import asyncio
from collections import deque
from typing import Any

from app.encoding import encode_message
from app.frames import Frame

Message = dict[str, Any]
Item = Message | Frame


class Outbox:
    """A FIFO of replies and frames. An unsent frame is folded into its lane's next one, and a
    frame of a newer run (after configure or reset) drops every unsent frame of older runs."""

    def __init__(self) -> None:
        self.items: deque[Item] = deque()
        self.run = 0
        # the one flag: lanes whose running frame was built and is not yet sent. The engine
        # thread sets it (claim) when it builds the frame; the sender clears it once sent.
        self.unsent: set[int] = set()
        self.ready = asyncio.Event()

    def claim(self, lane: int) -> None:
        """(engine thread) A running frame of this lane is on its way: build no other."""
        self.unsent.add(lane)

    def waiting(self, lane: int) -> bool:
        """Whether this lane's running frame has not been sent yet."""
        return lane in self.unsent

    def put(self, item: Item) -> None:
        """Queue a reply (hello, configured, status, gradcheck, error) or a frame."""
        if isinstance(item, Frame):
            self._fold(item)
        self.items.append(item)
        self.ready.set()

    def _fold(self, frame: Frame) -> None:
        """Drop older runs' frames; take the costs of this lane's unsent frame."""
        if frame.run > self.run:
            stale = {i.lane for i in self.items if isinstance(i, Frame)}
            self.items = deque(i for i in self.items if not isinstance(i, Frame))
            self.unsent -= stale
            self.run = frame.run
        for item in self.items:
            if isinstance(item, Frame) and item.lane == frame.lane:
                self.items.remove(item)
                frame.absorb(item)
                return

    async def get(self) -> str:
        """The next message's JSON text, waiting for one if needed."""
        while not self.items:
            self.ready.clear()
            await self.ready.wait()
        item = self.items.popleft()
        if isinstance(item, Frame):
            self.unsent.discard(item.lane)
            return item.encoded()
        return encode_message(item)
