"""The live `inside` message: every hidden layer's histograms, shares and update ratio, and the
hidden space, as core/inside.py computes them for the same run; bad choices are errors."""

from __future__ import annotations

import numpy as np
import pytest

import core
from app.playground.inside_frames import INSIDE_SECONDS, InsideWatch
from app.playground.lanes import build_lanes
from app.playground.outbox import Outbox
from app.wire.config import TrainConfig
from core.datasets import make_features
from core.inside import hidden_space, inside
from core.pictures import grid_points
from tests.playground.test_resume import costs_of
from tests.playground.test_ws import receive_until

CONFIG = {
    "dataset": {"name": "course_moons"},
    "network": {"hidden": [5, 3], "activation": "tanh"},
    "optimizer": {"name": "gd", "learning_rate": 0.3, "batch_size": 64},
}


def started(ws, config: dict = CONFIG) -> list[dict]:
    """hello, configure, up to its status; the messages after hello."""
    ws.receive_json()
    ws.send_json({"type": "configure", "config": config})
    return receive_until(ws, lambda m: m["type"] == "status")


def watched(ws, **choice) -> dict:
    """Turn the inside view on; its first message."""
    ws.send_json({"type": "inside", **choice})
    return receive_until(ws, lambda m: m["type"] in ("inside", "error"))[-1]


def test_inside_at_iteration_0_counts_every_training_example_of_every_hidden_layer(client):
    with client.websocket_connect("/ws") as ws:
        configured = started(ws)[0]
        message = watched(ws)
    m = len(configured["train"]["x"])
    assert message["iteration"] == 0 and message["activation"] == "tanh"
    assert [layer["layer"] for layer in message["layers"]] == [1, 2]
    for layer, (n, fan_in) in zip(message["layers"], [(5, 2), (3, 5)], strict=True):
        assert sum(layer["activations"]["counts"]) == n * m
        assert sum(layer["preactivations"]["counts"]) == n * m
        assert sum(layer["weight_gradients"]["counts"]) == n * fan_in
        assert layer["dead"] is None and 0 <= layer["saturated"] <= 1
        assert layer["update_ratio"] is None  # no update yet


def test_inside_after_steps_is_what_core_computes_for_the_same_run(client):
    with client.websocket_connect("/ws") as ws:
        started(ws)
        watched(ws, layer=2, units=[2, 0])
        ws.send_json({"type": "step", "iterations": 37})
        message = receive_until(ws, lambda m: m["type"] == "inside" and m["iteration"] == 37)[-1]
    trainer = core.Trainer(TrainConfig.model_validate(CONFIG).to_core())
    trainer.step(37, metrics=False)
    network = trainer.network
    expected = inside(network, trainer.last_grads, network.views(trainer.previous_theta))
    for got, want in zip(message["layers"], expected, strict=True):
        assert got["activations"]["counts"] == want.activations.counts.tolist()
        assert got["weight_gradients"]["counts"] == want.weight_gradients.counts.tolist()
        assert got["saturated"] == want.saturated
        assert got["update_ratio"] == pytest.approx(want.update_ratio, abs=0)
    space = message["hidden_space"]
    grid = make_features(grid_points(trainer.extent, space["resolution"]), ("x1", "x2"))
    grid_xy, data_xy = hidden_space(network, grid, trainer.X_train, 2, (2, 0))
    assert space["layer"] == 2 and space["units"] == [2, 0] and space["width"] == 3
    np.testing.assert_allclose(space["data"], data_xy, rtol=1e-3, atol=1e-6)  # 4 digits
    np.testing.assert_allclose(space["grid"], grid_xy, rtol=1e-3, atol=1e-6)


def test_watching_inside_does_not_change_the_run_even_with_batch_norm(client):
    config = {**CONFIG, "network": {**CONFIG["network"], "batch_norm": True}}
    runs = []
    for watch in (False, True):
        with client.websocket_connect("/ws") as ws:
            started(ws, config)
            if watch:  # the iteration-0 probe trains a copy: the lane's running averages stay
                assert watched(ws)["batch_norm"] is True
            runs.append(step_frames_plain(ws, 25))
    assert costs_of(runs[0]) == costs_of(runs[1])
    assert runs[0][-1]["cost_test"] == runs[1][-1]["cost_test"]


