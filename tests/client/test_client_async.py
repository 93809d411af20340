"""AsyncClient against live servers: the same answers as the sync client, as coroutines."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import descent
import pytest
from websockets.asyncio.client import connect

from tests.servers import served

FLOWER = {"dataset": {"name": "flower", "samples": 200}, "network": {"hidden": [4]}, "seed": 3}


def test_async_train_config_and_errors_match_the_sync_client(
    remote: descent.Client, live_server: str
):
    async def scripted() -> tuple[descent.Run, dict, descent.ValidationError]:
        async with descent.AsyncClient(live_server, timeout=120) as client:
            config = await client.config(FLOWER, optimizer__learning_rate=0.7)
            runs = await asyncio.gather(
                client.train(config, iterations=200), client.train(config, iterations=200)
            )
            assert runs[0].raw == runs[1].raw
            try:
                await client.train({"network": {"hidden": "four"}}, 10)
            except descent.ValidationError as error:
                return runs[0], config, error
            raise AssertionError("no ValidationError")

    run, config, error = asyncio.run(scripted())
    assert config == remote.config(FLOWER, optimizer__learning_rate=0.7)
    assert run.raw == remote.train(config, iterations=200).raw
    assert error.field is not None and error.field.startswith("config.network.hidden")


def test_async_helpers_answer_as_the_sync_ones(remote: descent.Client, live_server: str):
    async def scripted() -> tuple:
        async with descent.AsyncClient(live_server) as client:
            return await asyncio.gather(
                client.options(),
                client.lessons(),
                client.preview("moons"),
                client.parse_csv("0,0,a\n1,1,b\n"),
                client.landscape(FLOWER, 100, resolution=5, points=10),
                client.health(),
                client.gradient_check(FLOWER, iterations=20, epsilon=1e-6),
                client.train(FLOWER, epochs=3),
            )

    options, lessons, preview, parsed, plane, health, check, run = asyncio.run(scripted())
    assert check == remote.gradient_check(FLOWER, iterations=20, epsilon=1e-6)
    assert run.raw == remote.train(FLOWER, epochs=3).raw and run.iterations == 3
    assert options == remote.options() and lessons == remote.lessons()
    assert preview == remote.preview("moons") and parsed == remote.parse_csv("0,0,a\n1,1,b\n")
    assert plane == remote.landscape(FLOWER, 100, resolution=5, points=10)
    assert health["status"] == "ok"


def test_async_stream_yields_increasing_frames_to_an_exact_last_one(
    remote: descent.Client, live_server: str
):
    async def scripted() -> list[descent.Frame]:
        async with descent.AsyncClient(live_server) as client:
            return [frame async for frame in client.stream(FLOWER, iterations=150, speed=10)]

    frames = asyncio.run(scripted())
    iterations = [frame.iteration for frame in frames]
    assert iterations[0] == 0 and iterations[-1] == 150 and iterations == sorted(iterations)
    assert frames[-1].cost_train == remote.train(FLOWER, iterations=150).final["cost_train"]


def test_breaking_an_async_stream_closes_it(live_server: str):
    async def scripted() -> tuple[list[int], descent.AsyncStream]:
        async with descent.AsyncClient(live_server) as client:
            stream = client.stream(FLOWER, speed=5, rate=30)
            seen: list[int] = []
            async with stream:
                async for frame in stream:
                    seen.append(frame.iteration)
                    if len(seen) == 3:
                        await stream.pause()
                        break
            return seen, stream

    seen, stream = asyncio.run(scripted())
    assert seen[-1] > 0 and stream.socket is None


def test_async_sweep_waits_and_async_room_reaches_a_student(tmp_path: Path):
    settings = {"DESCENT_DATA_DIR": str(tmp_path), "DESCENT_SWEEP_WORKERS": "1"}

    async def scripted(base: str) -> tuple[descent.AsyncSweep, dict]:
        async with descent.AsyncClient(base) as client:
            space = {"optimizer.learning_rate": {"choices": [0.1, 1.0]}}
            sweep = await client.sweep(FLOWER, space, 2, 200, sampler="grid")
            room = await client.create_room()
            async with connect(base.replace("http", "ws") + "/ws") as ada:
                for message in (
                    {"type": "configure", "config": {}},
                    {"type": "join", "room": room.code, "name": "Ada"},
                ):
                    await ada.send(json.dumps(message))
                while json.loads(await ada.recv()).get("event") != "joined":
                    pass
                await room.pause()
                while (heard := json.loads(await ada.recv())).get("event") != "paused":
                    pass
                await room.close()
            await sweep.wait(progress=False, timeout=120)
            return sweep, heard

    with served(settings=settings) as (base, _):
        sweep, heard = asyncio.run(scripted(base))
    assert heard["event"] == "paused"
    assert sweep.status == "done" and sweep.best is not None
    assert sorted(t["params"]["optimizer.learning_rate"] for t in sweep.trials) == [0.1, 1.0]


def test_async_errors_for_an_unreachable_server():
    async def scripted() -> None:
        async with descent.AsyncClient("http://127.0.0.1:9", timeout=5) as client:
            await client.options()

    with pytest.raises(descent.DescentError, match="cannot reach"):
        asyncio.run(scripted())
