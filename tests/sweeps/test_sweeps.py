"""Sweeps: every rejection, samplers and pruning in-process, and real servers whose worker
processes run trials, stream progress, cancel, and survive kill -9."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import orjson
import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.settings import Settings
from app.sweeps.objective import prune_every, record_every
from app.sweeps.request import SweepRequest
from app.sweeps.store import create_sweep, find, open_storage, read
from app.sweeps.views import sweep_view
from app.sweeps.worker import Worker
from tests.servers import served

LR = {"optimizer.learning_rate": {"low": 1e-3, "high": 10, "log": True}}


@pytest.fixture
def sweeps(tmp_path: Path) -> Iterator[TestClient]:
    """A TestClient whose sweeps live in a fresh SQLite file (no worker runs them)."""
    with TestClient(create_app(Settings(data_dir=str(tmp_path)))) as test_client:
        yield test_client


NINE_PATHS = [
    "regularization.l2",
    "seed",
    "optimizer.beta",
    "optimizer.beta1",
    "optimizer.beta2",
    "optimizer.decay",
    "dataset.noise",
    "dataset.seed",
    "regularization.keep_prob",
]
LR_PATH = "space.optimizer.learning_rate"


def vary(path: str, **dimension: object) -> dict:
    """A body varying one path."""
    return {"space": {path: dimension}}


def lr(**extra: object) -> dict:
    """A body varying the learning rate on a log scale, with extra fields."""
    return {"space": LR, **extra}


REGRESSION = {"dataset": {"name": "plane"}, "network": {"output": "regression"}}
REJECTIONS = [
    (vary("optimizer.nope", low=0.1, high=1), "space.optimizer.nope"),
    (vary("optimizer", choices=["gd"]), "space.optimizer"),
    (vary("network.hidden.width", low=1, high=2), "space.network.hidden.width"),
    (vary("optimizer.learning_rate", low=-1, high=1), LR_PATH),
    (vary("regularization.keep_prob", low=0.5, high=2), "space.regularization.keep_prob"),
    (vary("network.hidden", low=1, high=65), "space.network.hidden"),
    (vary("network.hidden", choices=[[4], [4] * 9]), "space.network.hidden"),
    (vary("optimizer.name", low=1, high=2), "space.optimizer.name"),
    (vary("optimizer.name", choices=["gd", "sgdx"]), "space.optimizer.name"),
    (vary("optimizer.name", choices=[]), "space.optimizer.name.choices.choices"),
    (vary("optimizer.learning_rate", low=1, high=0.1), f"{LR_PATH}.low"),
    (vary("optimizer.learning_rate", low=0, high=1, log=True), f"{LR_PATH}.low"),
    (vary("optimizer.learning_rate", low=0.1, high=1, step=0.4), f"{LR_PATH}.step"),
    (vary("optimizer.learning_rate", low=0.1, high=1, lg=True), f"{LR_PATH}.range.lg"),
    (vary("network.hidden", low=1.5, high=4), "space.network.hidden.low"),
    (vary("optimizer.batch_size", low=1, high=5000), "space.optimizer.batch_size"),
    (vary("dataset.name", choices=["plane"]), "space.dataset.name"),
    ({"space": {path: {"low": 0, "high": 0.5} for path in NINE_PATHS}}, "space"),
    (lr(trials=1001), "trials"),
    (lr(trials=0), "trials"),
    (lr(iterations=200_001), "iterations"),
    ({"space": {}, "trials": 3}, "trials"),
    (lr(objective="cost_test"), "objective"),
    (lr(objective="loss"), "objective"),
    (lr(objective="accuracy_train", config=REGRESSION), "objective"),
    (lr(sampler="grid"), LR_PATH),
    ({**vary("optimizer.name", choices=["gd", "adam"]), "sampler": "grid", "trials": 3}, "trials"),
    (lr(sampler="bayes"), "sampler"),
    (lr(pruner="hyperband"), "pruner"),
    (lr(config={"network": {"hidden": [100]}}), "config.network.hidden.0"),
    (lr(trails=3), "trails"),
    (lr(seed=-1), "seed"),
]


@pytest.mark.parametrize(("body", "field"), REJECTIONS, ids=[f for _, f in REJECTIONS])
def test_a_bad_sweep_is_a_422_naming_the_field(sweeps: TestClient, body: dict, field: str):
    response = sweeps.post("/api/sweeps", json=body)
    assert response.status_code == 422, response.text
    detail = response.json()["detail"][0]
    assert detail["field"] == field, detail
    assert detail["message"].startswith(field), detail


def test_an_unknown_sweep_is_a_404(sweeps: TestClient):
    assert sweeps.get("/api/sweeps/nosuch").status_code == 404
    assert sweeps.delete("/api/sweeps/nosuch").status_code == 404
    assert sweeps.get("/api/sweeps/nosuch/events").status_code == 404


def test_a_new_sweep_is_queued_with_exactly_its_trials(sweeps: TestClient):
    response = sweeps.post("/api/sweeps", json={"space": LR, "trials": 5, "iterations": 100})
    assert response.status_code == 202
    created = response.json()
    assert response.headers["location"] == created["url"] == f"/api/sweeps/{created['id']}"
    view = sweeps.get(created["url"]).json()
    assert view["status"] == "queued" and view["trials"] == [] and view["best"] is None
    assert view["progress"] == {"trials": 5, "finished": 0, "running": 0, "complete": 0,
                                "pruned": 0, "failed": 0, "queued": 5}  # fmt: skip
    mine = sweeps.get("/api/sweeps", headers={"X-Sweep-Key": created["key"]}).json()
    assert [s["id"] for s in mine] == [created["id"]]


def run_in_process(storage_dir: Path, request: SweepRequest, workers: int = 1) -> dict:
    """Create a sweep and run it with Worker threads in this process (no server); its view."""
    url = f"sqlite:///{storage_dir / 'sweeps.db'}"
    storage, claims = open_storage(url), open_storage(url, claims=True)
    sweep_id = create_sweep(storage, request)
    pool = [Worker(claims, storage) for _ in range(workers)]
    threads = [threading.Thread(target=w.run) for w in pool]
    for thread in threads:
        thread.start()
    study_id = find(storage, sweep_id)
    assert study_id is not None
    deadline = time.monotonic() + 120
    while (view := sweep_view(sweep_id, *read(storage, study_id)))["status"] in (
        "queued",
        "running",
    ):
        assert time.monotonic() < deadline, view["progress"]
        time.sleep(0.05)
    for worker in pool:
        worker.stopping.set()
    for thread in threads:
        thread.join()
    return view


def test_a_grid_runs_every_point_once(tmp_path: Path):
    space = {
        "optimizer.name": {"choices": ["gd", "adam"]},
        "network.hidden": {"choices": [[2], [4, 2]]},
    }
    request = SweepRequest(space=space, sampler="grid", trials=4, iterations=50)
    view = run_in_process(tmp_path, request, workers=2)
    points = sorted(
        (t["params"]["optimizer.name"], t["params"]["network.hidden"]) for t in view["trials"]
    )
    assert points == [("adam", [2]), ("adam", [4, 2]), ("gd", [2]), ("gd", [4, 2])]
    assert sorted(t["number"] for t in view["trials"]) == [0, 1, 2, 3]
    assert view["status"] == "done" and view["progress"]["complete"] == 4


def test_the_median_pruner_stops_hopeless_learning_rates_early(tmp_path: Path):
    space = {"optimizer.learning_rate": {"low": 1e-5, "high": 3, "log": True}}
    request = SweepRequest(space=space, pruner="median", trials=12, iterations=400, seed=2)
    view = run_in_process(tmp_path, request)
    states = [t["state"] for t in view["trials"]]
    assert len(states) == 12 and set(states) <= {"complete", "pruned"}
    pruned = [t for t in view["trials"] if t["state"] == "pruned"]
    assert pruned and all(t["iterations"] < 400 for t in pruned)
    assert all(t["message"].startswith("pruned at iteration") for t in pruned)
    best = view["best"]
    assert best["config"]["optimizer"]["learning_rate"] == best["params"]["optimizer.learning_rate"]
    rungs = set(range(40, 401, 40))  # a tenth of the run
    assert all(set(t.intermediate_values) <= rungs for t in stored_trials(tmp_path, view))


def stored_trials(storage_dir: Path, view: dict) -> list:
    """The sweep's trials as Optuna stored them."""
    storage = open_storage(f"sqlite:///{storage_dir / 'sweeps.db'}")
    return read(storage, find(storage, view["id"]))[1]


