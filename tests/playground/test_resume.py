"""Nobody's work is lost: checkpoints sent to the page bring a run back exactly, after a
dropped socket or a restart; a forged checkpoint is an error, never a crash."""

from __future__ import annotations

import json
import signal

import numpy as np
import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.settings import Settings
from tests.playground.test_ws import receive_until
from tests.servers import served

CONFIG = {
    "dataset": {"name": "moons", "samples": 300},
    "network": {"hidden": [6, 4], "activation": "tanh"},
    "optimizer": {"name": "adam", "learning_rate": 0.01, "batch_size": 64},
    "regularization": {"keep_prob": 0.8, "l2": 0.05},
}


def started(ws, lanes=None) -> None:
    """hello, checkpoints on, configure, up to its status."""
    ws.receive_json()
    ws.send_json({"type": "checkpoints", "enabled": True})
    ws.send_json({"type": "configure", "config": CONFIG, **({"lanes": lanes} if lanes else {})})
    receive_until(ws, lambda m: m["type"] == "status")


def step_frames(ws, n: int) -> list[dict]:
    """Step n; every frame until the checkpoint that follows the last one."""
    ws.send_json({"type": "step", "iterations": n})
    seen = receive_until(ws, lambda m: m["type"] == "checkpoint")
    return [m for m in seen if m["type"] == "frame"]


def costs_of(frames: list[dict], lane: int = 0) -> list[float]:
    """Every training cost of a lane's frames, in order."""
    return [c for f in frames if f["lane"] == lane for c in f["costs"]]


def test_a_resumed_run_continues_bit_for_bit_as_if_nothing_had_happened():
    app = create_app(Settings())
    lanes = [{"label": "adam"}, {"label": "momentum", "optimizer": {"name": "momentum"}}]
    with TestClient(app) as client:
        with client.websocket_connect("/ws") as ws:
            started(ws, lanes)
            ws.send_json({"type": "play"})
            receive_until(ws, lambda m: m["type"] == "frame" and m["iteration"] >= 150)
            ws.send_json({"type": "pause"})
            checkpoint = receive_until(ws, lambda m: m["type"] == "checkpoint")[-1]
            stopped_at = checkpoint["lanes"][0]["state"]["iteration"]
            uninterrupted = step_frames(ws, 137)
        with client.websocket_connect("/ws") as ws:  # a new connection: nothing on the server
            ws.receive_json()
            ws.send_json({"type": "checkpoints", "enabled": True})
            ws.send_json({"type": "resume", "lanes": checkpoint["lanes"]})
            replies = receive_until(ws, lambda m: m["type"] in ("status", "error"))
            resumed = step_frames(ws, 137)
    assert replies[-1]["message"] == f"resumed at iteration {stopped_at}"
    assert [f["iteration"] for f in replies if f["type"] == "frame"] == [stopped_at] * 2
    for lane in (0, 1):  # frames sent while stepping carry float32 costs: compare at that
        np.testing.assert_allclose(costs_of(resumed, lane), costs_of(uninterrupted, lane), 1e-6)
        assert len(costs_of(resumed, lane)) == 137
    assert resumed[-1]["weights"] == uninterrupted[-1]["weights"]  # settled: exact float64
    assert resumed[-1]["cost_train"] == uninterrupted[-1]["cost_train"]


def forged(checkpoint: dict, **state: object) -> dict:
    """A resume message whose first lane's state is changed."""
    lanes = json.loads(json.dumps(checkpoint["lanes"]))
    lanes[0]["state"].update(state)
    return {"type": "resume", "lanes": lanes}


@pytest.mark.parametrize(
    ("change", "field", "says"),
    [
        ({"theta": "AAAAAAAAAAA="}, "lanes.0.state", "theta"),  # 1 number where 81 are needed
        ({"theta": "not base64!"}, "lanes.0.state.theta", "base64"),
        ({"buffers": []}, "lanes.0.state", "buffers"),  # adam keeps two
        ({"iteration": -5}, "lanes.0.state.iteration", "greater"),
        ({"epoch_order": "AAAAAA=="}, "lanes.0.state", "epoch_order"),
        ({"batch_rng": {"bit_generator": "MT19937"}}, "lanes.0.state.batch_rng", "PCG64"),
    ],
)
def test_a_forged_checkpoint_is_an_error_naming_the_field_and_changes_nothing(change, field, says):
    with TestClient(create_app(Settings())) as client, client.websocket_connect("/ws") as ws:
        started(ws)
        step_frames(ws, 20)
        ws.send_json({"type": "pause"})
        good = receive_until(ws, lambda m: m["type"] == "checkpoint")[-1]
        ws.send_json(forged(good, **change))
        error = receive_until(ws, lambda m: m["type"] == "error")[-1]
        after = step_frames(ws, 5)
    assert error["field"].startswith(field) and says in error["message"], error
    assert after[-1]["iteration"] == 25, "the session kept its run"


def test_a_resume_past_the_limits_is_refused():
    with TestClient(create_app(Settings())) as client, client.websocket_connect("/ws") as ws:
        started(ws)
        step_frames(ws, 3)
        ws.send_json({"type": "pause"})
        good = receive_until(ws, lambda m: m["type"] == "checkpoint")[-1]
        big = json.loads(json.dumps(good["lanes"]))
        big[0]["config"]["network"]["hidden"] = [65]
        ws.send_json({"type": "resume", "lanes": big})
        error = receive_until(ws, lambda m: m["type"] == "error")[-1]
    assert error["field"] == "lanes.0.config.network.hidden.0"


def test_on_sigterm_a_session_gets_its_checkpoint_then_close_1012():
    from websockets.exceptions import ConnectionClosed
    from websockets.sync.client import connect

    with served() as (base, process):
        with connect(base.replace("http", "ws") + "/ws", open_timeout=10) as ws:
            ws.recv(timeout=10)
            ws.send(json.dumps({"type": "checkpoints", "enabled": True}))
            ws.send(json.dumps({"type": "configure", "config": CONFIG}))
            ws.send(json.dumps({"type": "play"}))
            while json.loads(ws.recv(timeout=10))["type"] != "frame":
                pass
            process.send_signal(signal.SIGTERM)
            last = None
            with pytest.raises(ConnectionClosed) as closed:
                while True:
                    message = json.loads(ws.recv(timeout=10))
                    if message["type"] == "checkpoint":
                        last = message
        process.wait(timeout=10)
    assert last is not None and last["lanes"][0]["state"]["iteration"] > 0
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1012
