"""Sweeps against an unauthenticated client (issue 21): grid bombs and huge int ranges are
counted, never built; a work budget; open-sweep caps; owner keys for cancelling and listing;
pagination; round-robin workers; supervised workers counted by /healthz."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.settings import Settings
from app.sweeps.request import SweepRequest
from app.sweeps.space import Span, check_grid
from app.sweeps.store import create_sweep, find, open_storage, read
from app.sweeps.views import sweep_view
from app.sweeps.worker import Worker, rotated
from app.wire.errors import FieldError
from tests.sweeps.test_sweeps import children, served_sweeps

LR = {"optimizer.learning_rate": {"low": 1e-3, "high": 10, "log": True}}
SMALL = {"space": LR, "trials": 2, "iterations": 100}


def client_with(tmp_path: Path, **settings: object) -> TestClient:
    """A TestClient whose sweeps live in tmp_path, with these settings."""
    return TestClient(create_app(Settings(data_dir=str(tmp_path), **settings)))


@pytest.fixture
def sweeps(tmp_path: Path) -> Iterator[TestClient]:
    """A TestClient with default limits and its own storage."""
    with client_with(tmp_path) as test_client:
        yield test_client


def field_of(response: httpx.Response) -> str:
    """The field a 422 names."""
    assert response.status_code == 422, response.text
    return response.json()["detail"][0]["field"]


def test_a_grid_of_four_paths_by_100_choices_is_a_422_naming_space(sweeps: TestClient):
    space = {
        "optimizer.learning_rate": {"choices": [0.001 * (i + 1) for i in range(100)]},
        "regularization.l2": {"choices": [0.0001 * i for i in range(100)]},
        "seed": {"choices": list(range(100))},
        "dataset.seed": {"choices": list(range(100))},
    }  # 10^8 points: Optuna's GridSampler would list them all
    response = sweeps.post("/api/sweeps", json={"space": space, "sampler": "grid", "trials": 5})
    assert field_of(response) == "space"
    assert "10,000 points" in response.json()["detail"][0]["message"]


@pytest.mark.parametrize("high", [5_000_000, 2**32 - 1])
def test_a_grid_over_a_huge_int_range_is_a_422_naming_space(sweeps: TestClient, high: int):
    body = {"space": {"seed": {"low": 0, "high": high}}, "sampler": "grid", "trials": 2}
    assert field_of(sweeps.post("/api/sweeps", json=body)) == "space"


def test_the_grid_is_counted_without_listing_it():
    space = {"seed": Span(low=0, high=2**62), "dataset.seed": Span(low=0, high=2**62)}
    with pytest.raises(FieldError) as error:  # a list of 2^62 ints would never be made
        check_grid(space, 10_000)
    assert error.value.field == "space"
    assert check_grid({"seed": Span(low=0, high=99), "dataset.seed": Span(low=1, high=9, step=2)},
                      10_000) == 500  # fmt: skip


def test_a_grid_within_the_limit_is_still_queued(sweeps: TestClient):
    body = {"space": {"seed": {"low": 0, "high": 9}}, "sampler": "grid", "trials": 10,
            "iterations": 50}  # fmt: skip
    assert sweeps.post("/api/sweeps", json=body).status_code == 202


BIG_NET = {"network": {"hidden": [64] * 8}, "dataset": {"samples": 2000}}


def test_thousands_of_hours_of_work_are_a_422_saying_what_fits(sweeps: TestClient):
    body = {"config": BIG_NET, "space": LR, "trials": 1000, "iterations": 200_000}
    response = sweeps.post("/api/sweeps", json=body)
    assert field_of(response) == "iterations"  # one trial alone is over the trial limit
    detail = response.json()["detail"][0]
    assert detail["type"] == "over_budget" and "at most" in detail["message"]


def test_many_affordable_trials_are_over_the_sweep_budget(tmp_path: Path):
    with client_with(tmp_path, max_sweep_seconds=5.0) as client:
        body = {"config": BIG_NET, "space": LR, "trials": 1000, "iterations": 200}
        response = client.post("/api/sweeps", json=body)
        assert field_of(response) == "trials"
        assert "DESCENT_MAX_SWEEP_SECONDS" in response.json()["detail"][0]["message"]


def test_the_space_is_priced_at_its_dearest_value(tmp_path: Path):
    with client_with(tmp_path, max_trial_seconds=2.0) as client:
        cheap = {"config": {"network": {"hidden": [4]}}, "trials": 1, "iterations": 2000}
        assert client.post("/api/sweeps", json=cheap).status_code == 202
        wide = {**cheap, "trials": 2, "space": {"network.hidden": {"choices": [[4], [64] * 8]}}}
        wide["config"] = {**cheap["config"], "dataset": {"samples": 2000}}
        assert field_of(client.post("/api/sweeps", json=wide)) == "iterations"


def test_open_sweeps_are_capped_per_client_with_retry_after(tmp_path: Path):
    with client_with(tmp_path, max_open_sweeps_per_client=2) as client:
        keys = [client.post("/api/sweeps", json=SMALL).json() for _ in range(2)]
        refused = client.post("/api/sweeps", json=SMALL)
        assert refused.status_code == 429 and refused.headers["retry-after"] == "30"
        assert "2 open sweeps" in refused.json()["detail"][0]["message"]
        owner = {"X-Sweep-Key": keys[0]["key"]}
        assert client.delete(keys[0]["url"], headers=owner).status_code == 200
        assert client.post("/api/sweeps", json=SMALL).status_code == 202  # a cancel frees one


def test_open_sweeps_are_capped_in_all(tmp_path: Path):
    with client_with(tmp_path, max_open_sweeps=1, max_open_sweeps_per_client=5) as client:
        assert client.post("/api/sweeps", json=SMALL).status_code == 202
        refused = client.post("/api/sweeps", json=SMALL)
        assert refused.status_code == 429 and "retry-after" in refused.headers


def test_only_the_owner_cancels(sweeps: TestClient):
    created = sweeps.post("/api/sweeps", json=SMALL).json()
    assert len(created["key"]) >= 16
    assert sweeps.delete(created["url"]).status_code == 403
    wrong = {"X-Sweep-Key": "x" * 24}
    assert sweeps.delete(created["url"], headers=wrong).status_code == 403
    assert sweeps.get(created["url"]).json()["status"] == "queued"
    owner = {"X-Sweep-Key": created["key"]}
    assert sweeps.delete(created["url"], headers=owner).json()["status"] == "cancelled"


def test_the_token_holder_sees_and_cancels_every_sweep(tmp_path: Path):
    with client_with(tmp_path, token="s3cret-token") as client:
        auth = {"Authorization": "Bearer s3cret-token"}
        ids = [client.post("/api/sweeps", json=SMALL, headers=auth).json()["id"] for _ in range(2)]
        assert [s["id"] for s in client.get("/api/sweeps", headers=auth).json()] == ids[::-1]
        assert client.delete(f"/api/sweeps/{ids[0]}", headers=auth).status_code == 200


def test_the_listing_shows_only_the_callers_sweeps(sweeps: TestClient):
    mine = sweeps.post("/api/sweeps", json=SMALL).json()
    theirs = sweeps.post("/api/sweeps", json=SMALL).json()
    assert sweeps.get("/api/sweeps").json() == []
    listed = sweeps.get("/api/sweeps", headers={"X-Sweep-Key": mine["key"]}).json()
    assert [s["id"] for s in listed] == [mine["id"]]
    listed = sweeps.get("/api/sweeps", headers={"X-Sweep-Key": theirs["key"]}).json()
    assert [s["id"] for s in listed] == [theirs["id"]]


def test_one_key_keeps_many_sweeps_and_the_listing_is_paginated(tmp_path: Path):
    with client_with(tmp_path, max_open_sweeps_per_client=5) as client:
        owner = {"X-Sweep-Key": "my-own-key-0123456789"}
        created = [client.post("/api/sweeps", json=SMALL, headers=owner).json() for _ in range(5)]
        assert {c["key"] for c in created} == {owner["X-Sweep-Key"]}
        ids = [c["id"] for c in created][::-1]  # newest first
        first = client.get("/api/sweeps?limit=2", headers=owner)
        assert [s["id"] for s in first.json()] == ids[:2]
        assert first.headers["x-total-count"] == "5"
        assert first.headers["link"] == '</api/sweeps?limit=2&offset=2>; rel="next"'
        last = client.get("/api/sweeps?limit=2&offset=4", headers=owner)
        assert [s["id"] for s in last.json()] == ids[4:] and "link" not in last.headers
        assert field_of(client.get("/api/sweeps?limit=1000", headers=owner)) == "limit"


def test_a_malformed_key_is_a_422_naming_it(sweeps: TestClient):
    response = sweeps.post("/api/sweeps", json=SMALL, headers={"X-Sweep-Key": "short"})
    assert field_of(response) == "X-Sweep-Key"


def test_rotation_starts_after_the_sweep_served_last():
    assert rotated(["a", "b", "c"], "a") == ["b", "c", "a"]
    assert rotated(["a", "b", "c"], "c") == ["a", "b", "c"]
    assert rotated(["a", "b"], None) == ["a", "b"]


def test_a_small_sweep_queued_behind_a_huge_one_gets_the_next_trial(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'sweeps.db'}"
    storage, claims = open_storage(url), open_storage(url, claims=True)
    huge = create_sweep(storage, SweepRequest(space=LR, trials=50, iterations=20))
    small = create_sweep(storage, SweepRequest(space=LR, trials=1, iterations=20))
    worker = Worker(claims, storage)
    assert worker.turn() and worker.turn()  # one trial of each, not two of the older one
    for sweep_id, finished in ((huge, 1), (small, 1)):
        study_id = find(storage, sweep_id)
        assert study_id is not None
        assert sweep_view(sweep_id, *read(storage, study_id))["progress"]["finished"] == finished


def sweep_workers(server: int) -> set[int]:
    """The server's trial worker processes (spawned: not its resource tracker)."""
    found = set()
    for pid in children(server):
        try:
            if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes():
                found.add(pid)
        except OSError:
            continue
    return found