def test_without_a_pruner_trials_record_a_history_but_report_nothing_to_optuna(tmp_path: Path):
    request = SweepRequest(space=LR, trials=2, iterations=400)
    view = run_in_process(tmp_path, request)
    assert all(t.intermediate_values == {} for t in stored_trials(tmp_path, view))
    for trial in view["trials"]:
        assert [h["iteration"] for h in trial["history"]] == list(range(0, 401, 40))
        assert trial["last_report"] == trial["history"][-1]["cost_train"] == trial["value"]


@pytest.mark.parametrize(
    ("iterations", "record", "rung"),
    [(20_000, 500, 2000), (5000, 500, 500), (23_456, 500, 2500), (400, 40, 40), (5, 1, 1)],
)
def test_pruning_reports_come_at_a_tenth_of_the_run_on_history_points(
    iterations: int, record: int, rung: int
):
    assert (record_every(iterations), prune_every(iterations)) == (record, rung)


def test_tpe_samples_each_trial_within_the_space_when_it_starts(tmp_path: Path):
    space = {"optimizer.learning_rate": {"low": 0.01, "high": 3, "log": True},
             "network.hidden": {"low": 1, "high": 6}}  # fmt: skip
    request = SweepRequest(space=space, sampler="tpe", trials=8, iterations=200)
    view = run_in_process(tmp_path, request, workers=2)
    assert sorted(t["number"] for t in view["trials"]) == list(range(8))
    for trial in view["trials"]:
        assert 0.01 <= trial["params"]["optimizer.learning_rate"] <= 3
        assert trial["params"]["network.hidden"] in range(1, 7) and trial["state"] == "complete"
    hidden = view["best"]["params"]["network.hidden"]
    assert view["best"]["config"]["network"]["hidden"] == [hidden]


