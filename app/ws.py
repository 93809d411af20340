"""The /ws endpoint: hello, then control messages in and throttled frames out."""

from __future__ import annotations

import contextlib
import json
import logging
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
from app.outbox import Outbox
from app.schemas import validate
from app.security import origin_allowed, websocket_token_error
from app.session import Session
from app.settings import Settings

router = APIRouter()
log = logging.getLogger("descent.ws")


def parse(text: str | bytes | None, settings: Settings) -> Any:
    """A client message as a validated model; FieldError for anything malformed."""
    if not isinstance(text, str):
        raise FieldError(None, "messages must be JSON text, not binary")
    size = len(text.encode())
    if size > settings.max_message_bytes:
        limit = settings.max_message_bytes
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
        await session.step(message.iterations)
    elif kind == "set":
        await session.set(message)
    elif kind == "rate":
        await session.rate(message.frames_per_second)
    elif kind == "gradcheck":
        await session.gradcheck(message.lane)
    elif kind == "join":
        await session.room.join(message)
    else:
        await getattr(session, kind)()


async def receive(websocket: WebSocket, session: Session, settings: Settings) -> None:
    """Handle messages until the client goes; errors are replied to, never fatal."""
    rate = MessageRate(
        settings.max_messages_per_second, settings.message_burst, settings.abusive_messages
    )
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
            await dispatch(session, parse(event.get("text", event.get("bytes")), settings))
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
        message = await outbox.get()
        await websocket.send_text(message.pop("_text", None) or encode_message(message))
        outbox.mark_sent()


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
    if refusal is None and not sessions.enter():
        refusal = sessions.full_error()
    if refusal is not None:  # the page reads the reason, then the close
        with contextlib.suppress(WebSocketDisconnect, RuntimeError, OSError):  # already gone
            await websocket.send_text(encode_message(refusal))
            await websocket.close(1008 if refusal["field"] == "token" else 1013)
        return
    try:
        await session_loop(websocket, settings)
    finally:
        sessions.leave()


async def session_loop(websocket: WebSocket, settings: Settings) -> None:
    """hello, then messages in and frames out until either side goes."""
    outbox = Outbox()
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
    try:
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(sender, websocket, outbox, tasks.cancel_scope)
            await receive(websocket, session, settings)
            tasks.cancel_scope.cancel()
    finally:
        await session.room.leave()
        engine.remove(session)


async def sender(websocket: WebSocket, outbox: Outbox, scope: anyio.CancelScope) -> None:
    """Run `send`; a closed socket ends the whole session."""
    try:
        await send(websocket, outbox)
    except (WebSocketDisconnect, RuntimeError, OSError):
        scope.cancel()
