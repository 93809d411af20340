"""The /ws playground session: control messages in, frames out, errors that keep the session."""

from __future__ import annotations

import asyncio
import json
import re
import statistics
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest

from app.playground.engine import all_engines
from tests.clients import play_lesson
from tests.decoding import decode_binary, decode_grid

ROOT = Path(__file__).resolve().parents[2]
FLOWER = {"dataset": {"name": "flower"}, "network": {"hidden": [4]}}
Message = dict[str, Any]


def receive_until(ws: Any, done: Any, limit: int = 10_000) -> list[Message]:
    """Messages up to and including the first for which done(message) is true."""
    seen = []
    for _ in range(limit):
        message = ws.receive_json()
        seen.append(message)
        if done(message):
            return seen
    raise AssertionError(f"never arrived; last: {seen[-1]['type']}")


def configure(ws: Any, config: Message | None = None, **extra: Any) -> list[Message]:
    """Send configure and return the messages up to its status."""
    ws.send_json({"type": "configure", "config": config or FLOWER, **extra})
    return receive_until(ws, lambda m: m["type"] in ("status", "error"))


def step(ws: Any, n: int, lanes: int = 1) -> list[Message]:
    """Send step n and return the messages until every lane's frame reached the target."""
    ws.send_json({"type": "step", "iterations": n})
    finished: set[int] = set()
    out = []
    while len(finished) < lanes:
        message = ws.receive_json()
        out.append(message)
        if message["type"] == "frame" and message.get("diverged") is None:
            if message["iteration"] % n == 0 and message["iteration"] > 0:
                finished.add(message["lane"])
        elif message["type"] == "frame":
            finished.add(message["lane"])
    return out


def test_hello_comes_first_with_options_and_limits(client):
    with client.websocket_connect("/ws") as ws:
        hello = ws.receive_json()
    assert hello["type"] == "hello"
    assert hello["limits"]["max_lanes"] == 4
    assert {"activations", "optimizers", "datasets", "defaults"} <= set(hello["options"])
    assert hello["version"]


def test_configure_answers_configured_a_frame_and_paused(client):
    with client.websocket_connect("/ws") as ws:
        ws.receive_json()
        configured, first, status = configure(ws)
    assert configured["type"] == "configured"
    assert configured["problem"] == "classification"
    assert len(configured["train"]["x"]) == 400 and len(configured["extent"]) == 4
    assert configured["lanes"][0]["layer_sizes"] == [2, 4, 1]
    assert first["type"] == "frame" and first["lane"] == 0 and first["iteration"] == 0
    assert first["costs"] == [] and "neurons" in first
    assert [layer["units"] for layer in first["neurons"]["layers"]] == [2, 4, 1]
    assert status == {"type": "status", "state": "paused", "message": "ready: iteration 0"}


def test_play_streams_frames_and_pause_stops_them(client):
    with client.websocket_connect("/ws") as ws:
        ws.receive_json()
        configure(ws)
        ws.send_json({"type": "play"})
        assert ws.receive_json() == {"type": "status", "state": "running", "message": "training"}
        frames = [ws.receive_json() for _ in range(3)]
        assert all(f["type"] == "frame" for f in frames)
        iterations = [f["iteration"] for f in frames]
        assert iterations == sorted(iterations) and iterations[0] > 0
        ws.send_json({"type": "pause"})
        before = receive_until(ws, lambda m: m["type"] == "status")
        final = ws.receive_json()
        ws.send_json({"type": "gradcheck", "lane": 0})
        after = ws.receive_json()
    frames += [m for m in before if m["type"] == "frame"] + [final]
    assert before[-1]["state"] == "paused"
    assert final["type"] == "frame" and "neurons" in final
    assert after["type"] == "gradcheck", "no frame may follow the pause's final frame"
    assert sum(len(f["costs"]) for f in frames) == final["iteration"], "every cost is sent"


def test_step_advances_exactly_n_and_reset_returns_to_zero(client):
    with client.websocket_connect("/ws") as ws:
        ws.receive_json()
        first = configure(ws)[1]
        frames = [m for m in step(ws, 37) if m["type"] == "frame"]
        assert frames[-1]["iteration"] == 37
        assert sum(len(f["costs"]) for f in frames) == 37
        frames = [m for m in step(ws, 37) if m["type"] == "frame"]
        assert frames[-1]["iteration"] == 74
        ws.send_json({"type": "reset"})
        configured, again, status = receive_until(ws, lambda m: m["type"] == "status")
    assert configured["type"] == "configured" and status["state"] == "paused"
    assert again["iteration"] == 0 and again["weights"] == first["weights"]


