"""Rooms against a flood and a guesser (issue 21): creation capped and rate-limited per
client, rooms that expire without their teacher, join codes that cannot be enumerated."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator

from fastapi.testclient import TestClient

from app.main import create_app
from app.rooms.limits import Bucket, Buckets
from app.rooms.store import MemoryRoomStore
from app.settings import Settings
from tests.rooms.test_rooms import joined


def app_with(**settings: object) -> TestClient:
    """A TestClient serving rooms in memory with these settings."""
    return TestClient(create_app(Settings(**settings)))


def created(client: TestClient, count: int, **headers: str) -> Iterator[int]:
    """The status of each of `count` room creations."""
    for _ in range(count):
        yield client.post("/api/rooms", headers=headers).status_code


def test_one_client_holds_at_most_its_share_of_rooms():
    with app_with(max_rooms_per_client=2, room_burst=10) as client:
        rooms = [client.post("/api/rooms").json() for _ in range(2)]
        refused = client.post("/api/rooms")
        assert refused.status_code == 429 and "retry-after" in refused.headers
        assert "2 rooms open" in refused.json()["detail"][0]["message"]
        key = {"X-Teacher-Key": rooms[0]["teacher_key"]}
        assert client.delete(f"/api/rooms/{rooms[0]['code']}", headers=key).status_code == 200
        assert client.post("/api/rooms").status_code == 200  # closing one frees its place


def test_room_creation_is_rate_limited_per_client():
    with app_with(max_rooms_per_client=50, room_burst=3, rooms_per_minute=1) as client:
        assert list(created(client, 3)) == [200, 200, 200]
        refused = client.post("/api/rooms")
        assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 50


def test_a_flood_stops_at_the_server_cap_whoever_asks():
    with app_with(max_rooms=3, max_rooms_per_client=50, room_burst=50) as client:
        assert list(created(client, 4)) == [200, 200, 200, 429]


def test_holders_of_the_teacher_token_are_not_capped_per_address():
    with app_with(teacher_token="class-token", max_rooms_per_client=1, room_burst=1) as client:
        assert list(created(client, 4, **{"X-Teacher-Token": "class-token"})) == [200] * 4


def test_wrong_guesses_are_rate_limited_but_the_right_key_still_works():
    with app_with(room_lookup_burst=3, room_lookups_per_minute=1) as client:
        room = client.post("/api/rooms").json()
        guesses = [client.get(f"/api/rooms/{code}").status_code
                   for code in ("ZZZZZ", "YYYYY", room["code"])]  # fmt: skip
        assert guesses == [404, 404, 404]  # a live code without its key looks like none
        blocked = client.get("/api/rooms/XXXXX")
        assert blocked.status_code == 429 and int(blocked.headers["retry-after"]) >= 50
        assert client.get(f"/api/rooms/{room['code']}").status_code == 429  # nothing learnt
        key = {"X-Teacher-Key": room["teacher_key"]}
        assert client.get(f"/api/rooms/{room['code']}", headers=key).status_code == 200


def test_student_sockets_cannot_guess_codes_for_ever_even_by_reconnecting():
    with app_with(room_lookup_burst=2, room_lookups_per_minute=1) as client:
        code = client.post("/api/rooms").json()["code"]
        with client.websocket_connect("/ws") as ws:
            first = joined(ws, "ZZZZZ", "ada")
            assert first["type"] == "error" and "no room" in first["message"]
        with client.websocket_connect("/ws") as ws:  # a new socket from the same address
            second = joined(ws, "YYYYY", "ada")
            assert "no room" in second["message"]
            ws.send_json({"type": "join", "room": code, "name": "ada"})
            blocked = ws.receive_json()  # the live code, once blocked, is refused too
            assert blocked["type"] == "error" and "too many" in blocked["message"]


def test_a_room_without_its_teacher_expires_and_the_teacher_keeps_it_alive():
    async def scenario() -> tuple[bool, bool, bool]:
        store = MemoryRoomStore()
        await store.create("AAAAA", {"code": "AAAAA"}, ttl=0.3)
        await store.create("BBBBB", {"code": "BBBBB"}, ttl=0.3)
        await asyncio.sleep(0.2)
        await store.touch("BBBBB", 0.3)  # its teacher is watching
        await asyncio.sleep(0.2)
        gone = await store.get("AAAAA") is None
        kept = await store.get("BBBBB") is not None
        return gone, kept, await store.count() == 1

    assert asyncio.run(scenario()) == (True, True, True)


def test_an_idle_room_is_gone_for_its_students_and_teacher():
    with app_with() as client:
        room = client.post("/api/rooms").json()
        store = client.app.state.rooms.store  # type: ignore[attr-defined]
        store.expires[room["code"]] = time.monotonic() - 1  # its idle time has passed
        key = {"X-Teacher-Key": room["teacher_key"]}
        assert client.get(f"/api/rooms/{room['code']}", headers=key).status_code == 404
        with client.websocket_connect("/ws") as ws:
            assert joined(ws, room["code"], "ada")["type"] == "error"


def test_buckets_refill_and_forget_old_clients():
    bucket = Bucket(rate=100.0, burst=2)
    assert (bucket.take(), bucket.take()) == (0.0, 0.0)
    assert bucket.take() > 0
    time.sleep(0.03)
    assert bucket.take() == 0.0
    many = Buckets(rate=1.0, burst=1)
    for index in range(10_005):
        many[str(index)].take()
    assert len(many.buckets) == 10_000 and "0" not in many.buckets
