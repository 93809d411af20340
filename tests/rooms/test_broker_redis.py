"""Rooms across processes through a real Redis (Debian's redis-server, started here)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.rooms.broker import make_broker
from tests.redis_server import RedisServer
from tests.room_clients import Student, Teacher, until
from tests.servers import served

pytestmark = pytest.mark.slow


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    """A redis-server of this test's own."""
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


async def wait_for(subscription: Any, predicate: Any, seconds: float = 5.0) -> list[dict]:
    """Messages taken from a subscription until one satisfies predicate (or time is up)."""
    seen: list[dict] = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        seen += await subscription.get(0.2)
        if any(predicate(m) for m in seen):
            return seen
    raise AssertionError(f"nothing matched within {seconds} s; saw {seen}")


def test_two_redis_brokers_deliver_each_others_messages(redis_server: RedisServer) -> None:
    async def run() -> None:
        (one, _), (two, _) = make_broker(redis_server.url), make_broker(redis_server.url)
        try:
            heard = await two.subscribe("descent:room:TEST:commands")
            await asyncio.sleep(0.3)  # the listener subscribes in Redis
            assert await one.publish("descent:room:TEST:commands", {"command": "pause"})
            seen = await wait_for(heard, lambda m: m == {"command": "pause"})
            assert seen == [{"command": "pause"}]
        finally:
            await one.close()
            await two.close()

    asyncio.run(run())


def test_a_slow_reader_gets_the_latest_tile_per_student_not_a_queue(
    redis_server: RedisServer,
) -> None:
    async def run() -> None:
        (broker, _) = make_broker(redis_server.url)
        try:
            tiles = await broker.subscribe("descent:room:TEST:tiles", key="name")
            await asyncio.sleep(0.3)
            for iteration in range(200):
                for name in ("ada", "bo"):
                    await broker.publish("descent:room:TEST:tiles", {"name": name, "i": iteration})
            await asyncio.sleep(0.5)  # the reader was busy: 400 messages arrived meanwhile
            assert sorted(tiles.take(), key=lambda t: t["name"]) == [
                {"name": "ada", "i": 199},
                {"name": "bo", "i": 199},
            ]
        finally:
            await broker.close()

    asyncio.run(run())


def test_subscriptions_come_back_after_redis_restarts(redis_server: RedisServer) -> None:
    async def run() -> None:
        (broker, _) = make_broker(redis_server.url)
        try:
            heard = await broker.subscribe("descent:room:TEST:commands")
            await asyncio.sleep(0.3)
            redis_server.stop()
            assert not await broker.publish("descent:room:TEST:commands", {"n": 1})
            redis_server.start()
            deadline = time.monotonic() + 5
            while not heard.reconnected and time.monotonic() < deadline:
                await asyncio.sleep(0.1)
            assert heard.reconnected, "the subscription was not told about the reconnect"
            assert await broker.publish("descent:room:TEST:commands", {"n": 2})
            assert {"n": 2} in await wait_for(heard, lambda m: m == {"n": 2})
        finally:
            await broker.close()

    asyncio.run(run())


def workers_with_sessions(base: str) -> set[int]:
    """Worker processes holding sessions, asked over fresh connections (the kernel spreads them)."""
    busy: set[int] = set()
    for _ in range(30):
        with httpx.Client(base_url=base) as client:
            answer = client.get("/healthz/sessions").json()
        if answer["sessions"]:
            busy.add(answer["process"])
    return busy