def test_websocket_and_rest_agree_to_the_bit(client):
    config = {**FLOWER, "optimizer": {"name": "adam", "learning_rate": 0.01, "batch_size": 64},
              "regularization": {"keep_prob": 0.9}}  # fmt: skip
    with client.websocket_connect("/ws") as ws:
        ws.receive_json()
        configure(ws, config)
        final = [m for m in step(ws, 250) if m["type"] == "frame"][-1]
    rest = client.post("/api/train", json={"config": config, "iterations": 250}).json()
    assert final["iteration"] == rest["final"]["iteration"] == 250
    assert final["cost_train"] == rest["final"]["cost_train"]
    assert final["weights"] == rest["weights"]


def test_lanes_share_initial_weights_and_each_frame_names_its_lane(client):
    lanes = [
        {"label": "GD"},
        {"label": "Adam", "optimizer": {"name": "adam", "learning_rate": 0.01}},
        {"label": "wide", "network": {"hidden": [6]}},
    ]
    with client.websocket_connect("/ws") as ws:
        ws.receive_json()
        messages = configure(ws, lanes=lanes)
        configured = messages[0]
        frames = {m["lane"]: m for m in messages if m["type"] == "frame"}
        stepped = [m for m in step(ws, 20, lanes=3) if m["type"] == "frame"]
    assert [lane["label"] for lane in configured["lanes"]] == ["GD", "Adam", "wide"]
    assert configured["lanes"][2]["layer_sizes"] == [2, 6, 1]
    assert frames[0]["weights"] == frames[1]["weights"] != frames[2]["weights"]
    assert {m["lane"] for m in stepped} == {0, 1, 2}
    last = {m["lane"]: m for m in stepped}
    assert last[0]["cost_train"] != last[1]["cost_train"]


def test_a_diverging_lane_stops_alone(client):
    config = {"dataset": {"name": "plane"}, "network": {"hidden": [4], "output": "regression"}}
    lanes = [
        {"optimizer": {"learning_rate": 0.01}},
        {"label": "hot", "optimizer": {"learning_rate": 90}},
    ]
    with client.websocket_connect("/ws") as ws:
        ws.receive_json()
        configure(ws, config, lanes=lanes)
        messages = step(ws, 200, lanes=2)
        diverged = [m for m in messages if m["type"] == "status"]
        more = [m for m in step(ws, 200, lanes=1) if m["type"] == "frame"]
    assert diverged and diverged[0]["state"] == "diverged" and diverged[0]["lane"] == 1
    assert diverged[0]["message"].startswith("Lane 1 (hot): Training diverged")
    assert all(m["lane"] == 0 for m in more) and more[-1]["iteration"] == 400


def test_set_changes_the_learning_rate_live(client):
    with client.websocket_connect("/ws") as ws:
        ws.receive_json()
        configure(ws)
        ws.send_json({"type": "set", "changes": {"learning_rate": 0.5, "l2": 0.1}})
        last = step(ws, 5)[-1]
    assert last["learning_rate"] == 0.5


def test_gradcheck_reports_correct_backprop(client):
    with client.websocket_connect("/ws") as ws:
        ws.receive_json()
        configure(ws)
        step(ws, 10)
        ws.send_json({"type": "gradcheck", "lane": 0})
        report = ws.receive_json()
    assert report["type"] == "gradcheck" and report["verdict"] == "correct"
    assert set(report["per_parameter"]) == {"W1", "b1", "W2", "b2"}
    assert report["difference"] < 1e-7


