"""Work a WebSocket client can ask for is bounded: configures have their own rate, gradient
checks run on their own limiter (a session's messages are handled one after another, so it
has at most one), sessions per address can be capped, the schema states the limits, and
configure time counts against the fair share."""

from __future__ import annotations

import asyncio
import json
import time

import httpx
from fastapi.testclient import TestClient

from app.main import create_app
from app.playground.engine import Engine
from app.settings import Settings
from tests.playground.test_ws import FLOWER, configure, receive_until
from tests.servers import served

BIG = {"network": {"hidden": [64, 64]}, "dataset": {"samples": 2000}}


def test_configure_has_a_rate_of_its_own():
    settings = Settings(max_configures_per_second=1, configure_burst=2)
    with TestClient(create_app(settings)) as client, client.websocket_connect("/ws") as ws:
        ws.receive_json()
        for _ in range(4):
            ws.send_json({"type": "configure", "config": FLOWER})
        seen = receive_until(ws, lambda m: m["type"] == "error")
        ws.send_json({"type": "play"})  # other messages are not held back
        running = receive_until(ws, lambda m: m["type"] == "status" and m["state"] == "running")
    error = seen[-1]
    assert error["field"] == "type" and "configures" in error["message"] and error["limit"] == 1
    assert running


async def check_forever(url: str, stop: asyncio.Event) -> None:
    """A client that asks for gradient checks over and over."""
    from websockets.asyncio.client import connect

    async with connect(url, max_size=None) as ws:
        await ws.recv()
        await ws.send(json.dumps({"type": "configure", "config": {"network": {"hidden": [30]}}}))
        while not stop.is_set():
            await ws.send(json.dumps({"type": "gradcheck"}))
            while json.loads(await ws.recv())["type"] not in ("gradcheck", "error"):
                pass


async def newcomer_seconds(base: str) -> tuple[float, float]:
    """While 12 clients loop gradient checks: a new student's hello + configure, and a static
    file, each timed."""
    from websockets.asyncio.client import connect

    url = base.replace("http", "ws") + "/ws"
    stop = asyncio.Event()
    loops = [asyncio.create_task(check_forever(url, stop)) for _ in range(12)]
    await asyncio.sleep(2.0)
    started = time.perf_counter()
    async with connect(url, max_size=None) as ws:
        await ws.recv()
        await ws.send(json.dumps({"type": "configure", "config": FLOWER}))
        while json.loads(await ws.recv())["type"] != "status":
            pass
    configured = time.perf_counter() - started
    started = time.perf_counter()
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        assert (await http.get("/static/js/playground/playground.js")).status_code == 200
    static = time.perf_counter() - started
    stop.set()
    await asyncio.wait(loops, timeout=10)
    return configured, static


def test_looping_gradient_checks_do_not_hold_up_a_new_student_or_the_page():
    with served() as (base, _):
        configured, static = asyncio.run(newcomer_seconds(base))
    assert configured < 2.0, configured
    assert static < 2.0, static


def test_sessions_per_client_address_can_be_capped():
    from websockets.sync.client import connect

    with served(settings={"DESCENT_MAX_SESSIONS_PER_CLIENT": "2"}) as (base, _):
        url = base.replace("http", "ws") + "/ws"
        with connect(url) as one, connect(url) as two, connect(url) as three:
            assert json.loads(one.recv(timeout=10))["type"] == "hello"
            assert json.loads(two.recv(timeout=10))["type"] == "hello"
            refused = json.loads(three.recv(timeout=10))
    assert refused["type"] == "error" and "DESCENT_MAX_SESSIONS_PER_CLIENT" in refused["message"]


def test_the_openapi_schema_states_the_servers_limits():
    app = create_app(Settings(max_samples=500, max_neurons=16, max_iterations=1000))
    schemas = TestClient(app).get("/openapi.json").json()["components"]["schemas"]
    assert schemas["DatasetConfig"]["properties"]["samples"]["maximum"] == 500
    assert schemas["NetworkConfig"]["properties"]["hidden"]["items"]["maximum"] == 16
    assert schemas["TrainRequest"]["properties"]["iterations"]["maximum"] == 1000


def test_work_charged_to_a_session_counts_against_its_share():
    loop = asyncio.new_event_loop()
    try:
        engine = Engine(loop)
        a, b = object(), object()
        engine.used = {a: 0.0, b: 0.0}
        engine.charge(a, 1.0)
        chosen = engine._fair_round([a, b])  # type: ignore[list-item]
    finally:
        loop.close()
    assert chosen == [b], "the session that spent a second building waits a round"


def test_configures_that_cost_more_than_their_share_are_refused_until_it_leaks_away():
    settings = Settings(configure_seconds_per_second=0.001, configure_burst_seconds=0.001)
    big = {"dataset": {"samples": 1000}, "network": {"hidden": [32, 32]}}
    with TestClient(create_app(settings)) as client, client.websocket_connect("/ws") as ws:
        ws.receive_json()
        first = configure(ws, big)
        second = configure(ws, big)
    assert first[-1]["type"] == "status"
    assert second[-1]["type"] == "error" and "configure refused" in second[-1]["message"]
