"""The /ws endpoint: hello, then control messages in and throttled frames out."""

from __future__ import annotations

import contextlib
import json
import logging
import re
import time
from typing import Any

import anyio
from fastapi import APIRouter, WebSocket
from starlette.websockets import WebSocketDisconnect

from app import __version__
from app.encoding import encode_message
from app.engine import engine_for_loop
from app.errors import FieldError
from app.limits import MAX_NESTING, MessageRate, nesting_depth
from app.messages import CLIENT_MESSAGES
from app.options import build_options
from app.outbox import Outbox, OutboxOverflowError
from app.schemas import validate
from app.security import origin_allowed, websocket_token_error
from app.session import Session
from app.settings import Settings

router = APIRouter()
WATCHDOG_SECONDS = 1.0
REBUILDS = ("configure", "resume")  # a thousand times a play's cost: rate-limited on their own
RESUME = re.compile(r'\s*\{\s*"type"\s*:\s*"resume"')  # may be as big as max_resume_bytes
log = logging.getLogger("descent.ws")


def parse(text: str | bytes | None, settings: Settings) -> Any:
    """A client message as a validated model; FieldError for anything malformed."""
    if not isinstance(text, str):
        raise FieldError(None, "messages must be JSON text, not binary")
    size = len(text.encode())
    limit = settings.max_resume_bytes if RESUME.match(text) else settings.max_message_bytes
    if size > limit:
        raise FieldError(None, f"message too big: at most {limit} bytes (got {size})")
    try:
        data = json.loads(text)
        depth = nesting_depth(data)
    except ValueError as error:
        raise FieldError(None, f"not valid JSON: {error}") from None
    except RecursionError:  # the decoder's own limit
        depth = MAX_NESTING + 1
    if depth > MAX_NESTING:
        raise FieldError(None, f"nested too deeply: at most {MAX_NESTING} levels of [] and {{}}")
    if not isinstance(data, dict):
        raise FieldError(None, "a message must be a JSON object with a 'type'")
    kind = data.get("type")
    model = CLIENT_MESSAGES.get(kind) if isinstance(kind, str) else None
    if model is None:
        known = ", ".join(CLIENT_MESSAGES)
        raise FieldError("type", f"unknown message type {kind!r}; one of {known}")
    return validate(model, data, drop=("config",) if kind == "configure" else ())


async def dispatch(session: Session, message: Any) -> None:
    """Call the session method for one validated message."""
    kind = message.type
    session.room.check(kind)  # rooms: play and step wait while the teacher holds the class
    if kind == "configure":
        await session.configure(message)
    elif kind == "step":
        await session.step(message)
    elif kind == "set":
        await session.set(message)
    elif kind == "rate":
        await session.rate(message.frames_per_second)
    elif kind == "speed":
        await session.speed(message.iterations_per_frame)
    elif kind == "gradcheck":
        await session.gradcheck(message.lane)
    elif kind == "resume":
        await session.resume(message)
    elif kind == "checkpoints":
        await session.checkpoints(message.enabled)
    elif kind == "join":
        await session.room.join(message)
    elif kind == "edit":
        await session.edit(message)
    elif kind == "replay":
        await session.replay(message.iteration)
    elif kind == "landscape":
        await session.landscape(message)
    else:
        await getattr(session, kind)()


async def receive(websocket: WebSocket, session: Session, settings: Settings) -> None:
    """Handle messages until the client goes; errors are replied to, never fatal."""
    rate = MessageRate(
        settings.max_messages_per_second, settings.message_burst, settings.abusive_messages
    )
    rebuilds = MessageRate(settings.max_configures_per_second, settings.configure_burst, 10**9)
    while True:
        event = await websocket.receive()
        if event["type"] == "websocket.disconnect":
            return
        if not rate.allow():  # dropped with an error; far over the rate ends the session
            if rate.abusive():
                with contextlib.suppress(WebSocketDisconnect, RuntimeError, OSError):
                    await websocket.close(1008, "too many messages")
                return
            session.outbox.put(rate.error())
            continue
        try:
            message = parse(event.get("text", event.get("bytes")), settings)
            if message.type in REBUILDS and not rebuilds.allow():
                limit = settings.max_configures_per_second
                raise FieldError(
                    "type",
                    f"too many {message.type}s: at most {limit:g} per second, each rebuilds "
                    "the session (DESCENT_MAX_CONFIGURES_PER_SECOND); this one was dropped",
                    limit=limit,
                )
            await dispatch(session, message)
        except FieldError as error:
            extra = {k: v for k, v in error.extra.items() if k in ("limit", "value")}
            session.outbox.put(
                {"type": "error", "message": str(error), "field": error.field, **extra}
            )
        except Exception:  # a bug must not end the session; the client hears about it
            log.exception("message failed")
            session.outbox.put({"type": "error", "message": "internal error", "field": None})


async def send(websocket: WebSocket, outbox: Outbox) -> None:
    """Send queued messages one by one (frames were merged while waiting)."""
    while True:
        await websocket.send_text(await outbox.get())


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
        await session_loop(websocket, settings)
    finally:
        if entered:
            sessions.leave(client)


async def session_loop(websocket: WebSocket, settings: Settings) -> None:
    """hello, then messages in and frames out until either side goes."""
    outbox = Outbox(settings.max_outbox_bytes, settings.stall_seconds)
    engine = engine_for_loop(settings.engine_threads)
    session = Session(settings, outbox, engine)
    session.room.hub = getattr(websocket.app.state, "rooms", None)
    limits = settings.limits()
    outbox.put(
        {
            "type": "hello",
            "version": __version__,
            "options": build_options(limits),
            "limits": limits.model_dump(),
        }
    )
    engine.add(session)
    LIVE_SESSIONS.add(session)
    try:
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(sender, websocket, outbox, tasks.cancel_scope)
            tasks.start_soon(watchdog, outbox, tasks.cancel_scope)
            await receive(websocket, session, settings)
            tasks.cancel_scope.cancel()
    finally:
        engine.remove(session)
        LIVE_SESSIONS.discard(session)
        await session.room.leave()
    if outbox.overflow is not None:  # let a client that stopped reading go, saying why
        with anyio.move_on_after(1), contextlib.suppress(Exception):
            await websocket.close(1008, outbox.overflow[:120])


LIVE_SESSIONS: set[Session] = set()  # this process's, for the final checkpoints


async def checkpoint_every_session(timeout: float) -> None:
    """(shutdown) Every session that keeps checkpoints sends one now, and it is written."""
    sessions = [s for s in LIVE_SESSIONS if s.keeps_checkpoints and s.lanes]
    with anyio.move_on_after(timeout):
        for session in sessions:
            await session.command(session.checkpoint_now)
        while any(session.outbox.items for session in sessions):
            await anyio.sleep(0.01)


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
