"""Faults and load: malformed floods, divergence everywhere, fair shares, connection churn.

The browser side of "server killed and restarted under a live page" is
tests/browser/playground/test_playground.py::test_the_page_reconnects_after_a_server_restart.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import os
import random
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.settings import Settings
from tests.servers import free_port, wait_until_healthy

ROOT = Path(__file__).resolve().parents[2]
OPTIMIZERS = ["gd", "momentum", "rmsprop", "adam"]
UNLIMITED = {"max_messages_per_second": 1e6, "message_burst": 1_000_000}
SMALL = {"dataset": {"name": "flower", "samples": 100}, "network": {"hidden": [3]}}
Message = dict[str, Any]


def until(ws: Any, done: Any, limit: int = 100_000) -> list[Message]:
    """Messages up to and including the first for which done(message) holds."""
    seen = []
    for _ in range(limit):
        seen.append(ws.receive_json())
        if done(seen[-1]):
            return seen
    raise AssertionError("never arrived")


# 5,000 malformed messages ------------------------------------------------------------------


def junk(rng: random.Random) -> str | bytes:
    """One message the server must refuse (text, or bytes for a binary frame)."""
    number = rng.choice(["1e400", "-1e400", "NaN", "Infinity", "-Infinity", "1" * 400, "1e308"])
    nested = "[" * rng.randint(40, 20_000) + "]" * rng.randint(0, 40)
    choices = [
        lambda: rng.choice(["", "{", "}", "[1,", "nul", '{"type": "play"', "'x'", "{type: 1}"]),
        lambda: json.dumps(rng.choice([None, 1, "play", [], [{"type": "play"}], True])),
        lambda: json.dumps({"type": rng.choice([None, 3, 1.5, [], {}, "", "PLAY", "eval"])}),
        lambda: json.dumps({"type": "x" * rng.randint(1, 50), "config": {}}),
        lambda: json.dumps({"kind": "play"}),
        lambda: f'{{"type": "step", "iterations": {number}}}',
        lambda: f'{{"type": "rate", "frames_per_second": {number}}}',
        lambda: f'{{"type": "set", "changes": {{"learning_rate": {number}}}}}',
        lambda: f'{{"type": "configure", "config": {{"seed": {number}}}}}',
        lambda: json.dumps({"type": "step", "iterations": rng.choice([-1, 0, "ten", 2.5, None])}),
        lambda: json.dumps({"type": "step", "iterations": 10 ** rng.randint(7, 40)}),
        lambda: json.dumps({"type": "gradcheck", "lane": rng.choice([-1, 99, "zero", None, 1.5])}),
        lambda: json.dumps({"type": "set", "changes": {rng.choice(["lr", "hidden", "x"]): 1}}),
        lambda: json.dumps({"type": "set", "changes": {"keep_prob": rng.choice([0, 2, -1])}}),
        lambda: json.dumps({"type": "set", "changes": [], "lane": 0}),
        lambda: json.dumps({"type": "rate", "frames_per_second": rng.choice([0, -5, 61, "x"])}),
        lambda: json.dumps({"type": "configure", "config": []}),
        lambda: json.dumps({"type": "configure", "config": {"network": {"hidden": [10**6]}}}),
        lambda: json.dumps({"type": "configure", "config": {"dataset": {"name": "nope"}}}),
        lambda: json.dumps({"type": "configure", "config": {"learning_rat": 1}}),
        lambda: json.dumps({"type": "configure", "config": SMALL, "lanes": [{}] * 9}),
        lambda: json.dumps({"type": "configure", "config": SMALL, "junk": {"a": [1, {"b": []}]}}),
        lambda: json.dumps({"type": "configure", "config": SMALL, "initial_weights": {"W1": 1}}),
        lambda: json.dumps({"type": "play", "extra": [[[[[]]]]]}),
        lambda: f'{{"type": "configure", "config": {nested}}}',
        lambda: nested,
        lambda: json.dumps({"type": "play", "padding": "x" * 70_000}),
        lambda: bytes(rng.randrange(256) for _ in range(rng.randint(0, 64))),
        lambda: "\x00\x01" + "".join(chr(rng.randint(1, 0x2FFF)) for _ in range(20)),
    ]
    return rng.choice(choices)()


def test_5000_malformed_messages_each_get_an_error_and_the_session_still_trains(caplog):
    caplog.set_level(logging.ERROR)
    rng = random.Random(20240601)
    messages = [junk(rng) for _ in range(5000)]
    app = create_app(Settings(**UNLIMITED))
    with TestClient(app) as client, client.websocket_connect("/ws") as ws:
        ws.receive_json()
        ws.send_json({"type": "configure", "config": SMALL})
        until(ws, lambda m: m["type"] == "status")
        for start in range(0, len(messages), 100):
            batch = messages[start : start + 100]
            for message in batch:
                if isinstance(message, bytes):
                    ws.send_bytes(message)
                else:
                    ws.send_text(message)
            replies = [ws.receive_json() for _ in batch]
            for message, reply in zip(batch, replies, strict=True):
                assert reply["type"] == "error", (message[:200], reply)
                assert reply["message"] and reply["message"] != "internal error", message[:200]
                assert "field" in reply
        ws.send_json({"type": "step", "iterations": 10})
        seen = until(ws, lambda m: m["type"] == "frame" and m["iteration"] >= 10)
    costs = [c for m in seen if m["type"] == "frame" for c in m["costs"]]
    assert seen[-1]["iteration"] == 10 and len(costs) == 10  # a long step may stream frames
    assert all(math.isfinite(c) for c in costs)
    assert not [m for m in seen if m["type"] == "error"]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], "nothing logged"


# Every optimizer at learning rate 10 -------------------------------------------------------


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_learning_rate_10_diverges_cleanly_with_every_optimizer(optimizer, caplog):
    caplog.set_level(logging.ERROR)
    config = {
        "dataset": {"name": "plane", "samples": 200},
        "network": {"hidden": [8, 8], "activation": "relu", "init": "he", "output": "regression"},
        "optimizer": {"name": optimizer, "learning_rate": 10},
    }
    with TestClient(create_app(Settings())) as client, client.websocket_connect("/ws") as ws:
        ws.receive_json()
        ws.send_json({"type": "configure", "config": config})
        until(ws, lambda m: m["type"] == "status")
        ws.send_json({"type": "play"})
        seen = until(ws, lambda m: m["type"] == "error" or m.get("state") == "diverged")
        ws.send_json({"type": "play"})
        again = until(ws, lambda m: m["type"] == "status")[-1]
    diverged = seen[-1]
    assert diverged["type"] == "status" and diverged["state"] == "diverged", diverged
    assert "learning rate" in diverged["message"] and diverged["lane"] == 0
    last = [m for m in seen if m["type"] == "frame"][-1]
    assert last["diverged"] == diverged["message"]
    assert again["state"] == "diverged", "play after divergence answers diverged"
    assert not [m for m in seen if m["type"] == "error"]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_a_relu_classifier_at_learning_rate_10_diverges_or_stays_finite(optimizer, caplog):
    caplog.set_level(logging.ERROR)
    config = {
        "dataset": {"name": "flower", "samples": 200},
        "network": {"hidden": [8, 8], "activation": "relu", "init": "he"},
        "optimizer": {"name": optimizer, "learning_rate": 10},
    }
    with TestClient(create_app(Settings())) as client, client.websocket_connect("/ws") as ws:
        ws.receive_json()
        ws.send_json({"type": "configure", "config": config})
        until(ws, lambda m: m["type"] == "status")
        ws.send_json({"type": "step", "iterations": 500})
        seen = until(
            ws,
            lambda m: (
                (m["type"] == "frame" and (m["iteration"] == 500 or m["diverged"]))
                or m["type"] == "error"
            ),
        )
    frame = seen[-1]
    assert frame["type"] == "frame"
    if frame["diverged"] is None:
        costs = [c for m in seen if m["type"] == "frame" for c in m["costs"]]
        assert len(costs) == 500 and all(c is not None and math.isfinite(c) for c in costs)
    else:
        assert [m for m in seen if m["type"] == "status"][-1]["state"] == "diverged"
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


# Fair shares -------------------------------------------------------------------------------


def test_other_sessions_keep_receiving_frames_while_a_big_network_trains():
    big = {
        "dataset": {"name": "spiral", "samples": 2000},
        "network": {"hidden": [64] * 8, "init": "xavier"},
        "optimizer": {"name": "adam", "learning_rate": 0.001},
    }
    with TestClient(create_app(Settings())) as client, client.websocket_connect("/ws") as hog:
        hog.receive_json()
        hog.send_json({"type": "configure", "config": big})
        until(hog, lambda m: m["type"] == "status")
        hog.send_json({"type": "play"})
        until(hog, lambda m: m["type"] == "frame")
        with client.websocket_connect("/ws") as small:
            small.receive_json()
            small.send_json({"type": "configure", "config": SMALL})
            until(small, lambda m: m["type"] == "status")
            small.send_json({"type": "play"})
            frames = until(small, lambda m: m["type"] == "frame" and m["iteration"] > 0)
            for _ in range(20):
                frames.append(until(small, lambda m: m["type"] == "frame")[-1])
            small.send_json({"type": "pause"})
            until(small, lambda m: m["type"] == "status")
        hog.send_json({"type": "pause"})
        paused = until(hog, lambda m: m["type"] == "status")[-1]
    assert paused["state"] == "paused"
    iterations = [f["iteration"] for f in frames if f["type"] == "frame"]
    assert iterations == sorted(iterations) and iterations[-1] > iterations[0]


# 1,000 connect/disconnect cycles against a real server ------------------------------------


@pytest.fixture
def own_server() -> Iterator[tuple[str, int]]:
    """`python -m app.server.cli serve` of this test's own (no other client touches it)."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DESCENT_MAX_SESSIONS": "1000"}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "app.server.cli",
            "serve",
            "--port",
            str(port),
            "--log-level",
            "error",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(base, process)
        yield base, process.pid
    finally:
        process.terminate()
        _, errors = process.communicate(timeout=30)
    assert b"Traceback" not in errors, errors.decode()[-2000:]


