"""A classroom in one room: what the room costs the students, and how fresh the dashboard is.

Starts Debian's redis-server on a Unix socket and `descent serve --workers N` pointed at it,
then plays the class of bench/classroom.py twice: once as plain playground sessions, once
with every student joined to one room and the teacher's dashboard socket open. Prints the
students' frames/s in both runs and their ratio (target >= 0.90), the age of the tiles the
dashboard holds, sampled every 0.25 s (now - the tile's `seen`; p99 target <= 2 s), and the
broker's messages/s (Redis PUBLISH calls over the run).

Run: .venv/bin/python -m bench.room --clients 100 --seconds 20 --workers 2
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import httpx
from websockets.asyncio.client import connect

from bench.classroom import Student, class_configs, summary
from bench.stream import cpu_seconds, frame_iteration, free_port, percentile, start_server


async def play(
    url: str,
    student: Student,
    warmup: float,
    seconds: float,
    room: str,
    name: str,
    heard: dict[str, float],
) -> None:
    """Configure, join the room (when given), play, record frame times after the warm-up."""
    async with connect(url, max_size=None, compression="deflate", open_timeout=60) as ws:
        await ws.recv()  # hello
        await ws.send(json.dumps({"type": "configure", "config": student.config}))
        if room:
            await ws.send(json.dumps({"type": "join", "room": room, "name": name}))
        await ws.send(json.dumps({"type": "play"}))
        start = time.perf_counter()
        while (now := time.perf_counter()) < start + warmup + seconds:
            try:
                text = await asyncio.wait_for(ws.recv(), start + warmup + seconds - now)
            except TimeoutError:
                break
            iteration = frame_iteration(text)
            if iteration is None and (message := json.loads(text))["type"] == "error":
                student.errors.append(message["message"])
            elif iteration is None and message.get("event") == "spotlight":
                heard[name] = time.time()
            if iteration is not None and now >= start + warmup:
                student.times.append(now)
                student.iterations.append(iteration)


async def dashboard(url: str, key: str, stop: asyncio.Event, ages: list[float]) -> int:
    """The teacher's socket; every 0.25 s, the age of the latest tile it holds of each student
    (now - that tile's `seen`: publication interval plus delivery). Returns how many students."""
    latest: dict[str, float] = {}

    async def sample() -> None:
        while not stop.is_set():
            await asyncio.sleep(0.25)
            now = time.time()
            ages.extend(now - seen for seen in latest.values())

    async with connect(url, max_size=None, open_timeout=60) as ws:
        await ws.send(json.dumps({"type": "auth", "key": key}))
        sampler = asyncio.create_task(sample())
        while not stop.is_set():
            try:
                message = json.loads(await asyncio.wait_for(ws.recv(), 0.5))
            except TimeoutError:
                continue
            for tile in message.get("students", []) if message["type"] == "tiles" else []:
                if tile["state"] != "left":
                    latest[tile["name"]] = tile["seen"]
        await sampler
    return len(latest)


async def run(port: int, students: list[Student], warmup: float, seconds: float,
              room: str = "", key: str = "") -> tuple[list[float], int, list[float]]:  # fmt: skip
    """The class (in the room, with its dashboard, when a code is given)."""
    base = f"ws://127.0.0.1:{port}"
    stop, ages = asyncio.Event(), []
    teacher = dashboard(f"{base}/ws/teach/{room}", key, stop, ages)
    watching = asyncio.create_task(teacher) if room else None
    if watching is None:
        teacher.close()
    heard: dict[str, float] = {}
    names = [f"s{i}" for i in range(len(students))]
    playing = [play(f"{base}/ws", s, warmup, seconds, room, n, heard)
               for s, n in zip(students, names, strict=True)]  # fmt: skip
    sent = asyncio.create_task(spotlight(base, room, key, warmup + seconds / 2)) if room else None
    await asyncio.gather(*playing)
    stop.set()
    at = await sent if sent is not None else 0.0
    late = sorted(heard.get(n, float("inf")) - at for n in names)
    return ages, (await watching if watching else 0), late


async def spotlight(base: str, room: str, key: str, after: float) -> float:
    """After `after` seconds, spotlight student s0 (every student hears of it); when sent."""
    await asyncio.sleep(after)
    http = base.replace("ws://", "http://")
    async with httpx.AsyncClient(base_url=http, timeout=30) as client:
        at = time.time()
        await client.post(f"/api/rooms/{room}/spotlight", json={"name": "s0"},
                          headers={"X-Teacher-Key": key})  # fmt: skip
    return at


def publishes(socket: Path) -> int:
    """PUBLISH calls Redis has served so far."""
    import redis

    with redis.Redis(unix_socket_path=str(socket)) as client:
        return int(client.info("commandstats").get("cmdstat_publish", {}).get("calls", 0))


def main() -> None:
    """Start Redis and the server, run the class without and with the room, print, stop."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=1, help="alternate the two runs N times")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="descent-bench-redis-"))
    socket = folder / "redis.sock"
    redis_server = subprocess.Popen(
        [shutil.which("redis-server") or "/usr/bin/redis-server", "--port", "0", "--unixsocket",
         str(socket), "--save", "", "--appendonly", "no", "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    while not socket.exists():
        time.sleep(0.05)
    os.environ["DESCENT_REDIS_URL"] = f"unix://{socket}"
    os.environ["DESCENT_MAX_ROOM_STUDENTS"] = str(max(100, args.clients))
    port = free_port()
    server = start_server(port, args.workers)
    try:
        http = f"http://127.0.0.1:{port}"
        lessons = httpx.get(f"{http}/api/lessons", timeout=30).json()["lessons"]
        configs = class_configs(lessons, args.clients)
        print(f"room: {args.clients} students, {args.workers} workers, {args.seconds:g} s after "
              f"{args.warmup:g} s; load average {os.getloadavg()[0]:.2f}")  # fmt: skip
        rates: dict[str, list[float]] = {"without room": [], "in one room ": []}
        for label in list(rates) * args.repeat:
            students = [Student(name, config) for name, config in configs]
            room = httpx.post(f"{http}/api/rooms").json() if label.startswith("in") else {}
            cpu, calls, wall = cpu_seconds(server.pid), publishes(socket), time.perf_counter()
            code, key = room.get("code", ""), room.get("teacher_key", "")
            ages, seen, late = asyncio.run(
                run(port, students, args.warmup, args.seconds, code, key)
            )
            span = time.perf_counter() - wall
            rates[label].append(summary(label, students, (cpu_seconds(server.pid) - cpu) / span))
            if ages:
                ages.sort()
                print(f"  dashboard: {seen} students seen, {len(ages)} tiles, age median "
                      f"{statistics.median(ages):.2f} s, p99 {percentile(ages, 0.99):.2f} s "
                      f"(target <= 2 s); broker {(publishes(socket) - calls) / span:.0f} "
                      f"messages/s")  # fmt: skip
                print(f"  a teacher command (spotlight) reached {sum(x < 60 for x in late)} of "
                      f"{len(late)} students: median {statistics.median(late):.2f} s, slowest "
                      f"{late[-1]:.2f} s (target < 1 s)")  # fmt: skip
        ratios = [a / b for a, b in zip(rates["in one room "], rates["without room"], strict=True)]
        print(f"students' median frames/s in the room / without: "
              f"{', '.join(f'{r:.2f}' for r in ratios)} (target >= 0.90)")  # fmt: skip
    finally:
        server.terminate()
        server.wait(timeout=30)
        redis_server.terminate()
        redis_server.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
