"""The attacks of issues 12 and 21 while a class plays: students' frames/s and iterations/s
before and during each attack, and their ratio (target: students keep >= 80% of their
frames/s); the server's RSS (all its processes) before and after, and /healthz latency during.

    python -m bench.classroom --abuse all --clients 20
    python -m bench.abuse --abuse rest,gradcheck --clients 20
    python -m bench.abuse --abuse gridbomb,hugeint,hugesweep,sweepflood,roomflood,probe,headers

Every attack goes to this machine's loopback only, is bounded in count and time, and stops.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import socket
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx
from websockets.asyncio.client import connect

from bench.classroom import Student, class_configs, play
from bench.stream import free_port, start_server
from tests.playground.test_slow_clients import raw_websocket, send_text

BIG = {
    "dataset": {"name": "spiral", "samples": 2000},
    "network": {"hidden": [64] * 8},
    "optimizer": {"name": "adam", "learning_rate": 0.001},
}
LANES = [{"label": f"lane {i}", "optimizer": {"name": "adam"}} for i in range(4)]
Attack = Callable[[str, asyncio.Event], Awaitable[None]]


async def rest_runs(base: str, stop: asyncio.Event, count: int) -> None:
    """`count` clients posting the largest run the limits allow, over and over."""

    async def one(http: httpx.AsyncClient) -> None:
        while not stop.is_set():
            body = {"config": BIG, "iterations": 200_000}
            await http.post("/api/train", json=body)
            await http.post("/api/train", json={"config": BIG, "iterations": 500})

    async with httpx.AsyncClient(base_url=base, timeout=120) as http:
        await asyncio.gather(*(one(http) for _ in range(count)))


async def gradchecks(base: str, stop: asyncio.Event, count: int = 45) -> None:
    """`count` sessions asking for gradient checks in a loop."""
    url = base.replace("http", "ws") + "/ws"

    async def one() -> None:
        async with connect(url, max_size=None) as ws:
            await ws.recv()
            await ws.send(
                json.dumps({"type": "configure", "config": {"network": {"hidden": [40]}}})
            )
            while not stop.is_set():
                await ws.send(json.dumps({"type": "gradcheck"}))
                while json.loads(await ws.recv())["type"] not in ("gradcheck", "error"):
                    pass

    await asyncio.gather(*(one() for _ in range(count)))


async def non_readers(base: str, stop: asyncio.Event, count: int = 4) -> None:
    """`count` raw sockets that configure 45 times a second and never read."""
    port = int(base.rsplit(":", 1)[1])
    socks = [raw_websocket(port) for _ in range(count)]
    configure = json.dumps({"type": "configure", "config": {"network": {"hidden": [8]}}})
    try:
        while not stop.is_set():
            for sock in socks:
                with contextlib.suppress(OSError):
                    send_text(sock, configure)
            await asyncio.sleep(1 / 45)
    finally:
        for sock in socks:
            sock.close()


async def big_configures(base: str, stop: asyncio.Event) -> None:
    """One client sending a 4-lane configure of the largest network 10 times a second."""
    url = base.replace("http", "ws") + "/ws"
    message = json.dumps({"type": "configure", "config": BIG, "lanes": LANES})
    async with connect(url, max_size=None) as ws:
        await ws.recv()
        while not stop.is_set():
            await ws.send(message)
            await asyncio.sleep(0.1)
            while True:  # read what came, without waiting
                try:
                    await asyncio.wait_for(ws.recv(), 0.001)
                except TimeoutError:
                    break


async def big_bodies(base: str, stop: asyncio.Event) -> None:
    """50 MB POST bodies, one after another."""
    body = b'{"iterations": 1, "pad": "' + b"x" * (50 << 20) + b'"}'
    async with httpx.AsyncClient(base_url=base, timeout=60) as http:
        while not stop.is_set():
            headers = {"content-type": "application/json"}
            await http.post("/api/train", content=body, headers=headers)
            await asyncio.sleep(0.2)


GRID_BOMB = {  # 100^4 = 10^8 grid points in a 4 KB body
    "space": {
        "optimizer.learning_rate": {"choices": [0.001 * (i + 1) for i in range(100)]},
        "regularization.l2": {"choices": [0.0001 * i for i in range(100)]},
        "seed": {"choices": list(range(100))},
        "dataset.seed": {"choices": list(range(100))},
    },
    "sampler": "grid",
    "trials": 1000,
}
HUGE_INT = {"space": {"seed": {"low": 0, "high": 2**32 - 1}}, "sampler": "grid", "trials": 1000}
HUGE_SWEEP = {"config": BIG, "space": {"optimizer.learning_rate": {"low": 1e-4, "high": 1,
              "log": True}}, "trials": 1000, "iterations": 200_000}  # fmt: skip
SMALL_SWEEP = {"space": {"optimizer.learning_rate": {"low": 1e-3, "high": 1, "log": True}},
               "trials": 200, "iterations": 2000}  # fmt: skip
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
statuses: Counter[int] = Counter()  # answers to the attack now running


async def posting(base: str, stop: asyncio.Event, path: str, body: dict, count: int) -> None:
    """`count` clients posting `body` to `path` until stopped (each answer counted)."""

    async def one(http: httpx.AsyncClient) -> None:
        while not stop.is_set():
            try:
                statuses[(await http.post(path, json=body)).status_code] += 1
            except httpx.HTTPError:
                statuses[0] += 1

    async with httpx.AsyncClient(base_url=base, timeout=120) as http:
        await asyncio.gather(*(one(http) for _ in range(count)))


async def sweep_flood(base: str, stop: asyncio.Event, count: int = 6) -> None:
    """`count` clients creating affordable sweeps in parallel; all cancelled at the end."""
    made: list[tuple[str, str]] = []

    async def one(http: httpx.AsyncClient) -> None:
        while not stop.is_set():
            answer = await http.post("/api/sweeps", json=SMALL_SWEEP)
            statuses[answer.status_code] += 1
            if answer.status_code == 202:
                made.append((answer.json()["url"], answer.json()["key"]))
            else:
                await asyncio.sleep(0.05)

    async with httpx.AsyncClient(base_url=base, timeout=120) as http:
        await asyncio.gather(*(one(http) for _ in range(count)))
        for url, key in made:  # leave the workers idle for the next attack
            await http.delete(url, headers={"X-Sweep-Key": key})


async def room_flood(base: str, stop: asyncio.Event) -> None:
    """One client asking for 600 rooms as fast as it can."""
    async with httpx.AsyncClient(base_url=base, timeout=60) as http:
        for _ in range(600):
            if stop.is_set():
                break
            statuses[(await http.post("/api/rooms")).status_code] += 1


async def code_probe(base: str, stop: asyncio.Event, count: int = 4) -> None:
    """`count` clients guessing 5-character join codes (GET /api/rooms/{code})."""

    async def one(http: httpx.AsyncClient) -> None:
        while not stop.is_set():
            code = "".join(random.choice(ALPHABET) for _ in range(5))
            statuses[(await http.get(f"/api/rooms/{code}")).status_code] += 1

    async with httpx.AsyncClient(base_url=base, timeout=60) as http:
        await asyncio.gather(*(one(http) for _ in range(count)))


async def huge_headers(base: str, stop: asyncio.Event) -> None:
    """5 MB request headers, one request after another."""
    port = int(base.rsplit(":", 1)[1])
    request = (
        b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Pad: " + b"a" * (5 << 20) + b"\r\n\r\n"
    )

    def one() -> None:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
            try:
                sock.sendall(request)
                answer = sock.recv(64)
            except OSError:
                answer = b""
            statuses[int(answer[9:12]) if answer[9:12].isdigit() else 0] += 1

    while not stop.is_set():
        await asyncio.to_thread(one)


ATTACKS: dict[str, Attack] = {
    "rest4": lambda base, stop: rest_runs(base, stop, 4),
    "rest16": lambda base, stop: rest_runs(base, stop, 16),
    "gradcheck": gradchecks,
    "nonreader": non_readers,
    "configure": big_configures,
    "body": big_bodies,
    "gridbomb": lambda base, stop: posting(base, stop, "/api/sweeps", GRID_BOMB, 4),
    "hugeint": lambda base, stop: posting(base, stop, "/api/sweeps", HUGE_INT, 4),
    "hugesweep": lambda base, stop: posting(base, stop, "/api/sweeps", HUGE_SWEEP, 6),
    "sweepflood": sweep_flood,
    "roomflood": room_flood,
    "probe": code_probe,
    "headers": huge_headers,
}


def tree_rss(pid: int) -> int:
    """Resident bytes of a process and all its descendants (from /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                stat = (entry / "stat").read_text()
                parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    family, grew = {pid}, True
    while grew:
        more = {child for child, parent in parents.items() if parent in family} - family
        family |= more
        grew = bool(more)
    total = 0
    for member in family:
        with contextlib.suppress(OSError, ValueError):
            for line in Path(f"/proc/{member}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
    return total


async def health_latencies(base: str, stop: asyncio.Event, seen: list[float]) -> None:
    """GET /healthz every 0.1 s until stopped, each answer's seconds in `seen` (30 s: none)."""
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        while not stop.is_set():
            started = time.perf_counter()
            try:
                await http.get("/healthz")
                seen.append(time.perf_counter() - started)
            except httpx.HTTPError:
                seen.append(30.0)
            await asyncio.sleep(0.1)


def window(student: Student, start: float, end: float) -> tuple[float, float]:
    """(frames/s, iterations/s) of a student between two times."""
    inside = [(t, i) for t, i in zip(student.times, student.iterations, strict=True)
              if start <= t <= end]  # fmt: skip
    if len(inside) < 2:
        return 0.0, 0.0
    span = inside[-1][0] - inside[0][0]
    return (len(inside) - 1) / span, (inside[-1][1] - inside[0][1]) / span


async def under_attack(
    port: int, configs: list, attack: Attack, seconds: float, server: int
) -> tuple:
    """Students play `seconds` alone, then `seconds` under the attack, while /healthz is
    timed; the server's RSS is read before the attack and after it ends."""
    url, base = f"ws://127.0.0.1:{port}/ws", f"http://127.0.0.1:{port}"
    students = [Student(name, config) for name, config in configs]
    warmup = 3.0
    statuses.clear()
    started = time.perf_counter()
    playing = asyncio.gather(*(play(url, s, warmup, 2 * seconds + 1) for s in students))
    await asyncio.sleep(warmup + seconds)
    rss_before = tree_rss(server)
    stop, latencies = asyncio.Event(), []
    attacking = asyncio.create_task(attack(base, stop))
    probing = asyncio.create_task(health_latencies(base, stop, latencies))
    await asyncio.sleep(seconds + 1)
    stop.set()
    await playing
    try:
        await asyncio.wait_for(attacking, 30)
    except (TimeoutError, OSError, httpx.HTTPError, Exception):
        attacking.cancel()
    await probing
    rss_after = tree_rss(server)
    t0 = started + warmup
    before = [window(s, t0, t0 + seconds) for s in students]
    during = [window(s, t0 + seconds + 1, t0 + 2 * seconds + 1) for s in students]
    return before, during, (rss_before, rss_after), latencies


def report(name: str, before: list, during: list, rss: tuple, latencies: list) -> None:
    """One line per attack: median frames/s and it/s before and during, and the ratio; RSS
    before and after; /healthz p50 and max during; the attack's answers by status."""
    fps_b, fps_d = (statistics.median(f for f, _ in rows) for rows in (before, during))
    its_b, its_d = (statistics.median(i for _, i in rows) for rows in (before, during))
    low = min(f for f, _ in during)
    ratio = fps_d / fps_b if fps_b else float("nan")
    p50 = statistics.median(latencies) * 1000 if latencies else float("nan")
    worst = max(latencies) * 1000 if latencies else float("nan")
    answers = " ".join(f"{code}x{n}" for code, n in sorted(statuses.items())) or "-"
    print(f"{name:10} frames/s {fps_b:5.1f} -> {fps_d:5.1f} (min {low:4.1f}) ratio {ratio:4.2f} "
          f"{'ok' if ratio >= 0.8 else 'MISSED'} | it/s {its_b:7.0f} -> {its_d:7.0f} | "
          f"RSS {rss[0] / 2**20:5.0f} -> {rss[1] / 2**20:5.0f} MB | /healthz p50 {p50:5.1f} ms "
          f"max {worst:6.1f} ms | answers {answers}")  # fmt: skip


def run(names: list[str], clients: int, seconds: float, workers: int) -> None:
    """Start a server, play each attack against a class of `clients`, print, stop."""
    port = free_port()
    os.environ.setdefault("DESCENT_DATA_DIR", tempfile.mkdtemp(prefix="descent-abuse-"))
    server = start_server(port, workers)
    try:
        lessons = httpx.get(f"http://127.0.0.1:{port}/api/lessons", timeout=30).json()["lessons"]
        flower = [lesson for lesson in lessons if lesson["name"] == "planar-flower"]
        configs = class_configs(flower, clients)
        print(f"abuse: {clients} students playing the flower lesson, {seconds:g} s before and "
              f"during each attack, {workers or os.cpu_count()} worker(s); load average "
              f"{os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")  # fmt: skip
        for name in names:
            attack = ATTACKS[name]
            measured = asyncio.run(under_attack(port, configs, attack, seconds, server.pid))
            report(name, *measured)
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    """Parse arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--abuse", default="all", help=f"all or some of {', '.join(ATTACKS)}")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--workers", type=int, default=0)
    args = parser.parse_args()
    names = list(ATTACKS) if args.abuse == "all" else args.abuse.split(",")
    run(names, args.clients, args.seconds, args.workers)


if __name__ == "__main__":
    main()