def test_an_empty_space_with_one_trial_is_one_background_run_of_the_config(tmp_path: Path):
    config = {"network": {"hidden": [3]}, "optimizer": {"name": "adam", "learning_rate": 0.02}}
    request = SweepRequest.model_validate({"config": config, "trials": 1, "iterations": 300})
    view = run_in_process(tmp_path, request)
    (trial,) = view["trials"]
    assert trial["params"] == {} and trial["iterations"] == 300 and trial["state"] == "complete"
    assert view["best"]["config"] == request.config.model_dump()
    assert [h["iteration"] for h in trial["history"]] == list(range(0, 301, 30))
    assert trial["history"][-1]["cost_train"] == trial["value"]


def test_a_diverging_trial_fails_with_the_trainers_message(tmp_path: Path):
    config = {"optimizer": {"learning_rate": 100}, "network": {"activation": "relu", "init": "he"}}
    request = SweepRequest.model_validate({"config": config, "trials": 1, "iterations": 2000})
    view = run_in_process(tmp_path, request)
    (trial,) = view["trials"]
    assert view["status"] == "failed" and trial["state"] == "failed", trial
    assert trial["value"] is None and "learning rate" in trial["message"]


def events(lines: Iterator[str]) -> Iterator[tuple[str, dict]]:
    """(name, data) for each Server-Sent Event in a stream of lines."""
    name = None
    for line in lines:
        if line.startswith("event: "):
            name = line.removeprefix("event: ")
        elif line.startswith("data: ") and name:
            yield name, orjson.loads(line.removeprefix("data: "))
            name = None


def served_sweeps(tmp_path: Path, workers: int = 2, **extra: str):
    """A real server with its own data dir and `workers` trial worker processes; its trials
    may be long (these tests cancel them or kill their workers)."""
    long = {"DESCENT_MAX_TRIAL_SECONDS": "1e6", "DESCENT_MAX_SWEEP_SECONDS": "1e7"}
    settings = {"DESCENT_DATA_DIR": str(tmp_path), "DESCENT_SWEEP_WORKERS": str(workers),
                **long, **extra}  # fmt: skip
    return served(settings=settings)


def test_a_sweep_streams_its_progress_and_its_best_config_reproduces_by_rest(tmp_path: Path):
    with served_sweeps(tmp_path) as (base, _), httpx.Client(base_url=base, timeout=60) as client:
        body = {"space": LR, "trials": 6, "iterations": 600, "seed": 3}
        created = client.post("/api/sweeps", json=body).json()
        seen = []
        with client.stream("GET", created["events"]) as stream:
            assert stream.headers["content-type"].startswith("text/event-stream")
            for name, data in events(stream.iter_lines()):
                seen.append((name, data))
                if name == "end":
                    break
        sweeps = [data for name, data in seen if name == "sweep"]
        assert seen[-1] == ("end", {"id": created["id"], "status": "done"})
        finished = [s["progress"]["finished"] for s in sweeps]
        assert finished == sorted(finished) and finished[-1] == 6 and len(set(finished)) > 1
        final = client.get(created["url"]).json()
        assert final["status"] == "done" and len({t["worker"] for t in final["trials"]}) >= 1
        best = final["best"]
        rerun = client.post("/api/train", json={"config": best["config"], "iterations": 600})
        assert rerun.json()["final"]["cost_train"] == best["value"]


def wait_for(client: httpx.Client, url: str, ready, timeout: float = 90.0) -> dict:
    """GET url until ready(view) holds; the view."""
    deadline = time.monotonic() + timeout
    while not ready(view := client.get(url).json()):
        assert time.monotonic() < deadline, view["progress"]
        time.sleep(0.05)
    return view


