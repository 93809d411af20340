"""REST runs are budgeted and bounded: estimate over the limit -> 422, full pool -> 429,
client gone -> the run stops, SIGTERM -> 503 and the process exits within 3 s."""

from __future__ import annotations

import asyncio
import signal
import time

import httpx
import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.settings import Settings
from app.shared.budget import seconds_for
from app.wire.config import TrainConfig
from tests.servers import served

BIG = {
    "dataset": {"name": "spiral", "samples": 2000},
    "network": {"hidden": [64] * 8},
    "optimizer": {"name": "adam", "learning_rate": 0.001},
}
# a run of a few seconds on this machine: long enough to be running when the test acts
LONG = {"config": {"network": {"hidden": [16, 16]}}, "iterations": 200_000, "record_every": 20_000}


def test_a_run_estimated_over_the_budget_is_refused_naming_estimate_limit_and_remedy():
    with TestClient(create_app(Settings(max_run_seconds=30))) as client:
        response = client.post("/api/train", json={"config": BIG, "iterations": 200_000})
    assert response.status_code == 422
    detail = response.json()["detail"][0]
    assert detail["field"] == "iterations" and detail["limit"] == 30
    assert detail["value"] > 30 and "/api/sweeps" in detail["message"]


def test_the_estimate_grows_with_iterations_examples_and_parameters():
    small = TrainConfig.model_validate({"network": {"hidden": [4]}})
    wide = TrainConfig.model_validate({"network": {"hidden": [64, 64]}})
    assert seconds_for(small, 2000) == pytest.approx(2 * seconds_for(small, 1000))
    assert seconds_for(wide, 1000) > 3 * seconds_for(small, 1000)


async def post_runs(base: str, bodies: list[dict]) -> list[httpx.Response]:
    """Every body posted to /api/train at once."""
    async with httpx.AsyncClient(base_url=base, timeout=120) as http:
        return await asyncio.gather(*(http.post("/api/train", json=b) for b in bodies))


def test_past_the_pool_and_its_queue_a_run_gets_429_with_retry_after():
    settings = {"DESCENT_RUN_WORKERS": "1", "DESCENT_RUN_QUEUE": "0"}
    short = {**LONG, "iterations": 20_000}
    with served(settings=settings) as (base, _):
        responses = asyncio.run(post_runs(base, [short, short, short]))
    codes = sorted(r.status_code for r in responses)
    assert codes[0] == 200 and 429 in codes
    busy = next(r for r in responses if r.status_code == 429)
    assert busy.headers["retry-after"] == "5"


def rest_runs(base: str) -> int:
    """REST runs the server holds right now."""
    return httpx.get(f"{base}/healthz/sessions", timeout=10).json()["rest_runs"]


def test_a_run_stops_soon_after_its_client_goes_away():
    with served() as (base, _):
        with pytest.raises(httpx.ReadTimeout):
            httpx.post(f"{base}/api/train", json=LONG, timeout=0.8)
        deadline = time.monotonic() + 3
        while rest_runs(base) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert rest_runs(base) == 0


def test_sigterm_answers_running_runs_with_503_and_exits_within_3_s():
    with served() as (base, process):
        signalled = []

        async def run_then_stop() -> httpx.Response:
            async with httpx.AsyncClient(base_url=base, timeout=30) as http:
                pending = asyncio.create_task(http.post("/api/train", json=LONG))
                while rest_runs(base) == 0:
                    await asyncio.sleep(0.05)
                process.send_signal(signal.SIGTERM)
                signalled.append(time.monotonic())
                return await pending

        response = asyncio.run(run_then_stop())
        process.wait(timeout=10)
        took = time.monotonic() - signalled[0]
    assert (
        response.status_code == 503 and "shutting down" in response.json()["detail"][0]["message"]
    )
    assert took < 3, took
