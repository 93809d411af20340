"""Stream and AsyncStream: a live playground session, iterated frame by frame.

Both carry a Conversation (descent.frames) over the websockets package, which is imported
only here and only when a stream opens, so the rest of the client works without it."""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import AsyncIterator, Iterator
from typing import Any

from descent.errors import DescentError, unreachable
from descent.frames import MISSING_WEBSOCKETS, Conversation, Frame, text_of

MAX_MESSAGE_BYTES = None  # frames are capped by the server; never refuse one here


def websockets_module(flavour: str) -> Any:
    """websockets.sync.client or websockets.asyncio.client, or a clear ImportError."""
    try:
        return importlib.import_module(f"websockets.{flavour}.client")
    except ImportError:
        raise ImportError(MISSING_WEBSOCKETS) from None


def socket_errors() -> tuple[type[Exception], ...]:
    """What connecting and reading may raise: OS errors and websockets' own exceptions."""
    exceptions = importlib.import_module("websockets.exceptions")
    return (OSError, exceptions.WebSocketException)


def controls(kind: str, **fields: Any) -> dict[str, Any]:
    """A control message, without the fields that are None."""
    return {"type": kind, **{k: v for k, v in fields.items() if v is not None}}


class Stream:
    """A live run: iterate it for Frames. It connects on the first iteration, configures,
    then plays (or steps exactly `iterations`), and closes its socket when the iteration
    ends, when the loop breaks, or on close(). Controls (pause, play, set, ...) may be sent
    from another thread while one thread iterates."""

    def __init__(self, url: str, conversation: Conversation, open_timeout: float) -> None:
        self.url = url
        self.conversation = conversation
        self.open_timeout = open_timeout
        self.socket: Any = None
        self.exits: Any = None

    @property
    def configured(self) -> dict[str, Any] | None:
        """The server's `configured` message (dataset points, extent, lanes), once it came."""
        return self.conversation.configured

    @property
    def hello(self) -> dict[str, Any] | None:
        """The server's `hello` message (version, options, limits)."""
        return self.conversation.hello

    def open(self) -> None:
        """Connect and send the configure (done by the first iteration when not called)."""
        if self.socket is not None:
            return
        client = websockets_module("sync")
        self.exits = contextlib.ExitStack()
        try:  # connect() as a context manager: websockets 17 warns about any other use
            self.socket = self.exits.enter_context(
                client.connect(self.url, max_size=MAX_MESSAGE_BYTES, open_timeout=self.open_timeout)
            )
        except socket_errors() as error:
            raise unreachable(self.url, error) from error
        for message in self.conversation.opening():
            self.send(message)

    def __iter__(self) -> Iterator[Frame]:
        self.open()
        try:
            while not self.conversation.finished:
                try:
                    text = self.socket.recv()
                except socket_errors() as error:  # the server closed the connection
                    raise closed(error) from error
                frames, replies = self.conversation.receive(text)
                for reply in replies:
                    self.send(reply)
                yield from frames
        finally:
            self.close()

    def send(self, message: dict[str, Any]) -> None:
        """Send any client message of the protocol (docs/protocol.md)."""
        if self.socket is None:
            raise DescentError("the stream is not open: iterate it (or call open()) first")
        self.socket.send(text_of(message))

    def play(self) -> None:
        """Train continuously."""
        self.send(controls("play"))

    def pause(self) -> None:
        """Stop training (the server answers with an exact frame of every lane)."""
        self.send(controls("pause"))

    def step(self, iterations: int = 1) -> None:
        """Exactly `iterations` more updates on every lane."""
        self.send(controls("step", iterations=iterations))

    def set(self, lane: int | None = None, **changes: Any) -> None:
        """Live changes without a reset, e.g. set(learning_rate=0.1)."""
        self.send(controls("set", changes=changes, lane=lane))

    def speed(self, iterations_per_frame: int | None) -> None:
        """k iterations between two frames of a lane (None: as fast as the machine goes)."""
        self.send({"type": "speed", "iterations_per_frame": iterations_per_frame})

    def close(self) -> None:
        """Close the socket (the server ends the session)."""
        if self.socket is not None:
            self.socket = None
            self.exits.close()

    def __enter__(self) -> Stream:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AsyncStream:
    """A live run for asyncio: `async for frame in stream`; the same controls as coroutines."""

    def __init__(self, url: str, conversation: Conversation, open_timeout: float) -> None:
        self.url = url
        self.conversation = conversation
        self.open_timeout = open_timeout
        self.socket: Any = None
        self.exits: Any = None

    @property
    def configured(self) -> dict[str, Any] | None:
        """The server's `configured` message, once it came."""
        return self.conversation.configured

    @property
    def hello(self) -> dict[str, Any] | None:
        """The server's `hello` message."""
        return self.conversation.hello

    async def open(self) -> None:
        """Connect and send the configure (done by the first iteration when not called)."""
        if self.socket is not None:
            return
        client = websockets_module("asyncio")
        self.exits = contextlib.AsyncExitStack()
        try:
            self.socket = await self.exits.enter_async_context(
                client.connect(self.url, max_size=MAX_MESSAGE_BYTES, open_timeout=self.open_timeout)
            )
        except socket_errors() as error:
            raise unreachable(self.url, error) from error
        for message in self.conversation.opening():
            await self.send(message)

    async def __aiter__(self) -> AsyncIterator[Frame]:
        await self.open()
        try:
            while not self.conversation.finished:
                try:
                    text = await self.socket.recv()
                except socket_errors() as error:
                    raise closed(error) from error
                frames, replies = self.conversation.receive(text)
                for reply in replies:
                    await self.send(reply)
                for frame in frames:
                    yield frame
        finally:
            await self.close()

    async def send(self, message: dict[str, Any]) -> None:
        """Send any client message of the protocol."""
        if self.socket is None:
            raise DescentError("the stream is not open: iterate it (or await open()) first")
        await self.socket.send(text_of(message))

    async def play(self) -> None:
        """Train continuously."""
        await self.send(controls("play"))

    async def pause(self) -> None:
        """Stop training."""
        await self.send(controls("pause"))

    async def step(self, iterations: int = 1) -> None:
        """Exactly `iterations` more updates on every lane."""
        await self.send(controls("step", iterations=iterations))

    async def set(self, lane: int | None = None, **changes: Any) -> None:
        """Live changes without a reset, e.g. set(learning_rate=0.1)."""
        await self.send(controls("set", changes=changes, lane=lane))

    async def speed(self, iterations_per_frame: int | None) -> None:
        """k iterations between two frames of a lane (None: as fast as it goes)."""
        await self.send({"type": "speed", "iterations_per_frame": iterations_per_frame})

    async def close(self) -> None:
        """Close the socket."""
        if self.socket is not None:
            self.socket = None
            await self.exits.aclose()

    async def __aenter__(self) -> AsyncStream:
        await self.open()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()


def closed(error: Exception) -> DescentError:
    """The server ended the session (its close code and reason say why)."""
    code = getattr(getattr(error, "rcvd", None), "code", None)
    reason = getattr(getattr(error, "rcvd", None), "reason", "")
    return DescentError(f"the server closed the live run (code {code}: {reason or error})")