BAD_MESSAGES = [
    ("{not json", None),
    ("[1, 2]", None),
    ('{"kind": "play"}', "type"),
    ('{"type": "dance"}', "type"),
    ('{"type": "step", "iterations": 0}', "iterations"),
    ('{"type": "step", "iterations": 200001}', "iterations"),
    ('{"type": "rate", "frames_per_second": 500}', "frames_per_second"),
    ('{"type": "set", "changes": {"activation": "relu"}}', "changes.activation"),
    ('{"type": "set", "changes": {"learning_rate": -1}}', "optimizer.learning_rate"),
    ('{"type": "set", "changes": {"keep_prob": 0}}', "regularization.keep_prob"),
    ('{"type": "set", "changes": {}, "lane": 3}', "lane"),
    ('{"type": "gradcheck", "lane": 2}', "lane"),
    ('{"type": "configure", "config": {"optimizer": {"learning_rate": -1}}}',
     "optimizer.learning_rate"),
    ('{"type": "configure", "config": {"network": {"hidden": [4, 4, 4, 4, 4, 4, 4, 4, 4]}}}',
     "network.hidden"),
    ('{"type": "configure", "config": {"network": {"hidden": [65]}}}', "network.hidden.0"),
    ('{"type": "configure", "config": {"dataset": {"samples": 2001}}}', "dataset.samples"),
    ('{"type": "configure", "config": {"dataset": {"name": "plane"}}}', "network.output"),
    ('{"type": "configure", "config": {"network": {"activation": "swish"}}}', "network.activation"),
    ('{"type": "configure", "config": {"features": []}}', "features"),
    ('{"type": "configure", "config": {"colour": "red"}}', "colour"),
    ('{"type": "configure", "lanes": [{}, {}, {}, {}, {}]}', "lanes"),
    ('{"type": "configure", "lanes": [{}, {"optimizer": {"beta": 2}}]}', "lanes.1.optimizer.beta"),
    ('{"type": "configure", "initial_weights": {"W1": [[1.0]]}}', "initial_weights.W1"),
    ('{"type": "configure", "initial_weights": {"W9": [[1.0]]}}', "initial_weights.W9"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "field"), BAD_MESSAGES)
def test_a_bad_message_gets_an_error_naming_the_field_and_the_session_goes_on(client, text, field):
    with client.websocket_connect("/ws") as ws:
        ws.receive_json()
        configure(ws)
        step(ws, 3)
        ws.send_text(text)
        error = ws.receive_json()
        after = [m for m in step(ws, 3) if m["type"] == "frame"][-1]
    assert error["type"] == "error" and error["field"] == field
    assert error["message"]
    assert after["iteration"] == 6, "the session kept its state"


def test_oversized_and_binary_messages_are_refused_politely(client):
    with client.websocket_connect("/ws") as ws:
        ws.receive_json()
        ws.send_text(json.dumps({"type": "play", "padding": "x" * 70_000}))
        too_big = ws.receive_json()
        ws.send_bytes(b"\x00\x01")
        binary = ws.receive_json()
        ws.send_json({"type": "play"})
        before_configure = ws.receive_json()
    assert too_big["type"] == "error" and "at most 65536 bytes" in too_big["message"]
    assert binary["type"] == "error" and "JSON text" in binary["message"]
    assert before_configure == {"type": "error", "message": "type: send configure first",
                                "field": "type", "reason": "send configure first"}  # fmt: skip


def test_disconnect_leaves_no_session_task_or_thread_behind(client):
    # TestClient serves in this process: the server's threads are counted by their names
    def engine_threads() -> int:
        return sum(t.name == "descent-engine" for t in threading.enumerate())

    with client.websocket_connect("/ws") as ws:
        ws.receive_json()
        configure(ws)
        ws.send_json({"type": "play"})
        receive_until(ws, lambda m: m["type"] == "frame" and m["iteration"] > 0)
        assert any(engine.training for engine in all_engines())
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(e.sessions or e.thread for e in all_engines()):
        time.sleep(0.01)
    assert not any(engine.sessions or engine.thread for engine in all_engines())
    assert engine_threads() == 0


def transcript() -> list[tuple[str, str]]:
    """("C", json) and ("S", type) pairs from the transcript block of docs/protocol.md."""
    text = (ROOT / "docs" / "protocol.md").read_text()
    block = re.search(r"```transcript\n(.*?)```", text, re.S)
    assert block, "docs/protocol.md has a ```transcript block"
    lines = []
    for line in block.group(1).splitlines():
        if line.startswith("C: "):
            lines.append(("C", line[3:]))
        elif line.startswith("S: "):
            lines.append(("S", re.search(r'"type": "(\w+)"', line).group(1)))
    return lines


