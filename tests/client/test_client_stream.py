"""Client.stream against a live server: live frames over /ws, decoded, ending cleanly."""

from __future__ import annotations

import time

import descent
import httpx
import numpy as np
import pytest

FLOWER = {"dataset": {"name": "flower", "samples": 200}, "network": {"hidden": [4]}, "seed": 3}


def sessions(base: str) -> int:
    """Live WebSocket sessions of the server."""
    return httpx.get(f"{base}/healthz/sessions").json()["sessions"]


def wait_for_no_sessions(base: str) -> None:
    deadline = time.monotonic() + 10
    while sessions(base) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert sessions(base) == 0


def test_a_stream_of_n_iterations_ends_on_an_exact_frame_equal_to_train(
    remote: descent.Client, live_server: str
):
    frames = list(remote.stream(FLOWER, iterations=300, speed=10))
    iterations = [frame.iteration for frame in frames]
    assert iterations[0] == 0 and iterations[-1] == 300
    assert iterations == sorted(iterations) and len(set(iterations)) == len(iterations)
    # k iterations between two frames (a frame not yet sent folds into the next)
    assert all(b % 10 == 0 for b in iterations[:-1])
    run = remote.train(FLOWER, iterations=300)
    last = frames[-1]
    for name in ("cost_train", "accuracy_train", "learning_rate", "epoch"):
        assert last[name] == run.final[name], name
    assert np.array_equal(last.weights["W1"], run.weights["W1"])
    wait_for_no_sessions(live_server)


def test_every_iterations_cost_arrives_once(remote: descent.Client):
    frames = list(remote.stream(FLOWER, iterations=200, speed=7))
    costs = [cost for frame in frames for cost in frame.costs]
    assert len(costs) == 200
    run = remote.train(FLOWER, iterations=200, record_every=1)
    exact = [entry["cost_train"] for entry in run.history[:-1]]
    assert costs == pytest.approx(exact, rel=1e-6)  # live costs travel as float32


def test_frames_decode_the_boundary_and_the_neurons(remote: descent.Client):
    frames = list(remote.stream(FLOWER, iterations=20))
    last = frames[-1]
    boundary = last.boundary
    assert boundary.shape == (1, 100, 100)
    assert boundary.min() >= 0.0 and boundary.max() <= 1.0
    layers = last.neurons
    assert [layer.shape for layer in layers] == [(2, 20, 20), (4, 20, 20), (1, 20, 20)]
    three = list(remote.stream({"dataset": {"name": "blobs", "classes": 3}}, iterations=5))
    planes = three[-1].boundary
    assert planes.shape == (3, 100, 100)
    assert np.allclose(planes.sum(axis=0), 1.0, atol=3 * 3 / 255)


def test_closing_the_loop_early_ends_the_session(remote: descent.Client, live_server: str):
    stream = remote.stream(FLOWER, speed=5, rate=30)
    seen = []
    for frame in stream:
        seen.append(frame.iteration)
        if len(seen) == 6:
            assert sessions(live_server) == 1
            break
    assert seen[-1] > seen[1] > 0
    assert stream.socket is None
    wait_for_no_sessions(live_server)


def test_controls_pause_and_live_changes_reach_the_session(remote: descent.Client):
    with remote.stream(FLOWER, speed=5, rate=30) as stream:
        assert stream.configured is None
        frames = iter(stream)
        first = next(frames)
        assert stream.configured is not None
        assert stream.configured["lanes"][0]["layer_sizes"] == [2, 4, 1]
        assert stream.hello is not None and "options" in stream.hello
        stream.set(learning_rate=0.3)
        frame = next(frames)
        while frame.learning_rate != 0.3:
            frame = next(frames)
        assert frame.iteration >= first.iteration
        stream.pause()
        stream.step(3)


def test_a_bad_config_on_the_socket_names_the_field_as_rest_does(remote: descent.Client):
    with pytest.raises(descent.ValidationError) as caught:
        list(remote.stream({"network": {"hidden": [100]}}, iterations=5))
    assert caught.value.field == "config.network.hidden.0"
    assert caught.value.status is None


def test_a_race_streams_every_lane_to_the_target(remote: descent.Client):
    lanes = [
        {"label": "GD"},
        {"label": "Adam", "optimizer": {"name": "adam", "learning_rate": 0.01}},
    ]
    frames = list(remote.stream(FLOWER, iterations=50, lanes=lanes))
    last = {frame.lane: frame.iteration for frame in frames}
    assert last == {0: 50, 1: 50}


def test_without_websockets_a_stream_says_what_to_install(
    remote: descent.Client, monkeypatch: pytest.MonkeyPatch
):
    import sys

    monkeypatch.setitem(sys.modules, "websockets.sync.client", None)
    with pytest.raises(ImportError, match="pip install websockets"):
        list(remote.stream(FLOWER, iterations=5))
