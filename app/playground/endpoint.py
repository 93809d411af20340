"""The /ws endpoint: hello, then control messages in (app/playground/table.py) and throttled
frames out."""

from __future__ import annotations

import contextlib
import logging
import re
import time
from dataclasses import dataclass

import anyio
from fastapi import APIRouter, FastAPI, WebSocket
from starlette.websockets import WebSocketDisconnect

from app import __version__
from app.playground.engine import engine_for_loop
from app.playground.limits import MessageRate
from app.playground.outbox import Outbox, OutboxOverflowError
from app.playground.registry import LiveSessions
from app.playground.session import Session
from app.playground.table import (
    Connection,
    Extension,
    MessageType,
    big_message_pattern,
    message_table,
    parse,
)
from app.settings import Settings
from app.shared.access import origin_allowed, websocket_token_error
from app.wire.encoding import encode_message
from app.wire.errors import FieldError, error_message, error_reply
from app.wire.options import build_options

router = APIRouter()
WATCHDOG_SECONDS = 1.0
log = logging.getLogger("descent.ws")


@dataclass(frozen=True)
class Wiring:
    """The message table and extensions this app's playground socket serves."""

    table: dict[str, MessageType]
    extensions: tuple[Extension, ...]
    big: re.Pattern[str]


def install(app: FastAPI, extensions: tuple[Extension, ...] = ()) -> None:
    """Serve /ws with the session's messages and those of `extensions`."""
    table = message_table(extensions)
    app.state.playground = Wiring(table, extensions, big_message_pattern(table))
    app.state.sessions = LiveSessions(
        app.state.settings.max_sessions, app.state.settings.max_sessions_per_client
    )
    app.include_router(router)


async def receive(
    websocket: WebSocket, connection: Connection, settings: Settings, wiring: Wiring
) -> None:
    """Handle messages until the client goes; errors are replied to, never fatal."""
    rate = MessageRate(
        settings.max_messages_per_second, settings.message_burst, settings.abusive_messages
    )
    rebuilds = MessageRate(settings.max_configures_per_second, settings.configure_burst, 10**9)
    outbox = connection.session.outbox
    while True:
        event = await websocket.receive()
        if event["type"] == "websocket.disconnect":
            return
        if not rate.allow():  # dropped with an error; far over the rate ends the session
            if rate.abusive():
                with contextlib.suppress(WebSocketDisconnect, RuntimeError, OSError):
                    await websocket.close(1008, "too many messages")
                return
            outbox.put(rate.error())
            continue
        try:
            text = event.get("text", event.get("bytes"))
            entry, message = parse(text, settings, wiring.table, wiring.big)
            if entry.rebuilds and not rebuilds.allow():
                limit = settings.max_configures_per_second
                raise FieldError(
                    "type",
                    f"too many {message.type}s: at most {limit:g} per second, each rebuilds "
                    "the session (DESCENT_MAX_CONFIGURES_PER_SECOND); this one was dropped",
                    limit=limit,
                )
            connection.check(message.type)  # e.g. a room holding the class refuses play
            await entry.handle(connection, message)
        except FieldError as error:
            outbox.put(error_reply(error))
        except Exception:  # a bug must not end the session; the client hears about it
            log.exception("message failed")
            outbox.put(error_message("internal error"))


async def send(websocket: WebSocket, outbox: Outbox) -> None:
    """Send queued messages one by one (frames were merged while waiting)."""
    while True:
        message = await outbox.get()
        if isinstance(message, bytes):
            await websocket.send_bytes(message)
        else:
            await websocket.send_text(message)


@router.websocket("/ws")
async def playground(websocket: WebSocket) -> None:
    """One connection = one session; leaving stops its training at once."""
    settings: Settings = websocket.app.state.settings
    if not origin_allowed(websocket.scope, settings):  # before accept: HTTP 403
        await websocket.close(1008, "origin not allowed")
        return
    await websocket.accept()
    refusal = websocket_token_error(websocket.scope, settings)
    sessions = websocket.app.state.sessions
    client = websocket.client.host if websocket.client else ""
    if refusal is None:
        refusal = sessions.enter(client)
        entered = refusal is None
    else:
        entered = False
    if refusal is not None:  # the page reads the reason, then the close
        with contextlib.suppress(WebSocketDisconnect, RuntimeError, OSError):  # already gone
            await websocket.send_text(encode_message(refusal))
            await websocket.close(1008 if refusal["field"] == "token" else 1013)
        return
    try:
        await session_loop(websocket, settings, websocket.app.state.playground)
    finally:
        if entered:
            sessions.leave(client)


async def session_loop(websocket: WebSocket, settings: Settings, wiring: Wiring) -> None:
    """hello, then messages in and frames out until either side goes."""
    binary = websocket.query_params.get("frames") == "binary"  # the page's choice
    outbox = Outbox(settings.max_outbox_bytes, settings.stall_seconds, binary)
    engine = engine_for_loop(settings.engine_threads)
    session = Session(settings, outbox, engine)
    session.peer = websocket.client.host if websocket.client else ""  # for per-client limits
    addons = {extension.name: extension.attach(session) for extension in wiring.extensions}
    connection = Connection(session, addons)
    limits = settings.limits()
    outbox.put(
        {
            "type": "hello",
            "version": __version__,
            "options": build_options(limits),
            "limits": limits.model_dump(),
            "messages": list(wiring.table),
        }
    )
    registry: LiveSessions = websocket.app.state.sessions
    engine.add(session)
    registry.add(session)
    try:
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(sender, websocket, outbox, tasks.cancel_scope)
            tasks.start_soon(watchdog, outbox, tasks.cancel_scope)
            await receive(websocket, connection, settings, wiring)
            tasks.cancel_scope.cancel()
    finally:
        engine.remove(session)
        registry.discard(session)
        await connection.close()
    if outbox.overflow is not None:  # let a client that stopped reading go, saying why
        with anyio.move_on_after(1), contextlib.suppress(Exception):
            await websocket.close(1008, outbox.overflow[:120])


async def watchdog(outbox: Outbox, scope: anyio.CancelScope) -> None:
    """End the session once its client has stopped reading (see Outbox.stalled)."""
    while not outbox.stalled(time.monotonic()):
        await anyio.sleep(WATCHDOG_SECONDS)
    scope.cancel()


async def sender(websocket: WebSocket, outbox: Outbox, scope: anyio.CancelScope) -> None:
    """Run `send`; a closed socket ends the whole session."""
    try:
        await send(websocket, outbox)
    except (WebSocketDisconnect, RuntimeError, OSError, OutboxOverflowError):
        scope.cancel()
