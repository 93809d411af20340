"""What waits for one client: replies in order, at most one frame per lane, latest run only,
and never more than a cap of bytes: a client that stops reading is let go, not buffered."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from dataclasses import dataclass
from typing import Any

from app.wire.encoding import encode_message
from app.wire.frames import Frame

Message = dict[str, Any]
Item = Message | Frame
COLLAPSING = ("configured", "status", "gradcheck")  # only the latest of each (per lane) matters


class OutboxOverflowError(Exception):
    """The client has not read for too long, or too much waits for it."""


@dataclass(eq=False)
class Reply:
    """A queued reply's text, and the kind it collapses with (None: never collapses)."""

    key: str | None
    text: str


def collapse_key(message: Message) -> str | None:
    """configured, status and gradcheck replies replace their unsent predecessor (per lane)."""
    kind = message.get("type")
    return f"{kind}:{message.get('lane')}" if kind in COLLAPSING else None


class Outbox:
    """A FIFO of replies and frames. An unsent frame is folded into its lane's next one, and a
    frame of a newer run (after configure or reset) drops every unsent frame of older runs."""

    def __init__(
        self, max_bytes: int = 8 << 20, stall_seconds: float = 30.0, binary: bool = False
    ) -> None:
        self.binary = binary  # the client reads frames as binary messages (encode_binary)
        self.items: deque[Reply | Frame] = deque()
        self.max_bytes = max_bytes
        self.stall_seconds = stall_seconds
        self.bytes = 0  # of replies' text waiting (frames are bounded: one per lane)
        self.progress = time.monotonic()  # the last send, or when the queue was last empty
        self.overflow: str | None = None
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
        if not self.items:
            self.progress = time.monotonic()
        if isinstance(item, Frame):
            self._fold(item)
            self.items.append(item)
        else:
            reply = Reply(collapse_key(item), encode_message(item))
            if reply.key is not None:
                self._drop_reply(reply.key)
            self.items.append(reply)
            self.bytes += len(reply.text)
            if self.bytes > self.max_bytes:
                self.overflow = f"not reading: over {self.max_bytes} bytes wait for this client"
        self.ready.set()

    def _drop_reply(self, key: str) -> None:
        """Forget the unsent reply of this kind, if any."""
        for item in self.items:
            if isinstance(item, Reply) and item.key == key:
                self.items.remove(item)
                self.bytes -= len(item.text)
                return

    def stalled(self, now: float) -> bool:
        """Whether messages have waited stall_seconds without the client taking any."""
        if self.items and now - self.progress > self.stall_seconds:
            self.overflow = f"not reading: nothing taken for {self.stall_seconds:g} s"
        return self.overflow is not None

    def _fold(self, frame: Frame) -> None:
        """Drop older runs' frames; take the costs of this lane's unsent frame."""
        if frame.run > self.run:
            stale = {i.lane for i in self.items if isinstance(i, Frame)}  # type: ignore[union-attr]
            self.items = deque(i for i in self.items if not isinstance(i, Frame))
            self.unsent -= stale
            self.run = frame.run
        for item in self.items:
            if isinstance(item, Frame) and item.lane == frame.lane:
                self.items.remove(item)
                frame.absorb(item)
                return

    async def get(self) -> str | bytes:
        """The next message: JSON text, or a binary frame's bytes; waits for one if needed."""
        while not self.items and self.overflow is None:
            self.ready.clear()
            await self.ready.wait()
        if self.overflow is not None:
            raise OutboxOverflowError(self.overflow)
        item = self.items.popleft()
        self.progress = time.monotonic()
        if isinstance(item, Frame):
            self.unsent.discard(item.lane)
            return item.encoded()
        self.bytes -= len(item.text)
        return item.text
