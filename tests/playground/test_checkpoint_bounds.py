"""A resumed checkpoint's iteration and epoch are bounded and agree with each other (issue 21:
an iteration of 10^18 was accepted and shown on the teacher's tile)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.settings import Settings
from tests.playground.test_resume import forged, started, step_frames
from tests.playground.test_ws import receive_until


@pytest.mark.parametrize(
    ("change", "field", "says"),
    [
        ({"iteration": 10**18}, "lanes.0.state.iteration", "less than or equal"),
        ({"epoch": 10**18, "iteration": 10**18}, "lanes.0.state", "less than or equal"),
        ({"optimizer_t": 10**18}, "lanes.0.state.optimizer_t", "less than or equal"),
        ({"epoch": 21}, "lanes.0.state.epoch", "must not exceed iteration"),
    ],
)
def test_a_checkpoint_out_of_bounds_is_refused_and_changes_nothing(change, field, says):
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