def healthz_workers(client: httpx.Client) -> int:
    """The live trial workers /healthz reports."""
    return client.get("/healthz").json()["sweep_workers"]


def test_a_killed_worker_is_restarted_and_healthz_counts_the_workers(tmp_path: Path):
    with (
        served_sweeps(tmp_path, 2) as (base, server),
        httpx.Client(base_url=base, timeout=30) as client,
    ):
        deadline = time.monotonic() + 30
        while healthz_workers(client) != 2:
            assert time.monotonic() < deadline, "the two workers never came up"
            time.sleep(0.1)
        before = sweep_workers(server.pid)
        victim = sorted(before)[0]
        os.kill(victim, signal.SIGKILL)
        deadline = time.monotonic() + 20
        while True:  # reaped and replaced: two live workers again, the victim not among them
            pids, counted = sweep_workers(server.pid), healthz_workers(client)
            if len(pids) == 2 and victim not in pids and counted == 2:
                break
            assert time.monotonic() < deadline, (pids, counted)
            time.sleep(0.1)
        assert len(pids - before) == 1


def test_the_listing_reads_trials_without_their_histories_and_says_the_same(tmp_path: Path):
    from app.sweeps.store import light_trials
    from app.sweeps.views import listing_entry, summary
    from tests.sweeps.test_sweeps import run_in_process

    space = {"optimizer.learning_rate": {"low": 1e-5, "high": 3, "log": True}}
    request = SweepRequest(space=space, pruner="median", trials=8, iterations=200, seed=2)
    view = run_in_process(tmp_path, request)
    storage = open_storage(f"sqlite:///{tmp_path / 'sweeps.db'}")
    study_id = find(storage, view["id"])
    assert study_id is not None
    attrs, _ = read(storage, study_id)
    light = light_trials(storage, [study_id])[study_id]
    assert all(not hasattr(t, "user_attrs") or "history" not in t.user_attrs for t in light)
    assert listing_entry(view["id"], attrs, light) == summary(view)


def test_a_worker_that_keeps_dying_at_once_is_restarted_ever_more_slowly():
    from app.sweeps.launch import MAX_RESTART_DELAY, restart_delay

    assert restart_delay(0.0, lived=3600) == 0.0  # a worker that ran a while: at once
    delays = [0.0]
    for _ in range(8):
        delays.append(restart_delay(delays[-1], lived=0.5))
    assert delays[1:5] == [1.0, 2.0, 4.0, 8.0] and delays[-1] == MAX_RESTART_DELAY