def test_the_documented_transcript_replays(client):
    with client.websocket_connect("/ws") as ws:
        for direction, content in transcript():
            if direction == "C":
                ws.send_text(content)
                continue
            message = ws.receive_json()
            while message["type"] == "frame" and content != "frame":
                message = ws.receive_json()  # frames stream while playing
            assert message["type"] == content, message


async def _train_and_probe(base: str, sessions: int) -> tuple[list[float], list[int]]:
    """Start `sessions` playing clients, then time /healthz 20 times."""
    url = base.replace("http", "ws") + "/ws"
    frames = [0] * sessions
    stop = asyncio.Event()

    async def session(i: int) -> None:
        def count(text: str, now: float) -> None:
            frames[i] += json.loads(text)["type"] == "frame"

        await play_lesson(url, FLOWER, done=stop.is_set, on_text=count, compression=None)

    tasks = [asyncio.create_task(session(i)) for i in range(sessions)]
    while min(frames) < 2:
        await asyncio.sleep(0.05)
    latencies = []
    async with httpx.AsyncClient(base_url=base) as http:
        for _ in range(20):
            started = time.perf_counter()
            assert (await http.get("/healthz")).status_code == 200
            latencies.append((time.perf_counter() - started) * 1000)
            await asyncio.sleep(0.05)
    stop.set()
    await asyncio.gather(*tasks)
    return latencies, frames


def test_healthz_stays_fast_while_20_sessions_train(live_server):
    latencies, frames = asyncio.run(_train_and_probe(live_server, 20))
    assert min(frames) >= 2, "every session was training"
    assert statistics.median(latencies) < 50, latencies


def test_configure_can_start_from_given_weights(client):
    weights = {"W1": [[0.5, -0.5]] * 4, "b1": [[0.0]] * 4, "W2": [[1.0, 2.0, 3.0, 4.0]],
               "b2": [[0.25]]}  # fmt: skip
    with client.websocket_connect("/ws") as ws:
        ws.receive_json()
        first = configure(ws, initial_weights=weights)[1]
        step(ws, 5)
        ws.send_json({"type": "reset"})
        again = receive_until(ws, lambda m: m["type"] == "status")[1]
    assert first["weights"] == weights == again["weights"]


def test_no_message_ends_the_session():
    from fastapi.testclient import TestClient
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from app.main import create_app
    from app.settings import Settings

    fast = Settings(max_messages_per_second=100_000, message_burst=100_000)  # past rate limits

    scalars = st.none() | st.booleans() | st.integers(-3, 40) | st.floats(-10, 10)
    values = st.recursive(
        scalars | st.text(max_size=6),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner),
        max_leaves=6,
    )
    keys = st.sampled_from(["config", "lanes", "iterations", "changes", "lane",
                            "frames_per_second", "initial_weights", "learning_rate"])  # fmt: skip
    messages = st.builds(
        lambda kind, body: {"type": kind, **body},
        st.sampled_from([*CLIENT_TYPES, "nope", 3]),
        st.dictionaries(keys, values, max_size=3),
    )

    with TestClient(create_app(fast)) as client, client.websocket_connect("/ws") as ws:
        ws.receive_json()
        configure(ws)

        @settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
        @given(message=messages)
        def survive(message: Message) -> None:
            ws.send_text(json.dumps(message))
            ws.send_json({"type": "gradcheck", "lane": 0})
            replies = receive_until(ws, lambda m: m["type"] == "gradcheck")
            assert not [m for m in replies if m.get("message") == "internal error"], message

        survive()


CLIENT_TYPES = [
    "configure", "play", "pause", "reset", "step", "set", "rate", "speed", "gradcheck",
]  # fmt: skip


def test_a_paused_run_matches_rest_at_whatever_iteration_it_stopped(client):
    with client.websocket_connect("/ws") as ws:
        ws.receive_json()
        configure(ws)
        ws.send_json({"type": "play"})
        receive_until(ws, lambda m: m["type"] == "frame" and m["iteration"] >= 50)
        ws.send_json({"type": "pause"})
        receive_until(ws, lambda m: m["type"] == "status" and m["state"] == "paused")
        final = ws.receive_json()
    k = final["iteration"]
    rest = client.post("/api/train", json={"config": FLOWER, "iterations": k}).json()
    assert final["cost_train"] == rest["final"]["cost_train"]
    assert final["weights"] == rest["weights"]