def step_frames_plain(ws, n: int) -> list[dict]:
    """Step n without checkpoints: the frames up to the one at iteration n."""
    ws.send_json({"type": "step", "iterations": n})
    seen = receive_until(ws, lambda m: m["type"] == "frame" and m["iteration"] == n)
    return [m for m in seen if m["type"] == "frame"]


def test_relu_layers_report_dead_units_not_saturation(client):
    config = {**CONFIG, "network": {"hidden": [4], "activation": "relu"}}
    with client.websocket_connect("/ws") as ws:
        started(ws, config)
        layer = watched(ws)["layers"][0]
    assert layer["saturated"] is None and 0 <= layer["dead"] <= 1


def test_turned_off_no_more_inside_messages_come(client):
    with client.websocket_connect("/ws") as ws:
        started(ws)
        watched(ws)
        ws.send_json({"type": "inside", "enabled": False})
        ws.send_json({"type": "checkpoints", "enabled": True})
        ws.send_json({"type": "step", "iterations": 300})
        seen = receive_until(ws, lambda m: m["type"] == "checkpoint")  # after the last frame
    assert {m["type"] for m in seen} == {"frame", "checkpoint"}
    assert len(costs_of([m for m in seen if m["type"] == "frame"])) == 300


@pytest.mark.parametrize(
    ("choice", "field", "says"),
    [
        ({"layer": 3}, "layer", "hidden layer, 1 to 2"),
        ({"layer": 0}, "layer", "greater"),
        ({"layer": 2, "units": [0, 3]}, "units", "0 to 2"),
        ({"lane": 1}, "lane", "no lane 1"),
        ({"units": [0]}, "units", ""),
    ],
)
def test_a_bad_choice_is_an_error_naming_the_field(client, choice, field, says):
    with client.websocket_connect("/ws") as ws:
        started(ws)
        error = watched(ws, **choice)
        assert error["type"] == "error" and error["field"].startswith(field), error
        assert says in error["message"]
        assert watched(ws)["type"] == "inside", "the session goes on"


def test_inside_before_configure_is_an_error(client):
    with client.websocket_connect("/ws") as ws:
        ws.receive_json()
        error = watched(ws)
    assert error["type"] == "error" and "configure first" in error["message"]


def test_the_watch_sends_at_most_one_running_message_per_interval_and_never_to_a_laggard():
    lanes = build_lanes([TrainConfig.model_validate(CONFIG)], ["gd"], None)
    lanes[0].trainer.step(3, metrics=False)
    outbox, watch = Outbox(), InsideWatch(enabled=True)
    first = watch.frames(lanes, outbox)
    assert [m["iteration"] for m in first] == [3]
    assert watch.frames(lanes, outbox) == [], f"a second within {INSIDE_SECONDS} s"
    assert len(watch.frames(lanes, outbox, settled=True)) == 1, "a pause always gets one"
    watch.sent = 0.0
    outbox.claim(0)  # the lane's running frame is not sent yet: the client is behind
    assert watch.frames(lanes, outbox) == []
    assert InsideWatch(enabled=False).frames(lanes, outbox, settled=True) == []


def test_a_run_that_went_to_nan_sends_no_inside_and_raises_nothing():
    lanes = build_lanes([TrainConfig.model_validate(CONFIG)], ["gd"], None)
    lanes[0].trainer.step(3, metrics=False)
    lanes[0].trainer.network.params["W1"][...] = np.nan
    lanes[0].trainer.step(1, metrics=False)  # a training pass through NaN weights: A is NaN
    assert lanes[0].trainer.diverged is not None
    assert InsideWatch(enabled=True).frames(lanes, Outbox(), settled=True) == []
