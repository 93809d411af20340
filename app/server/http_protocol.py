"""uvicorn's HTTP protocol with limits on a request's headers: a client that opens a
connection and never finishes its headers (slowloris) is closed after HEADER_SECONDS instead
of holding the connection for ever, and headers (request line included) longer than
DESCENT_MAX_HEADER_BYTES get a 431 and the connection is closed, before they are parsed or
kept (uvicorn's httptools parser has no limit of its own: a 5 MB header was a 200)."""

from __future__ import annotations

import asyncio

import orjson
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from app.settings import get_settings

HEADER_SECONDS = 10.0
END = b"\r\n\r\n"  # the blank line that ends the headers
LINGER_SECONDS = 2.0  # after a 431, how long the rest of the request is read and dropped


def too_large_response(limit: int) -> bytes:
    """The raw 431 answer, with the usual detail list."""
    message = f"the request's headers are over this server's limit of {limit:,} bytes"
    detail = {"type": "header_too_large", "loc": ["header"], "msg": message, "field": "headers",
              "message": message}  # fmt: skip
    body = orjson.dumps({"detail": [detail]})
    head = (
        b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-type: application/json\r\n"
        b"connection: close\r\ncontent-length: " + str(len(body)).encode() + END
    )
    return head + body


class DeadlineHttpProtocol(HttpToolsProtocol):
    """Closes the connection when a request's headers take longer than HEADER_SECONDS, and
    answers 431 when they are longer than DESCENT_MAX_HEADER_BYTES."""

    header_deadline: asyncio.TimerHandle | None = None
    in_headers = True  # between a request's first byte and its blank line
    header_bytes = 0  # of the request's headers so far
    tail = b""  # the last bytes seen, in case the blank line spans two reads
    discarding = False  # after a 431: what still comes is dropped

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self.max_header_bytes = get_settings().max_header_bytes
        self.start_deadline()

    def data_received(self, data: bytes) -> None:
        """Count the header bytes of this read (up to the blank line) before parsing it."""
        if self.discarding:
            return
        if self.in_headers:
            seen = self.tail + data
            end = seen.find(END)
            counted = len(data) if end < 0 else max(0, end + len(END) - len(self.tail))
            self.header_bytes += counted
            self.tail = seen[-(len(END) - 1) :]
            if self.header_bytes > self.max_header_bytes:
                self.headers_too_large()
                return
        super().data_received(data)

    def headers_too_large(self) -> None:
        """431, then close after LINGER_SECONDS of reading and dropping what the client still
        sends (closing at once with unread bytes would reset the connection, and the client
        would never read the 431); nothing of this request reaches the app."""
        self.cancel_deadline()
        self.in_headers, self.discarding = False, True
        if not self.transport.is_closing():
            self.transport.write(too_large_response(self.max_header_bytes))
            if self.transport.can_write_eof():
                self.transport.write_eof()
            self.loop.call_later(LINGER_SECONDS, self.transport.close)

    def start_deadline(self) -> None:
        """From now on the headers have HEADER_SECONDS to arrive."""
        self.cancel_deadline()
        self.header_deadline = self.loop.call_later(HEADER_SECONDS, self.headers_too_slow)

    def cancel_deadline(self) -> None:
        """The headers came (or the connection went)."""
        if self.header_deadline is not None:
            self.header_deadline.cancel()
            self.header_deadline = None

    def headers_too_slow(self) -> None:
        """Drop a connection whose headers did not come in time."""
        self.header_deadline = None
        if not self.transport.is_closing():
            self.transport.close()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self.start_deadline()

    def on_headers_complete(self) -> None:
        self.cancel_deadline()
        self.in_headers = False
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self.in_headers, self.header_bytes, self.tail = True, 0, b""  # the next request's

    def connection_lost(self, exc: Exception | None) -> None:
        self.cancel_deadline()
        super().connection_lost(exc)
