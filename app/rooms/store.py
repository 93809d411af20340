"""Where rooms live: their record (key hash, lesson) and their students' latest tiles.

MemoryRoomStore serves one process; RedisRoomStore keeps the same data in Redis, so every
worker of every container sees every room. A student's tile doubles as its roster entry:
it carries the client id that claimed the name and when it was last seen, and a tile not
refreshed for STALE_SECONDS (a worker that died) frees its name.
"""

from __future__ import annotations

import time
from typing import Any

import orjson

Record = dict[str, Any]
STALE_SECONDS = 10.0
ROOM_TTL_SECONDS = 12 * 3600  # a restored room's lifetime; the hub passes its own (idle)


def fresh(tile: Record, now: float) -> bool:
    """Whether a tile was refreshed recently enough to hold its name."""
    return now - float(tile.get("seen", 0.0)) < STALE_SECONDS


def claim_error(tiles: dict[str, Record], name: str, client: str, limit: int) -> str | None:
    """Why `client` may not take `name` among these (fresh) tiles, or None."""
    holder = tiles.get(name)
    if holder is not None and holder.get("client") != client:
        return "taken"
    others = [n for n, tile in tiles.items() if n != name]
    return "full" if len(others) >= limit else None


class MemoryRoomStore:
    """Rooms in this process's memory."""

    def __init__(self) -> None:
        self.records: dict[str, Record] = {}
        self.tiles: dict[str, dict[str, Record]] = {}
        self.expires: dict[str, float] = {}  # code -> when its record goes, as Redis's EX

    def expire(self) -> None:
        """Forget every room whose time ran out (Redis does this by itself)."""
        now = time.monotonic()
        for code in [c for c, end in self.expires.items() if end <= now]:
            self.records.pop(code, None)
            self.tiles.pop(code, None)
            self.expires.pop(code, None)

    async def create(self, code: str, record: Record, ttl: float = ROOM_TTL_SECONDS) -> bool:
        """Store a new room for `ttl` seconds; False if the code is in use."""
        self.expire()
        if code in self.records:
            return False
        self.records[code] = record
        self.tiles[code] = {}
        self.expires[code] = time.monotonic() + ttl
        return True

    async def count(self) -> int:
        """Rooms open."""
        self.expire()
        return len(self.records)

    async def get(self, code: str) -> Record | None:
        """A room's record, or None."""
        self.expire()
        return self.records.get(code)

    async def put(self, code: str, record: Record, ttl: float = ROOM_TTL_SECONDS) -> None:
        """Replace a room's record (its lesson changed), or restore it, for `ttl` seconds."""
        if record.get("closed"):  # one process: nothing could restore it, so no tombstone
            await self.delete(code)
            return
        self.records[code] = record
        self.tiles.setdefault(code, {})
        self.expires[code] = time.monotonic() + ttl

    async def touch(self, code: str, ttl: float) -> None:
        """The room lives `ttl` seconds from now (its teacher is here)."""
        if code in self.records:
            self.expires[code] = time.monotonic() + ttl

    async def delete(self, code: str) -> None:
        """Forget a room and its tiles."""
        self.records.pop(code, None)
        self.tiles.pop(code, None)
        self.expires.pop(code, None)

    async def students(self, code: str) -> dict[str, Record]:
        """name -> latest fresh tile."""
        now = time.time()
        return {n: t for n, t in self.tiles.get(code, {}).items() if fresh(t, now)}

    async def claim(
        self, code: str, name: str, client: str, tile: Record, limit: int
    ) -> str | None:
        """Take a name for a client: None, "taken" or "full"."""
        error = claim_error(await self.students(code), name, client, limit)
        if error is None:
            self.tiles.setdefault(code, {})[name] = tile
        return error

    async def save(self, code: str, name: str, tile: Record) -> None:
        """A student's latest tile (refreshing its claim)."""
        if code in self.records:
            self.tiles[code][name] = tile

    async def release(self, code: str, name: str, client: str) -> None:
        """Give a name back (only its own client can)."""
        tiles = self.tiles.get(code, {})
        if tiles.get(name, {}).get("client") == client:
            del tiles[name]


class RedisRoomStore:
    """Rooms in Redis: descent:room:CODE (JSON record), descent:room:CODE:students (hash)."""

    def __init__(self, client: Any) -> None:
        self.client = client

    @staticmethod
    def key(code: str, part: str = "") -> str:
        """The Redis key of a room (or of one of its parts)."""
        return f"descent:room:{code}{':' + part if part else ''}"

    async def create(self, code: str, record: Record, ttl: float = ROOM_TTL_SECONDS) -> bool:
        """SET NX EX ttl: False if the code is in use."""
        created = await self.client.set(self.key(code), orjson.dumps(record), nx=True, ex=int(ttl))
        return bool(created)

    async def count(self) -> int:
        """Rooms open (at most a few hundred keys to count), of 4- and 5-character codes."""
        total = 0
        for pattern in ("descent:room:????", "descent:room:?????"):
            total += sum([1 async for _ in self.client.scan_iter(match=pattern, count=500)])
        return total

    async def get(self, code: str) -> Record | None:
        """A room's record, or None."""
        raw = await self.client.get(self.key(code))
        return None if raw is None else orjson.loads(raw)

    async def put(self, code: str, record: Record, ttl: float = ROOM_TTL_SECONDS) -> None:
        """Replace (or restore) a room's record."""
        await self.client.set(self.key(code), orjson.dumps(record), ex=int(ttl))

    async def touch(self, code: str, ttl: float) -> None:
        """The room lives `ttl` seconds from now (its teacher is here)."""
        await self.client.expire(self.key(code), int(ttl))

    async def delete(self, code: str) -> None:
        """Forget a room and its tiles."""
        await self.client.delete(self.key(code), self.key(code, "students"))

    async def students(self, code: str) -> dict[str, Record]:
        """name -> latest fresh tile."""
        raw = await self.client.hgetall(self.key(code, "students"))
        now = time.time()
        tiles = {name.decode(): orjson.loads(value) for name, value in raw.items()}
        return {n: t for n, t in tiles.items() if fresh(t, now)}

    async def claim(
        self, code: str, name: str, client: str, tile: Record, limit: int
    ) -> str | None:
        """Take a name for a client: None, "taken" or "full" (checked, then written)."""
        error = claim_error(await self.students(code), name, client, limit)
        if error is None:
            await self.save(code, name, tile)
        return error

    async def save(self, code: str, name: str, tile: Record) -> None:
        """A student's latest tile (refreshing its claim and the room's lifetime)."""
        students = self.key(code, "students")
        async with self.client.pipeline(transaction=False) as pipe:
            pipe.hset(students, name, orjson.dumps(tile))
            pipe.expire(students, ROOM_TTL_SECONDS)
            await pipe.execute()

    async def release(self, code: str, name: str, client: str) -> None:
        """Give a name back (only its own client can)."""
        students = self.key(code, "students")
        raw = await self.client.hget(students, name)
        if raw is not None and orjson.loads(raw).get("client") == client:
            await self.client.hdel(students, name)


RoomStore = MemoryRoomStore | RedisRoomStore
