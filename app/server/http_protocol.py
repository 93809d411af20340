"""uvicorn's HTTP protocol with a deadline for a request's headers: a client that opens a
connection and never finishes its headers (slowloris) is closed after HEADER_SECONDS instead
of holding the connection for ever, which uvicorn otherwise lets it do."""

from __future__ import annotations

import asyncio

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

HEADER_SECONDS = 10.0


class DeadlineHttpProtocol(HttpToolsProtocol):
    """Closes the connection when a request's headers take longer than HEADER_SECONDS."""

    header_deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self.start_deadline()

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
        super().on_headers_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self.cancel_deadline()
        super().connection_lost(exc)