def test_when_every_lane_diverged_play_and_step_say_so_until_reset(client):
    config = {"dataset": {"name": "plane"}, "network": {"output": "regression"},
              "optimizer": {"learning_rate": 90}}  # fmt: skip
    with client.websocket_connect("/ws") as ws:
        ws.receive_json()
        configure(ws, config)
        ws.send_json({"type": "play"})
        receive_until(ws, lambda m: m["type"] == "status" and m["state"] == "diverged")
        replies = []
        for message in ({"type": "play"}, {"type": "step", "iterations": 5}):
            ws.send_json(message)
            replies.append(receive_until(ws, lambda m: m["type"] == "status")[-1])
        ws.send_json({"type": "reset"})
        after = receive_until(ws, lambda m: m["type"] == "status")
    assert [r["state"] for r in replies] == ["diverged", "diverged"]
    assert after[1]["iteration"] == 0 and after[-1]["state"] == "paused"


def test_frames_never_come_faster_than_the_requested_rate(client):
    with client.websocket_connect("/ws") as ws:
        ws.receive_json()
        configure(ws)
        ws.send_json({"type": "rate", "frames_per_second": 4})
        ws.send_json({"type": "play"})
        started, arrivals = time.monotonic(), []
        while time.monotonic() - started < 1.5:
            if ws.receive_json()["type"] == "frame":
                arrivals.append(time.monotonic())
        ws.send_json({"type": "pause"})
    in_window = [t for t in arrivals if t - started <= 1.0]
    assert 1 <= len(in_window) <= 1 + 4 + 1  # the first, one per period, one of slack


def test_custom_points_of_three_classes_train_to_100_percent_over_the_websocket(client):
    from tests.rest.test_data import THREE_CLASSES

    config = {
        "dataset": {"name": "custom", "points": THREE_CLASSES},
        "features": ["x1", "x2", "x1_squared"],
        "network": {"hidden": [4], "init": "xavier"},
    }
    with client.websocket_connect("/ws") as ws:
        ws.receive_json()
        configured, first, _ = configure(ws, config)
        last = [m for m in step(ws, 300) if m["type"] == "frame"][-1]
    assert configured["custom"] is True and configured["classes"] == 3
    assert sorted(configured["train"]["y"]) == [0, 0, 1, 1, 2, 2]
    assert configured["lanes"][0]["layer_sizes"] == [3, 4, 3]
    assert first["boundary"]["classes"] == 3 and first["boundary"]["planes"] == 3
    assert last["accuracy_train"] == 1.0
    assert last["confusion"]["train"]["matrix"] == [[2, 0, 0], [0, 2, 0], [0, 0, 2]]
    r = last["boundary"]["resolution"]
    planes = decode_grid(last["boundary"]["data"], 0.0, 1.0, (3, r, r))
    assert np.allclose(planes.sum(axis=0), 1.0, atol=3 / 255)  # each point's K probabilities
    assert last["neurons"]["layers"][-1]["units"] == 3


def test_a_four_class_blobs_frame_shows_four_winning_classes(client):
    config = {
        "dataset": {"name": "blobs", "classes": 4, "noise": 0.1},
        "network": {"hidden": [6], "init": "xavier"},
        "optimizer": {"name": "adam", "learning_rate": 0.05},
    }
    with client.websocket_connect("/ws") as ws:
        ws.receive_json()
        configure(ws, config)
        last = [m for m in step(ws, 200) if m["type"] == "frame"][-1]
    r = last["boundary"]["resolution"]
    planes = decode_grid(last["boundary"]["data"], 0.0, 1.0, (4, r, r))
    assert set(np.unique(planes.argmax(axis=0))) == {0, 1, 2, 3}
    assert last["accuracy_train"] == 1.0
    assert last["confusion"]["train"]["per_class_accuracy"] == [1.0] * 4


def test_two_class_frames_keep_one_boundary_plane(client):
    with client.websocket_connect("/ws") as ws:
        ws.receive_json()
        configured, first, _ = configure(ws)
    assert configured["classes"] == 2 and configured["custom"] is False
    assert first["boundary"]["planes"] == 1 and first["confusion"]["classes"] == 2


