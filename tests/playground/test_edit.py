"""Hand edits of a live network's weights, L1 over the wire, the lessons' course figures."""

from __future__ import annotations

import pytest

from tests.playground.test_ws import FLOWER, configure, receive_until, step


def test_an_edited_weight_applies_at_once_and_training_goes_on_from_it(client):
    with client.websocket_connect("/ws") as ws:
        ws.receive_json()
        configure(ws)
        step(ws, 10)
        ws.send_json({"type": "edit", "name": "W1", "row": 2, "column": 1, "value": 3.5})
        edited = receive_until(ws, lambda m: m["type"] == "frame")[-1]
        after = [m for m in step(ws, 5) if m["type"] == "frame"][-1]
    assert edited["weights"]["W1"][2][1] == 3.5 and edited["iteration"] == 10
    assert after["iteration"] == 15 and after["weights"]["W1"][2][1] != 3.5


@pytest.mark.parametrize(
    ("edit", "field"),
    [
        ({"name": "W9"}, "name"),
        ({"name": "W1", "row": 4}, "row"),
        ({"name": "b1", "column": 1}, "column"),
        ({"name": "W1", "value": 1e9}, "value"),
        ({"name": "theta"}, "name"),
        ({"name": "W1", "lane": 3}, "lane"),
    ],
)
def test_a_bad_edit_names_its_field_and_changes_nothing(client, edit, field):
    with client.websocket_connect("/ws") as ws:
        ws.receive_json()
        before = [m for m in configure(ws) if m["type"] == "frame"][-1]
        ws.send_json({"type": "edit", "row": 0, "column": 0, "value": 1.0, **edit})
        error = receive_until(ws, lambda m: m["type"] == "error")[-1]
        ws.send_json({"type": "pause"})
        now = receive_until(ws, lambda m: m["type"] == "frame")[-1]
    assert error["field"] == field
    assert now["weights"] == before["weights"]


def test_l1_is_in_the_config_and_in_j_over_rest(client):
    plain = client.post("/api/train", json={"config": FLOWER, "iterations": 50}).json()
    config = {**FLOWER, "regularization": {"l1": 0.5}}
    sparse = client.post("/api/train", json={"config": config, "iterations": 50}).json()
    final = sparse["final"]
    assert final["cost_train"] > final["loss_train"]
    assert final["cost_train"] != plain["final"]["cost_train"]


def test_lessons_carry_each_lanes_course_figure_and_their_criterion(client):
    lessons = {l["name"]: l for l in client.get("/api/lessons").json()["lessons"]}
    flower = lessons["planar-flower"]
    assert [lane["course"] for lane in flower["lanes"]] == [0.47, 0.9075]
    assert flower["criterion"] == "accuracy_train" and flower["higher_is_better"]
    assert lessons["regularization"]["criterion"] == "accuracy_test"