def server_threads(pid: int) -> int:
    """The server process's thread count (from /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("Threads:"):
            return int(line.split()[1])
    raise AssertionError("no Threads line")


def rss_kb(pid: int) -> int:
    """Resident memory of a process in kB, from /proc/<pid>/status."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


async def cycles(url: str, count: int, parallel: int) -> None:
    """count sessions (parallel at a time): configure, play, first frame, then drop."""
    from websockets.asyncio.client import connect

    async def one(index: int) -> None:
        async with connect(url, max_size=None, open_timeout=60) as ws:
            await ws.recv()
            config = {**SMALL, "seed": index}
            await ws.send(json.dumps({"type": "configure", "config": config}))
            await ws.send(json.dumps({"type": "play"}))
            while True:
                message = json.loads(await ws.recv())
                assert message["type"] != "error", message
                if message["type"] == "frame" and message["iteration"] > 0:
                    break

    async def worker(indices: range) -> None:
        for index in indices:
            await one(index)

    await asyncio.gather(*(worker(range(i, count, parallel)) for i in range(parallel)))


def live(base: str) -> dict[str, int]:
    """The server's count of sessions and engine threads (without its process id)."""
    counts = httpx.get(f"{base}/healthz/sessions", timeout=10).json()
    del counts["process"], counts["rest_runs"]
    return counts


def settle(base: str) -> dict[str, int]:
    """Wait (bounded) until no session or engine thread is left; the last reading."""
    deadline = time.monotonic() + 20
    while (now := live(base)) != {"sessions": 0, "engine_sessions": 0, "engine_threads": 0}:
        if time.monotonic() > deadline:
            break
        time.sleep(0.1)
    return now


@pytest.mark.slow
def test_1000_connect_disconnect_cycles_leave_nothing_behind(own_server):
    base, pid = own_server
    url = base.replace("http", "ws") + "/ws"
    asyncio.run(cycles(url, 50, parallel=10))
    assert settle(base)["sessions"] == 0
    warm = rss_kb(pid)
    threads = server_threads(pid)
    asyncio.run(cycles(url, 1000, parallel=10))
    after = settle(base)
    grown_mb = (rss_kb(pid) - warm) / 1024
    assert after == {"sessions": 0, "engine_sessions": 0, "engine_threads": 0}
    assert grown_mb < 20, f"RSS grew {grown_mb:.1f} MB over 1,000 sessions"
    assert server_threads(pid) <= threads