def test_a_400_point_custom_configure_fits_in_one_websocket_message(client):
    rng = np.random.default_rng(0)
    xy = np.round(rng.normal(0, 3, (400, 2)), 4).tolist()
    points = [[x, y, k % 8] for k, (x, y) in enumerate(xy)]
    dataset = {"name": "custom", "points": points}
    text = json.dumps({"type": "configure", "config": {"dataset": dataset}})
    assert len(text) < 16_000
    with client.websocket_connect("/ws") as ws:
        ws.receive_json()
        ws.send_text(text)
        configured = ws.receive_json()
    assert configured["type"] == "configured" and configured["classes"] == 8


def custom_rejections() -> list[tuple[dict, str]]:
    """The REST rejection table of tests/rest/test_data.py, without the prefix."""
    from tests.rest.test_data import REJECTIONS

    return [(config, field) for config, field, _ in REJECTIONS]


@pytest.mark.parametrize(("config", "field"), custom_rejections())
def test_bad_custom_data_over_the_websocket_names_field_and_index_and_keeps_the_run(
    client, config, field
):
    with client.websocket_connect("/ws") as ws:
        ws.receive_json()
        configure(ws)
        step(ws, 2)
        ws.send_json({"type": "configure", "config": config})
        error = ws.receive_json()
        after = [m for m in step(ws, 2) if m["type"] == "frame"][-1]
    assert error["type"] == "error" and error["field"] == field
    assert after["iteration"] == 4


def test_gradcheck_of_a_five_class_softmax_lane_is_correct(client):
    config = {"dataset": {"name": "spiral", "classes": 5}, "network": {"hidden": [6],
              "init": "xavier"}, "regularization": {"l2": 0.3}}  # fmt: skip
    with client.websocket_connect("/ws") as ws:
        ws.receive_json()
        configure(ws, config)
        step(ws, 10)
        ws.send_json({"type": "gradcheck", "lane": 0})
        report = ws.receive_json()
    assert report["type"] == "gradcheck" and report["verdict"] == "correct"
    assert report["difference"] < 1e-7


def test_custom_points_race_in_lanes_and_take_live_changes(client):
    from tests.rest.test_data import THREE_CLASSES

    config = {"dataset": {"name": "custom", "points": THREE_CLASSES}, "network": {"hidden": [3]}}
    lanes = [{"label": "GD"}, {"label": "Adam", "optimizer": {"name": "adam"}}]
    with client.websocket_connect("/ws") as ws:
        ws.receive_json()
        configured = configure(ws, config, lanes=lanes)[0]
        ws.send_json({"type": "set", "changes": {"learning_rate": 0.5}})
        frames = [m for m in step(ws, 5, lanes=2) if m["type"] == "frame"]
    assert [lane["layer_sizes"] for lane in configured["lanes"]] == [[2, 3, 3], [2, 3, 3]]
    assert {f["lane"] for f in frames} == {0, 1}
    assert all(f["learning_rate"] == 0.5 for f in frames if f["iteration"] == 5)


def receive_any_of(event: dict[str, Any]) -> Message:
    """A received event's message: JSON text, or a binary frame decoded."""
    if event.get("bytes") is not None:
        return decode_binary(event["bytes"])
    return json.loads(event["text"])


def test_a_client_asking_binary_frames_gets_every_frame_binary_and_replies_as_text(client):
    with client.websocket_connect("/ws?frames=binary") as ws:
        ws.receive_json()
        ws.send_json({"type": "configure", "config": FLOWER})
        kinds = []
        while not kinds or kinds[-1][0] != "status":
            event = ws.receive()
            message = receive_any_of(event)
            kinds.append((message["type"], "bytes" if event.get("bytes") else "text"))
        ws.send_json({"type": "step", "iterations": 30})
        event = ws.receive()
        frame = receive_any_of(event)
    assert ("configured", "text") in kinds and ("frame", "bytes") in kinds
    assert event.get("bytes") and frame["type"] == "frame" and frame["iteration"] == 30
    assert len(frame["costs"]) == 30
    boundary = frame["boundary"]
    r = boundary["resolution"]
    grid = np.frombuffer(boundary["data"], dtype=np.uint8)
    assert grid.size == r * r and 0 < grid.min() < grid.max() < 255, "a boundary inside the extent"
    assert [layer["units"] for layer in frame["neurons"]["layers"]] == [2, 4, 1]
