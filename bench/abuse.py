"""The attacks of issue 12 while a class plays: students' frames/s and iterations/s before and
during each attack, and their ratio (target: students keep >= 80% of their frames/s).

    python -m bench.classroom --abuse all --clients 20
    python -m bench.abuse --abuse rest,gradcheck --clients 20

Every attack goes to this machine's loopback only, is bounded in count and time, and stops.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import time
from collections.abc import Awaitable, Callable

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


ATTACKS: dict[str, Attack] = {
    "rest4": lambda base, stop: rest_runs(base, stop, 4),
    "rest16": lambda base, stop: rest_runs(base, stop, 16),
    "gradcheck": gradchecks,
    "nonreader": non_readers,
    "configure": big_configures,
    "body": big_bodies,
}


def window(student: Student, start: float, end: float) -> tuple[float, float]:
    """(frames/s, iterations/s) of a student between two times."""
    inside = [(t, i) for t, i in zip(student.times, student.iterations, strict=True)
              if start <= t <= end]  # fmt: skip
    if len(inside) < 2:
        return 0.0, 0.0
    span = inside[-1][0] - inside[0][0]
    return (len(inside) - 1) / span, (inside[-1][1] - inside[0][1]) / span


async def under_attack(port: int, configs: list, attack: Attack, seconds: float) -> tuple:
    """Students play `seconds` alone, then `seconds` under the attack."""
    url, base = f"ws://127.0.0.1:{port}/ws", f"http://127.0.0.1:{port}"
    students = [Student(name, config) for name, config in configs]
    warmup = 3.0
    started = time.perf_counter()
    playing = asyncio.gather(*(play(url, s, warmup, 2 * seconds + 1) for s in students))
    await asyncio.sleep(warmup + seconds)
    stop = asyncio.Event()
    attacking = asyncio.create_task(attack(base, stop))
    await asyncio.sleep(seconds + 1)
    stop.set()
    await playing
    try:
        await asyncio.wait_for(attacking, 30)
    except (TimeoutError, OSError, httpx.HTTPError, Exception):
        attacking.cancel()
    t0 = started + warmup
    before = [window(s, t0, t0 + seconds) for s in students]
    during = [window(s, t0 + seconds + 1, t0 + 2 * seconds + 1) for s in students]
    return before, during


def report(name: str, before: list, during: list) -> None:
    """One line per attack: median frames/s and it/s before and during, and the ratio."""
    fps_b, fps_d = (statistics.median(f for f, _ in rows) for rows in (before, during))
    its_b, its_d = (statistics.median(i for _, i in rows) for rows in (before, during))
    low = min(f for f, _ in during)
    ratio = fps_d / fps_b if fps_b else float("nan")
    print(f"{name:10} frames/s {fps_b:5.1f} -> {fps_d:5.1f} (min {low:4.1f}) ratio {ratio:4.2f} "
          f"{'ok' if ratio >= 0.8 else 'MISSED'} | it/s {its_b:7.0f} -> {its_d:7.0f}")  # fmt: skip


def run(names: list[str], clients: int, seconds: float, workers: int) -> None:
    """Start a server, play each attack against a class of `clients`, print, stop."""
    port = free_port()
    server = start_server(port, workers)
    try:
        lessons = httpx.get(f"http://127.0.0.1:{port}/api/lessons", timeout=30).json()["lessons"]
        flower = [lesson for lesson in lessons if lesson["name"] == "planar-flower"]
        configs = class_configs(flower, clients)
        print(f"abuse: {clients} students playing the flower lesson, {seconds:g} s before and "
              f"during each attack, {workers or os.cpu_count()} worker(s); load average "
              f"{os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")  # fmt: skip
        for name in names:
            before, during = asyncio.run(under_attack(port, configs, ATTACKS[name], seconds))
            report(name, before, during)
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
