"""The room service of one process: its broker, its room store, codes, keys and commands."""

from __future__ import annotations

import hashlib
import hmac
import logging
import math
import secrets
import time
from typing import Any

from app.rooms.broker import Broker, make_broker, redis_errors
from app.rooms.limits import Bucket, Buckets
from app.rooms.store import MemoryRoomStore, Record, RedisRoomStore, RoomStore
from app.settings import Settings

log = logging.getLogger("descent.rooms")
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud and typed
CODE_LENGTH = 5  # 31^5 = 28.6 million codes (docs/notes: the probing arithmetic)
OLD_CODE_LENGTH = 4  # codes of rooms made before, still found
CLOSED_TTL_SECONDS = 600
UNAVAILABLE = (OSError, ConnectionError)
NOT_FOUND = "no room with this code and teacher key; check both (X-Teacher-Key)"
NO_HASH = "0" * 64  # compared against when there is no room


class RoomError(Exception):
    """A room request that cannot be served: HTTP status, the field at fault, the reason,
    and for a 429 the seconds to wait."""

    def __init__(
        self, status: int, field: str | None, message: str, retry_after: float | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.field = field
        self.message = message
        self.retry_after = retry_after

    def headers(self) -> dict[str, str]:
        """Retry-After for a 429."""
        if self.retry_after is None:
            return {}
        return {"retry-after": str(max(1, math.ceil(self.retry_after)))}

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
    return len(code) in (CODE_LENGTH, OLD_CODE_LENGTH) and all(c in CODE_ALPHABET for c in code)


def too_many(what: str, wait: float) -> RoomError:
    """429: too many `what`, try again in `wait` seconds."""
    return RoomError(429, None, f"too many {what}: try again in {math.ceil(wait)} s", wait)


class Hub:
    """Creates rooms, checks teacher keys, sends commands; shared by REST and sockets."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.broker: Broker
        self.broker, client = make_broker(settings.redis_url)
        self.store: RoomStore = MemoryRoomStore() if client is None else RedisRoomStore(client)
        self.creations = Buckets(settings.rooms_per_minute / 60, settings.room_burst)
        self.lookups = Buckets(settings.room_lookups_per_minute / 60, settings.room_lookup_burst)
        self.created_by: dict[str, set[str]] = {}  # this process's rooms, by creating client

    def lookup_bucket(self, client: str) -> Bucket:
        """The bucket of failed lookups of a client address (a new one, not kept, for a
        socket whose address is unknown)."""
        if client:
            return self.lookups[client]
        settings = self.settings
        return Bucket(settings.room_lookups_per_minute / 60, settings.room_lookup_burst)

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

    async def create(self, teacher_token: str | None, client: str = "") -> tuple[str, str]:
        """A new room: (code, teacher key); DESCENT_TEACHER_TOKEN gates it when set. A client
        (an address) without the teacher token is rate-limited and holds at most
        DESCENT_MAX_ROOMS_PER_CLIENT open rooms; the holders of the token are trusted."""
        expected = self.settings.teacher_token
        if expected and not hmac.compare_digest((teacher_token or "").encode(), expected.encode()):
            reason = "a teacher token is needed to create a room (X-Teacher-Token)"
            raise RoomError(403, "teacher_token", reason if not teacher_token else
                            "the teacher token is wrong")  # fmt: skip
        trusted = bool(expected)
        if not trusted:
            await self.check_client(client)
        limit = self.settings.max_rooms
        if await self.guarded(self.store.count()) >= limit:
            raise RoomError(429, None, f"at most {limit} rooms are open; close one first",
                            self.settings.room_idle_seconds / 10)  # fmt: skip
        key = secrets.token_urlsafe(18)
        record: Record = {"key_hash": key_hash(key), "created": time.time(), "lesson": None,
                          "paused": False, "spotlight": None}  # fmt: skip
        ttl = self.settings.room_idle_seconds
        for _ in range(20):
            code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
            if await self.guarded(self.store.create(code, {**record, "code": code}, ttl)):
                if not trusted:
                    self.created_by.setdefault(client, set()).add(code)
                return code, key
        raise RoomError(503, None, "could not find a free room code; try again")

    async def check_client(self, client: str) -> None:
        """429 when this client creates rooms too fast or has too many open."""
        mine = self.created_by.get(client, set())
        for code in list(mine):  # forget rooms that closed or expired
            record = await self.guarded(self.store.get(code))
            if record is None or record.get("closed"):
                mine.discard(code)
        if not mine:
            self.created_by.pop(client, None)
        most = self.settings.max_rooms_per_client
        if len(mine) >= most:
            raise RoomError(429, None, f"you have {len(mine)} rooms open (at most {most}): "
                            "close one first", 60)  # fmt: skip
        wait = self.creations[client].take()
        if wait:
            raise too_many("new rooms", wait)

    async def find(self, code: str, bucket: Bucket | None = None) -> Record:
        """A room by its join code; 404 naming the code if there is none. A failed lookup
        takes a token from `bucket` (the asking client's); with it empty, a 429 comes before
        any lookup, so a guesser learns nothing more. There is no server-wide bucket: one
        guesser could then keep every student out."""
        code = normal_code(code)
        self.check_lookups(bucket)
        record = await self.guarded(self.store.get(code)) if valid_code(code) else None
        if record is None or record.get("closed"):
            self.failed(bucket)
            raise RoomError(404, "room", f"no room with code {code[:12]!r}; check the code")
        return record

    def check_lookups(self, bucket: Bucket | None) -> None:
        """429 while the client has guessed wrong too often."""
        wait = bucket.wait() if bucket is not None else 0.0
        if wait:
            raise too_many("wrong room codes or keys", wait)

    def failed(self, bucket: Bucket | None) -> None:
        """Count one wrong code or key."""
        if bucket is not None:
            bucket.take()

    async def authorize(self, code: str, key: str | None, client: str | None = None) -> Record:
        """The room, if `key` is its teacher key; else one 404 whether the code exists or
        not (and the same work: a hash comparison either way), counted against `client`;
        past its allowance a wrong guess gets a 429 instead, and the right key still works
        (a teacher behind the same address as a guesser is not locked out)."""
        bucket = self.lookups[client] if client is not None else None
        code = normal_code(code)
        record = await self.guarded(self.store.get(code)) if valid_code(code) else None
        if record is not None and record.get("closed"):
            record = None
        matches = hmac.compare_digest(key_hash(key or ""), (record or {}).get("key_hash", NO_HASH))
        if record is None or not matches:
            self.check_lookups(bucket)
            self.failed(bucket)
            raise RoomError(404, "room", NOT_FOUND)
        await self.touch(record)
        return record

    async def touch(self, record: Record) -> None:
        """The teacher is here: the room lives DESCENT_ROOM_IDLE_SECONDS from now."""
        ttl = self.settings.room_idle_seconds
        await self.guarded(self.store.touch(record["code"], ttl))

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
            ttl = self.settings.room_idle_seconds
            await self.guarded(self.store.put(record["code"], record, ttl))
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
