"""The room service of one process: its broker, its room store, codes, keys and commands."""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import time
from typing import Any

from app.rooms.broker import Broker, make_broker, redis_errors
from app.rooms.store import MemoryRoomStore, Record, RedisRoomStore, RoomStore
from app.settings import Settings

log = logging.getLogger("descent.rooms")
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud and typed
CODE_LENGTH = 4
MAX_ROOMS = 500
CLOSED_TTL_SECONDS = 600
UNAVAILABLE = (OSError, ConnectionError)


class RoomError(Exception):
    """A room request that cannot be served: HTTP status, the field at fault, the reason."""

    def __init__(self, status: int, field: str | None, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.field = field
        self.message = message

    def as_json(self) -> dict[str, Any]:
        """The REST body, shaped like the 422 details."""
        detail = {"type": "room_error", "field": self.field, "msg": self.message,
                  "message": self.message}  # fmt: skip
        return {"detail": [detail]}


def key_hash(key: str) -> str:
    """SHA-256 of a teacher key (only the hash is stored)."""
    return hashlib.sha256(key.encode()).hexdigest()


def channel(code: str, part: str) -> str:
    """A room's broker channel: tiles, commands or spot."""
    return f"descent:room:{code}:{part}"


def normal_code(code: str) -> str:
    """A join code as typed ("k7q2 ") in its stored form ("K7Q2")."""
    return code.strip().upper()


def valid_code(code: str) -> bool:
    """Whether a code could be one of ours."""
    return len(code) == CODE_LENGTH and all(c in CODE_ALPHABET for c in code)


class Hub:
    """Creates rooms, checks teacher keys, sends commands; shared by REST and sockets."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.broker: Broker
        self.broker, client = make_broker(settings.redis_url)
        self.store: RoomStore = MemoryRoomStore() if client is None else RedisRoomStore(client)

    async def guarded(self, call: Any) -> Any:
        """Await a store call; Redis away becomes a clear 503."""
        try:
            return await call
        except (*UNAVAILABLE, *self.errors()) as error:
            log.warning("room store unavailable: %s", error)
            raise RoomError(503, None, "rooms are unavailable right now (Redis is not answering); "
                                       "try again in a few seconds") from None  # fmt: skip

    def errors(self) -> tuple[type[BaseException], ...]:
        """The store's connection errors."""
        return redis_errors() if isinstance(self.store, RedisRoomStore) else ()

    async def create(self, teacher_token: str | None) -> tuple[str, str]:
        """A new room: (code, teacher key); DESCENT_TEACHER_TOKEN gates it when set."""
        expected = self.settings.teacher_token
        if expected and not hmac.compare_digest((teacher_token or "").encode(), expected.encode()):
            reason = "a teacher token is needed to create a room (X-Teacher-Token)"
            raise RoomError(403, "teacher_token", reason if not teacher_token else
                            "the teacher token is wrong")  # fmt: skip
        if await self.guarded(self.store.count()) >= MAX_ROOMS:
            raise RoomError(429, None, f"at most {MAX_ROOMS} rooms are open; close one first")
        key = secrets.token_urlsafe(18)
        record: Record = {"key_hash": key_hash(key), "created": time.time(), "lesson": None,
                          "paused": False, "spotlight": None}  # fmt: skip
        for _ in range(20):
            code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
            if await self.guarded(self.store.create(code, {**record, "code": code})):
                return code, key
        raise RoomError(503, None, "could not find a free room code; try again")

    async def find(self, code: str) -> Record:
        """A room by its join code; 404 naming the code if there is none."""
        code = normal_code(code)
        record = await self.guarded(self.store.get(code)) if valid_code(code) else None
        if record is None or record.get("closed"):
            raise RoomError(404, "room", f"no room with code {code[:12]!r}; check the code")
        return record

    async def authorize(self, code: str, key: str | None) -> Record:
        """The room, if `key` is its teacher key; 403 otherwise (after the code's own 404)."""
        record = await self.find(code)
        given = key_hash(key or "")
        if not hmac.compare_digest(given, record["key_hash"]):
            raise RoomError(403, "teacher_key", "wrong teacher key for this room (X-Teacher-Key)")
        return record

    async def command(self, record: Record, command: dict[str, Any]) -> bool:
        """Remember a command's lasting effect in the record, then publish it to the room."""
        kind = command["command"]
        if kind == "push":
            record["lesson"] = {"config": command["config"], "lock": command["lock"],
                                    "lesson": command.get("lesson")}  # fmt: skip
            record["paused"] = False
        elif kind in ("pause", "resume"):
            record["paused"] = kind == "pause"
        elif kind == "spotlight":
            record["spotlight"] = command["name"]
        if kind != "close":
            await self.guarded(self.store.put(record["code"], record))
        return await self.broker.publish(channel(record["code"], "commands"), command)

    async def close_room(self, record: Record) -> None:
        """Tell everyone the room closed, then forget it (students keep their runs)."""
        await self.command(record, {"command": "close"})
        await self.guarded(self.store.delete(record["code"]))
        tombstone = {**record, "closed": True}  # so that nobody restores it after a restart
        await self.guarded(self.store.put(record["code"], tombstone, CLOSED_TTL_SECONDS))

    async def students(self, code: str) -> list[Record]:
        """Every student's latest tile, without its client id, in name order."""
        tiles = await self.guarded(self.store.students(code))
        return [public(tiles[name]) for name in sorted(tiles, key=str.lower)]

    async def close(self) -> None:
        """Release the broker's connections (at shutdown)."""
        await self.broker.close()


def public(tile: Record) -> Record:
    """A tile as the teacher sees it (the claiming client's id stays on the server)."""
    return {k: v for k, v in tile.items() if k != "client"}
