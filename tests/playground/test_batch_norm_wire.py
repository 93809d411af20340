"""Batch norm end to end: a BN run over the WebSocket and over REST, its checkpoints carrying
the running averages, and /api/options naming the course's datasets, initializers and switches."""

from __future__ import annotations

import base64
import json

import numpy as np
import pytest

import core
from app.wire.config import TrainConfig
from app.wire.frames import metrics_view
from tests.playground.test_resume import costs_of, step_frames
from tests.playground.test_ws import receive_until

BN = {
    "dataset": {"name": "course_moons"},
    "network": {"hidden": [6, 4], "activation": "relu", "batch_norm": True},
    "optimizer": {"name": "adam", "learning_rate": 0.01, "batch_size": 64},
}
RUNNING = 2 * (6 + 4)  # a mean and a variance per hidden unit


def started(ws, config: dict = BN) -> None:
    """hello, checkpoints on, configure, up to its status."""
    ws.receive_json()
    ws.send_json({"type": "checkpoints", "enabled": True})
    ws.send_json({"type": "configure", "config": config})
    receive_until(ws, lambda m: m["type"] == "status")


def test_a_batch_norm_run_resumes_bit_for_bit_with_its_running_averages(client):
    with client.websocket_connect("/ws") as ws:
        started(ws)
        first = step_frames(ws, 30)
        ws.send_json({"type": "pause"})
        checkpoint = receive_until(ws, lambda m: m["type"] == "checkpoint")[-1]
        uninterrupted = step_frames(ws, 40)
    state = checkpoint["lanes"][0]["state"]
    running = np.frombuffer(base64.b64decode(state["running"]), "<f8")
    assert running.size == RUNNING and not np.array_equal(running[:10], np.zeros(10))
    assert {"gamma1", "beta1", "gamma2", "beta2", "W3", "b3"} <= set(first[-1]["weights"])
    assert "b1" not in first[-1]["weights"]  # batch norm drops b[l] on hidden layers
    with client.websocket_connect("/ws") as ws:
        ws.receive_json()
        ws.send_json({"type": "checkpoints", "enabled": True})
        ws.send_json({"type": "resume", "lanes": checkpoint["lanes"]})
        receive_until(ws, lambda m: m["type"] in ("status", "error"))
        resumed = step_frames(ws, 40)
    np.testing.assert_allclose(costs_of(resumed), costs_of(uninterrupted), 1e-6)
    # the test cost runs at inference, on the running averages: equal only if they came back
    assert resumed[-1]["cost_test"] == uninterrupted[-1]["cost_test"]
    assert resumed[-1]["weights"] == uninterrupted[-1]["weights"]


@pytest.mark.parametrize(
    ("running", "field", "says"),
    [
        (None, "lanes.0.state.running", "running averages"),
        ("AAAAAAAAAAA=", "lanes.0.state", "running"),  # 1 number where 20 are needed
        ("not base64!", "lanes.0.state.running", "base64"),
    ],
)
def test_a_batch_norm_checkpoint_without_its_averages_is_refused(client, running, field, says):
    with client.websocket_connect("/ws") as ws:
        started(ws)
        step_frames(ws, 10)
        ws.send_json({"type": "pause"})
        lanes = receive_until(ws, lambda m: m["type"] == "checkpoint")[-1]["lanes"]
        lanes = json.loads(json.dumps(lanes))
        lanes[0]["state"]["running"] = running
        ws.send_json({"type": "resume", "lanes": lanes})
        error = receive_until(ws, lambda m: m["type"] == "error")[-1]
        after = step_frames(ws, 5)
    assert error["field"].startswith(field) and says in error["message"], error
    assert after[-1]["iteration"] == 15, "the session kept its run"


def test_a_plain_checkpoint_has_no_running_averages_and_refuses_some(client):
    plain = {**BN, "network": {**BN["network"], "batch_norm": False}}
    with client.websocket_connect("/ws") as ws:
        started(ws, plain)
        step_frames(ws, 5)
        ws.send_json({"type": "pause"})
        lanes = receive_until(ws, lambda m: m["type"] == "checkpoint")[-1]["lanes"]
        assert lanes[0]["state"]["running"] is None
        lanes[0]["state"]["running"] = base64.b64encode(np.zeros(RUNNING).tobytes()).decode()
        ws.send_json({"type": "resume", "lanes": lanes})
        error = receive_until(ws, lambda m: m["type"] == "error")[-1]
    assert error["field"] == "lanes.0.state" and "running" in error["message"]


def test_rest_trains_batch_norm_as_the_core_trainer_does(client):
    response = client.post("/api/train", json={"config": BN, "iterations": 60})
    assert response.status_code == 200, response.text
    body = response.json()
    trainer = core.Trainer(TrainConfig.model_validate(BN).to_core())
    trainer.step(60, metrics=False)
    expected = metrics_view(trainer.metrics())
    assert body["final"]["cost_test"] == expected["cost_test"]
    assert body["final"]["accuracy_train"] == expected["accuracy_train"]
    assert body["weights"]["gamma1"] == trainer.network.params["gamma1"].tolist()


def test_options_name_the_course_data_the_notebook_initializers_and_batch_norm(client):
    options = client.get("/api/options").json()
    datasets = {d["name"]: d for d in options["datasets"]}
    assert datasets["course_circles"]["fixed"] and datasets["flower"]["fixed"] is False
    assert datasets["course_circles"]["test_set"] == "the notebook's own"
    assert datasets["course_moons"]["test_set"] == "test_fraction"
    seeds = {i["name"]: i["notebook_seed"] for i in options["initializers"]}
    assert seeds["notebook_he"] == 3 and seeds["notebook_planar"] == 2 and seeds["he"] is None
    assert "identity_scaled" in seeds
    assert options["network"]["batch_norm"]["default"] is False
    assert options["defaults"]["network"]["batch_norm"] is False


def test_batch_norm_is_refused_when_it_is_not_a_boolean(client):
    bad = {**BN, "network": {**BN["network"], "batch_norm": "maybe"}}
    response = client.post("/api/train", json={"config": bad, "iterations": 5})
    assert response.status_code == 422
    assert "network.batch_norm" in response.text


def test_a_race_of_plain_and_batch_norm_lanes_starts_from_the_same_draws(client):
    plain = {**BN, "network": {**BN["network"], "batch_norm": False}}
    lanes = [{"label": "plain"}, {"label": "batch norm", "network": BN["network"]}]
    with client.websocket_connect("/ws") as ws:
        ws.receive_json()
        ws.send_json({"type": "configure", "config": plain, "lanes": lanes})
        messages = receive_until(ws, lambda m: m["type"] in ("status", "error"))
    assert messages[-1]["type"] == "status", messages[-1]
    frames = {m["lane"]: m for m in messages if m["type"] == "frame"}
    assert set(frames[1]["weights"]) > {"gamma1", "beta1"} and "gamma1" not in frames[0]["weights"]
    # the batch-norm lane cannot take lane 0's b[l]: it draws its own W from the same seed
    assert frames[1]["weights"]["W1"] == frames[0]["weights"]["W1"]


def test_the_live_gradient_check_passes_on_a_batch_norm_lane(client):
    with client.websocket_connect("/ws") as ws:
        started(ws)
        step_frames(ws, 20)
        ws.send_json({"type": "gradcheck", "lane": 0})
        report = receive_until(ws, lambda m: m["type"] in ("gradcheck", "error"))[-1]
    assert report["type"] == "gradcheck", report
    assert {"gamma1", "beta1", "gamma2", "beta2"} <= set(report["per_parameter"])
    assert report["difference"] < 1e-6, report
