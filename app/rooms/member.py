"""A playground session's part in a room: join, publish tiles, obey the teacher.

A RoomMember wraps a session from outside, as an addon of the playground socket
(`extension` below): the session knows nothing about rooms.
After a `join`, a task publishes the session's tile (nickname, 16x16 boundary, iteration,
costs, accuracies, key settings, state) about once a second, and the spotlighted student's
full frame five times a second; the teacher's commands arrive from the broker and are applied
through the session's own methods, so they get the same validation as the student's own.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import secrets
import time
import weakref
from typing import Any, Literal

from pydantic import Field

from app.playground.messages import Configure
from app.playground.session import Session
from app.playground.table import Connection, Extension, MessageType
from app.rooms.hub import Hub, RoomError, channel, normal_code
from app.rooms.tiles import spot_frame, summary
from app.wire.config import Model, validate
from app.wire.errors import FieldError

log = logging.getLogger("descent.rooms")
TILE_SECONDS = 0.8
SPOT_SECONDS = 0.2
NAME_MAX = 24
HELD = ("play", "step")


def clean_name(raw: str) -> str:
    """A nickname with its spaces tidied; FieldError when empty, too long or unprintable."""
    name = " ".join(raw.split())
    if not name:
        raise FieldError("name", "choose a nickname")
    if len(name) > NAME_MAX:
        raise FieldError("name", f"a nickname has at most {NAME_MAX} characters (got {len(name)})")
    if not name.isprintable():
        raise FieldError("name", "a nickname has printable characters only")
    return name


class RoomMember:
    """The room state of one session: which room, which name, held by the teacher or not."""

    def __init__(self, hub: Hub | None, session: Session) -> None:
        self.hub = hub
        self.session = weakref.proxy(session)  # no cycle: a session is freed when it ends
        self.code: str | None = None
        self.name = ""
        self.client = ""
        self.record: dict[str, Any] = {}
        self.held = False  # the teacher paused the class: play and step wait for resume
        self.was_running = False  # training when the teacher paused: resume plays again
        self.spot = False
        self.task: asyncio.Task[None] | None = None
        self.last = (-1, 0.0)  # (iteration, when it last changed): idle detection
        peer = str(getattr(session, "peer", ""))  # the socket's client address
        self.lookups = hub.lookup_bucket(peer) if hub is not None else None  # wrong codes

    def check(self, kind: str) -> None:
        """Refuse play and step while the teacher holds the class."""
        if self.held and kind in HELD:
            raise FieldError("type", "your teacher paused the class: wait for them to resume")

    async def join(self, message: Any) -> None:
        """Enter a room under a nickname (leaving any previous one)."""
        hub = self.hub
        if hub is None:
            raise FieldError("room", "this server does not serve rooms")
        code, name = normal_code(message.room), clean_name(message.name)
        try:
            record = await hub.find(code, self.lookups)
            await self.leave()
            client = message.client or secrets.token_hex(8)
            tile = await self.tile(name, client)
            refusal = await hub.guarded(
                hub.store.claim(code, name, client, tile, hub.settings.max_room_students)
            )
        except RoomError as error:
            raise FieldError(error.field or "room", error.message) from None  # 503: "room"
        if refusal == "taken":
            reason = f"the nickname {name!r} is taken in room {code}; choose another"
            raise FieldError("name", reason)
        if refusal == "full":
            limit = hub.settings.max_room_students
            raise FieldError("room", f"room {code} is full: at most {limit} students",
                             type="limit_exceeded", limit=limit)  # fmt: skip
        self.code, self.name, self.client, self.record = code, name, client, record
        self.held, self.spot = bool(record["paused"]), record["spotlight"] == name
        apply = bool(record["lesson"]) and not message.client  # coming back: keep own run
        self.session.outbox.put({"type": "room", "event": "joined", "room": code, "name": name,
                                 "client": client, "lesson": record["lesson"], "applied": apply,
                                 "paused": self.held})  # fmt: skip
        await hub.broker.publish(channel(code, "tiles"), tile)
        if apply:
            await self.configure(record["lesson"]["config"])
        self.task = asyncio.get_running_loop().create_task(self.run(code))

    async def close(self) -> None:
        """The session ended: leave the room."""
        await self.leave()

    async def leave(self) -> None:
        """Leave the room: the tile goes from the dashboard, the run stays."""
        code, self.code = self.code, None
        if self.task is not None:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self.task
            self.task = None
        if code is None or self.hub is None:
            return
        with contextlib.suppress(Exception):  # Redis away: the tile goes stale by itself
            await self.hub.store.release(code, self.name, self.client)
            gone = {"name": self.name, "state": "left"}
            await self.hub.broker.publish(channel(code, "tiles"), gone)

    async def tile(self, name: str, client: str) -> dict[str, Any]:
        """This session's tile now (its figures computed in the engine thread)."""
        figures = await self.session.command(lambda: ([], summary(self.session)))
        tile: dict[str, Any] = {"name": name, "client": client, "seen": round(time.time(), 3)}
        tile.update(figures or {"state": "idle", "iteration": 0})
        iteration, since = self.last
        if tile["iteration"] != iteration:
            self.last = (tile["iteration"], time.monotonic())
        elif tile["state"] == "paused" and time.monotonic() - since > 30 and not self.held:
            tile["state"] = "idle"
        if self.held and tile["state"] in ("paused", "idle"):
            tile["state"] = "held"
        return tile

    async def run(self, code: str) -> None:
        """Publish tiles (and spotlight frames), obey commands, until the room or session ends."""
        hub = self.hub
        assert hub is not None
        commands = await hub.broker.subscribe(channel(code, "commands"))
        next_tile = next_spot = 0.0
        try:
            while True:
                try:
                    now = time.monotonic()
                    if now >= next_tile:
                        next_tile = now + TILE_SECONDS
                        await self.publish_tile(hub, code)
                    if self.spot and now >= next_spot:
                        next_spot = now + SPOT_SECONDS
                        await self.publish_spot(hub, code)
                    due = min(next_tile, next_spot if self.spot else math.inf)
                    waiting = await commands.get(max(due - time.monotonic(), 0.01))
                    if commands.reconnected:  # Redis came back, perhaps empty: restore the room
                        commands.reconnected = False
                        await hub.store.create(code, self.record)
                    for command in waiting:
                        if not await self.obey(command):
                            return
                except asyncio.CancelledError:
                    raise
                except Exception as error:  # Redis away, a command that failed: keep going
                    log.debug("room %s, student %s: %s", code, self.name, error)
                    await asyncio.sleep(TILE_SECONDS)
        finally:
            await commands.close()

    async def publish_tile(self, hub: Hub, code: str) -> None:
        """Store and publish this session's tile."""
        tile = await self.tile(self.name, self.client)
        await hub.broker.publish(channel(code, "tiles"), tile)
        await hub.store.save(code, self.name, tile)

    async def publish_spot(self, hub: Hub, code: str) -> None:
        """Publish the full frame the projector shows."""
        message = await self.session.command(lambda: ([], spot_frame(self.session)))
        if message is not None:
            message["name"] = self.name
            await hub.broker.publish(channel(code, "spot"), message)

    async def configure(self, config: dict[str, Any]) -> None:
        """Configure the session with a pushed config (validated like the student's own)."""
        await self.session.configure(validate(Configure, {"type": "configure", "config": config}))

    async def obey(self, command: dict[str, Any]) -> bool:
        """Apply one teacher command; False when the room closed."""
        kind, outbox = command.get("command"), self.session.outbox
        if kind == "close":
            outbox.put({"type": "room", "event": "closed", "room": self.code})
            self.code, self.held, self.spot = None, False, False
            return False
        if kind == "push":
            lesson = command.get("lesson")
            self.record["lesson"] = {"config": command["config"], "lock": command["lock"],
                                     "lesson": lesson}  # fmt: skip
            self.held = self.was_running = False
            outbox.put({"type": "room", "event": "lesson", "config": command["config"],
                        "lock": command["lock"], "lesson": lesson})  # fmt: skip
            await self.configure(command["config"])
        elif kind == "pause" and not self.held:
            self.was_running = self.session.state == "running"
            self.held = self.record["paused"] = True
            outbox.put({"type": "room", "event": "paused"})
            with contextlib.suppress(FieldError):  # not configured yet: nothing to pause
                await self.session.pause()
        elif kind == "resume" and self.held:
            self.held = self.record["paused"] = False
            playing, self.was_running = self.was_running, False
            outbox.put({"type": "room", "event": "resumed", "playing": playing})
            if playing:  # resume restores what each student was doing
                with contextlib.suppress(FieldError):
                    await self.session.play()
        elif kind == "reset":
            outbox.put({"type": "room", "event": "reset"})
            with contextlib.suppress(FieldError):
                await self.session.reset()
        elif kind == "spotlight":
            self.record["spotlight"] = command.get("name")
            self.spot = command.get("name") == self.name
            outbox.put({"type": "room", "event": "spotlight", "on": self.spot})
        return True


class Join(Model):
    """Join a classroom room under a nickname."""

    type: Literal["join"]
    room: str = Field(max_length=16)
    name: str = Field(max_length=200)
    client: str | None = Field(None, max_length=64, description="rejoining as the same student")


async def join(connection: Connection, message: Join) -> None:
    """The `join` message: the session's room member enters the room."""
    member = connection.addons["room"]
    assert isinstance(member, RoomMember)
    await member.join(message)


def extension(hub: Hub | None) -> Extension:
    """Rooms on the playground socket: a member beside every session, and `join`."""
    return Extension(
        name="room",
        attach=lambda session: RoomMember(hub, session),
        messages={"join": MessageType(Join, join)},
    )