def test_delete_stops_running_trials_within_a_fraction_of_a_second(tmp_path: Path):
    with served_sweeps(tmp_path) as (base, _), httpx.Client(base_url=base, timeout=60) as client:
        body = {"space": LR, "trials": 6, "iterations": 200_000}
        created = client.post("/api/sweeps", json=body).json()
        wait_for(client, created["url"], lambda v: any(t["iterations"] for t in v["trials"]))
        started = time.monotonic()
        owner = {"X-Sweep-Key": created["key"]}
        assert client.delete(created["url"], headers=owner).json()["status"] == "cancelled"
        view = wait_for(client, created["url"], lambda v: v["progress"]["running"] == 0, 5)
        assert time.monotonic() - started < 1.0  # ~100 ms plus a loaded machine's slack
        assert view["status"] == "cancelled" and len(view["trials"]) <= 2
        assert all(
            t["message"] == "cancelled" and t["iterations"] < 200_000 for t in view["trials"]
        )
        time.sleep(0.5)
        assert client.get(created["url"]).json()["progress"]["queued"] == 6 - len(view["trials"])


def children(pid: int) -> list[int]:
    """The processes whose parent is pid (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def test_kill_9_mid_sweep_then_restart_keeps_finished_trials_and_retries_the_running_one(
    tmp_path: Path,
):
    # grace: long enough that a loaded machine's slow heartbeat is not taken for a dead worker
    fast = {"DESCENT_SWEEP_HEARTBEAT_SECONDS": "1", "DESCENT_SWEEP_GRACE_SECONDS": "8"}
    body = {"space": LR, "trials": 4, "iterations": 30_000, "seed": 1}
    with (
        served_sweeps(tmp_path, 1, **fast) as (base, server),
        httpx.Client(base_url=base, timeout=60) as client,
    ):
        created = client.post("/api/sweeps", json=body).json()
        before = wait_for(
            client,
            created["url"],
            lambda v: (
                v["progress"]["complete"] >= 1
                and any(t["state"] == "running" and t["iterations"] for t in v["trials"])
            ),
        )
        for pid in [*children(server.pid), server.pid]:
            os.kill(pid, signal.SIGKILL)
        server.wait()
    kept = {t["number"]: t for t in before["trials"] if t["state"] == "complete"}
    (interrupted,) = [t["number"] for t in before["trials"] if t["state"] == "running"]
    with (
        served_sweeps(tmp_path, 1, **fast) as (base, _),
        httpx.Client(base_url=base, timeout=60) as client,
    ):
        after = wait_for(client, created["url"], lambda v: v["status"] == "done", 180)
    assert after["progress"] == {"trials": 4, "finished": 4, "running": 0, "complete": 4,
                                 "pruned": 0, "failed": 0, "queued": 0}  # fmt: skip
    assert sorted(t["number"] for t in after["trials"]) == [0, 1, 2, 3]
    by_number = {t["number"]: t for t in after["trials"]}
    for number, trial in kept.items():
        assert by_number[number]["value"] == trial["value"]
        assert by_number[number]["optuna_number"] == trial["optuna_number"]
    retried = by_number[interrupted]
    assert retried["attempts"] == 2 and retried["params"] == before["trials"][interrupted]["params"]
    assert retried["iterations"] == 30_000


def test_stopping_the_server_puts_its_running_trials_back_in_the_queue(tmp_path: Path):
    with served_sweeps(tmp_path, 1) as (base, _), httpx.Client(base_url=base, timeout=60) as client:
        body = {"space": LR, "trials": 3, "iterations": 200_000}
        created = client.post("/api/sweeps", json=body).json()
        wait_for(client, created["url"], lambda v: any(t["iterations"] for t in v["trials"]))
    storage = open_storage(f"sqlite:///{tmp_path / 'sweeps.db'}")
    study_id = find(storage, created["id"])
    assert study_id is not None
    deadline = time.monotonic() + 10  # the worker sees its server gone within ~50 ms
    while (view := sweep_view(created["id"], *read(storage, study_id)))["trials"]:
        assert time.monotonic() < deadline, view["trials"]
        time.sleep(0.05)
    assert view["status"] == "queued" and view["progress"]["queued"] == 3  # queued again


def test_a_trial_failed_because_its_worker_died_reads_queued_until_its_retry_comes():
    from optuna.trial import TrialState, create_trial

    from app.sweeps.objective import WORKER_STOPPED
    from app.sweeps.store import MAX_RETRIES
    from app.sweeps.views import state_of

    def failed(message: str | None) -> object:
        return create_trial(state=TrialState.FAIL, user_attrs={"slot": 0, "message": message})

    assert state_of(failed(None), tries=1) == "queued"  # Optuna's retry is on its way
    assert state_of(failed(WORKER_STOPPED), tries=2) == "queued"
    assert state_of(failed("ValueError: a bug"), tries=1) == "failed"
    assert state_of(failed(None), tries=MAX_RETRIES + 1) == "failed"  # no retry left
