"""/ws/teach/{code}: the teacher's dashboard and the projector's spotlight, live.

The first message is `{"type": "auth", "key": KEY, "view": "dashboard" | "spotlight"}` (the key
travels in a message, not the URL, so it never appears in access logs). Then the dashboard
gets `room` (everything now) and `tiles` (what changed, latest per student, gathered for a
quarter of a second); the spotlight gets `spotlight` (who) and `spot` (that student's frames).
Both get `command` for every teacher command and `closed` when the room ends.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from typing import Any

import anyio
from fastapi import APIRouter, WebSocket
from starlette.websockets import WebSocketDisconnect

from app.rooms.broker import Subscription
from app.rooms.hub import Hub, RoomError, channel, public
from app.rooms.tiles import figure_list
from app.shared.access import origin_allowed, websocket_token_error
from app.wire.encoding import encode_message
from app.wire.errors import error_message

router = APIRouter()
AUTH_SECONDS = 10.0
SEND_SECONDS = 0.5
CHECK_SECONDS = 2.0
GONE = (WebSocketDisconnect, RuntimeError, OSError)


async def refuse(websocket: WebSocket, message: dict[str, Any], code: int = 1008) -> None:
    """Send the reason, then close."""
    with contextlib.suppress(*GONE):
        await websocket.send_text(encode_message(message))
        await websocket.close(code)


async def authenticate(websocket: WebSocket, hub: Hub, code: str) -> tuple[dict, str] | None:
    """(room record, view) from the auth message, or None after refusing."""
    try:
        text = await asyncio.wait_for(websocket.receive_text(), AUTH_SECONDS)
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("type") != "auth":
            raise ValueError("the first message must be {'type': 'auth', 'key': ...}")
        client = websocket.client.host if websocket.client else ""
        record = await hub.authorize(code, str(data.get("key") or ""), client)
    except RoomError as error:
        await refuse(websocket, error_message(error.message, error.field))
        return None
    except (ValueError, TimeoutError) as error:
        await refuse(websocket, error_message(str(error) or "auth timed out", "key"))
        return None
    view = data.get("view", "dashboard")
    return record, view if view in ("dashboard", "spotlight") else "dashboard"


@router.websocket("/ws/teach/{code}")
async def teach(websocket: WebSocket, code: str) -> None:
    """Authenticate, then stream the dashboard or the spotlight until either side goes."""
    settings = websocket.app.state.settings
    if not origin_allowed(websocket.scope, settings):
        await websocket.close(1008, "origin not allowed")
        return
    await websocket.accept()
    refusal = websocket_token_error(websocket.scope, settings)
    if refusal is not None:
        await refuse(websocket, refusal)
        return
    hub: Hub = websocket.app.state.rooms
    try:
        found = await authenticate(websocket, hub, code)
    except GONE:
        return
    if found is None:
        return
    record, view = found
    watch = (
        Dashboard(websocket, hub, record)
        if view == "dashboard"
        else Spotlight(websocket, hub, record)
    )
    with contextlib.suppress(*GONE):
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(watch.run, tasks.cancel_scope)
            while (await websocket.receive())["type"] != "websocket.disconnect":
                pass  # the dashboard sends commands over REST; anything else is ignored
            tasks.cancel_scope.cancel()


class Watch:
    """What both views share: the room's command channel and a wake-up for any news."""

    parts: tuple[tuple[str, str | None], ...] = ()
    pace = 0.0  # seconds to gather more news after sending some

    def __init__(self, websocket: WebSocket, hub: Hub, record: dict[str, Any]) -> None:
        self.websocket = websocket
        self.hub = hub
        self.record = record
        self.code: str = record["code"]
        self.ready = asyncio.Event()

    async def send(self, message: dict[str, Any]) -> None:
        """One message to the teacher's page."""
        await self.websocket.send_text(encode_message(message))

    async def run(self, scope: anyio.CancelScope) -> None:
        """Subscribe, greet, then forward news until the room closes or the socket goes."""
        broker = self.hub.broker
        ready = self.ready
        subs = [await broker.subscribe(channel(self.code, p), k, ready) for p, k in self.parts]
        commands = await broker.subscribe(channel(self.code, "commands"), None, ready)
        try:
            await self.greet()
            checked = time.monotonic()
            while True:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.ready.wait(), SEND_SECONDS)
                resync = any(sub.reconnected for sub in [*subs, commands])
                for sub in [*subs, commands]:
                    sub.reconnected = False
                for command in commands.take():
                    await self.send({"type": "command", **command})
                    if command.get("command") == "close":
                        await self.send({"type": "closed", "room": self.code})
                        scope.cancel()
                        return
                    self.remember(command)
                if resync or time.monotonic() - checked > CHECK_SECONDS:
                    checked = time.monotonic()
                    await self.check(resync)
                if await self.forward(subs):
                    await asyncio.sleep(self.pace)
        finally:
            for sub in [*subs, commands]:
                await sub.close()

    def remember(self, command: dict[str, Any]) -> None:
        """Keep the record up to date with a command (for restoring it)."""
        kind = command.get("command")
        if kind == "push":
            self.record["lesson"] = {"config": command["config"], "lock": command["lock"],
                                    "lesson": command.get("lesson")}  # fmt: skip
        elif kind in ("pause", "resume"):
            self.record["paused"] = kind == "pause"
        elif kind == "spotlight":
            self.record["spotlight"] = command.get("name")

    async def check(self, resync: bool) -> None:
        """Put the room back if Redis lost it (a restart), and resend everything after one;
        keep the room alive while its teacher watches."""
        with contextlib.suppress(Exception):  # still away: try again at the next check
            await self.hub.store.create(self.code, self.record, self.hub.settings.room_idle_seconds)
            await self.hub.touch(self.record)  # the teacher is watching: the room lives on
            if resync:
                await self.greet()

    async def greet(self) -> None:
        """Everything the view needs now."""

    async def forward(self, subs: list[Subscription]) -> bool:
        """Send what arrived; whether anything was sent."""
        return False


class Dashboard(Watch):
    """Tiles, latest per student."""

    parts = (("tiles", "name"),)
    pace = 0.25  # a class's tiles in a few messages a second, not one message per tile

    async def greet(self) -> None:
        students = await self.hub.students(self.code)
        limit = self.hub.settings.max_room_students
        await self.send({"type": "room", "code": self.code, "students": students,
                         "lesson": self.record["lesson"], "paused": self.record["paused"],
                         "spotlight": self.record["spotlight"], "max_students": limit,
                         "figures": figure_list()})  # fmt: skip

    async def forward(self, subs: list[Subscription]) -> bool:
        tiles = [public(tile) for tile in subs[0].take()]
        if tiles:
            await self.send({"type": "tiles", "students": tiles, "now": time.time()})
        return bool(tiles)


class Spotlight(Watch):
    """The spotlighted student's frames (latest only)."""

    parts = (("spot", "kind"),)

    async def greet(self) -> None:
        await self.send({"type": "spotlight", "name": self.record["spotlight"]})

    async def forward(self, subs: list[Subscription]) -> bool:
        sent = False
        for message in subs[0].take():
            if message.get("name") == self.record["spotlight"]:
                await self.send(message)
                sent = True
        return sent