def test_a_room_spans_two_workers_and_the_teacher_steers_all_of_it(
    redis_server: RedisServer,
) -> None:
    settings = {"DESCENT_REDIS_URL": redis_server.url}
    with served("--workers", "2", settings=settings) as (base, _):
        room = httpx.post(f"{base}/api/rooms").json()
        code, key = room["code"], room["teacher_key"]

        async def run() -> None:
            students = [Student(base, code, f"student {i}") for i in range(4)]
            for student in students:
                await student.start()
            while len(workers_with_sessions(base)) < 2 and len(students) < 10:
                students.append(Student(base, code, f"student {len(students)}"))
                await students[-1].start()
            assert len(workers_with_sessions(base)) == 2, "every student landed on one worker"
            teacher = Teacher(base, code, key)
            await teacher.start()
            names = {s.name for s in students}
            await until(lambda: names <= set(teacher.tiles), 5, "the teacher sees every student")
            await until(
                lambda: all(teacher.tiles[n]["iteration"] > 0 for n in names), 5, "tiles update"
            )
            lesson = {"config": {"optimizer": {"name": "adam", "learning_rate": 0.01}},
                      "lock": ["optimizer", "learning_rate"]}  # fmt: skip
            pushed = time.monotonic()
            answer = httpx.post(f"{base}/api/rooms/{code}/push", json=lesson,
                                headers={"X-Teacher-Key": key})  # fmt: skip
            assert answer.json()["delivered"]

            def configured_with_adam(m: dict) -> bool:
                return (
                    m["type"] == "configured"
                    and m["lanes"][0]["config"]["optimizer"]["name"] == "adam"
                )

            await until(lambda: all(s.heard(configured_with_adam) for s in students), 3,
                        "every student is configured with the pushed lesson")  # fmt: skip
            assert time.monotonic() - pushed < 3
            for student in students:
                assert student.heard(lambda m: m.get("event") == "lesson"
                                     and m["lock"] == ["learning_rate", "optimizer"])  # fmt: skip
            await until(lambda: all(teacher.tiles[n]["config"]["optimizer"] == "adam"
                                    for n in names), 5, "the tiles show the lesson")  # fmt: skip
            httpx.post(f"{base}/api/rooms/{code}/pause", headers={"X-Teacher-Key": key})
            await until(lambda: all(s.heard(lambda m: m.get("event") == "paused")
                                    for s in students), 3, "every student is paused")  # fmt: skip
            answer = httpx.get(f"{base}/api/rooms/{code}", headers={"X-Teacher-Key": key})
            assert {s["name"] for s in answer.json()["students"]} == names
            for student in students:
                await student.socket.close()
            await teacher.socket.close()

        asyncio.run(run())


def test_students_keep_training_through_a_redis_restart_and_the_dashboard_recovers(
    redis_server: RedisServer,
) -> None:
    settings = {"DESCENT_REDIS_URL": redis_server.url}
    with served(settings=settings) as (base, _):
        room = httpx.post(f"{base}/api/rooms").json()
        code, key = room["code"], room["teacher_key"]

        async def run() -> None:
            students = [Student(base, code, name) for name in ("ada", "bo")]
            for student in students:
                await student.start()
            teacher = Teacher(base, code, key)
            await teacher.start()
            await until(lambda: {"ada", "bo"} <= set(teacher.tiles), 5, "tiles before")
            redis_server.stop()
            before = [s.iteration() for s in students]
            await asyncio.sleep(2.0)
            assert all(s.iteration() > b for s, b in zip(students, before, strict=True)), (
                "students stopped training while Redis was away"
            )
            down = httpx.get(f"{base}/api/rooms/{code}", headers={"X-Teacher-Key": key})
            assert down.status_code == 503
            redis_server.start()  # empty: it never wrote to disk
            restarted = time.monotonic()
            stale = {name: tile["seen"] for name, tile in teacher.tiles.items()}
            await until(lambda: all(teacher.tiles[n]["seen"] > stale[n] for n in ("ada", "bo")),
                        5, "the dashboard gets fresh tiles after the restart")  # fmt: skip
            recovery = time.monotonic() - restarted
            assert recovery < 5
            answer = httpx.get(f"{base}/api/rooms/{code}", headers={"X-Teacher-Key": key})
            assert answer.status_code == 200, "the room came back with the restart"
            for student in students:
                await student.socket.close()
            await teacher.socket.close()

        asyncio.run(run())


def test_the_container_start_runs_its_own_redis_for_several_workers(tmp_path: Path) -> None:
    from tests.redis_server import redis_server_path
    from tests.servers import ROOT, free_port, wait_until_healthy

    redis_server_path()  # skip (or fail under CI) without it
    port = free_port()
    env = {**os.environ, "DESCENT_VENV": str(ROOT / ".venv"), "DESCENT_HOST": "127.0.0.1",
           "DESCENT_PORT": str(port), "DESCENT_WORKERS": "2", "TMPDIR": str(tmp_path)}  # fmt: skip
    env.pop("DESCENT_REDIS_URL", None)
    server = subprocess.Popen(["sh", str(ROOT / "deploy" / "container.sh"), "start"], env=env)
    pidfile = tmp_path / "descent-redis" / "redis.pid"
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_healthy(base, server)
        assert (tmp_path / "descent-redis" / "redis.sock").is_socket()
        room = httpx.post(f"{base}/api/rooms").json()
        headers = {"X-Teacher-Key": room["teacher_key"]}
        answers = {httpx.get(f"{base}/api/rooms/{room['code']}", headers=headers).status_code
                   for _ in range(12)}  # fresh connections: both workers answer  # fmt: skip
        assert answers == {200}, "a worker did not see the room"
        assert len(workers_answering(base)) == 2
    finally:
        server.terminate()
        server.wait(timeout=30)
        if pidfile.exists():
            os.kill(int(pidfile.read_text()), signal.SIGTERM)


def workers_answering(base: str) -> set[int]:
    """The worker processes that answered /healthz/sessions over fresh connections."""
    return {httpx.get(f"{base}/healthz/sessions").json()["process"] for _ in range(30)}
