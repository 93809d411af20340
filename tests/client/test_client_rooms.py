"""Client rooms against a live server: a teacher's script steers a student's real socket."""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable, Iterator
from typing import Any

import descent
import pytest
from websockets.sync.client import ClientConnection, connect


@pytest.fixture
def student(live_server: str) -> Iterator[Callable[[str, str], ClientConnection]]:
    """Open a student's playground socket that configured and joined a room by its code."""
    opened = contextlib.ExitStack()

    def join(code: str, name: str) -> ClientConnection:
        url = live_server.replace("http", "ws") + "/ws"
        socket = opened.enter_context(connect(url, max_size=None))
        for message in (
            {"type": "rate", "frames_per_second": 2},
            {"type": "configure", "config": {}},
            {"type": "join", "room": code, "name": name},
        ):
            socket.send(json.dumps(message))
        heard(socket, lambda m: m.get("event") == "joined")
        return socket

    with opened:
        yield join


def heard(socket: ClientConnection, wanted: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
    """Read the socket until a message satisfies wanted (10 s at most)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        message = json.loads(socket.recv(timeout=deadline - time.monotonic()))
        if wanted(message):
            return message
    raise AssertionError("the student never heard it")


def test_push_pause_resume_and_reset_reach_a_students_socket(
    remote: descent.Client, student: Callable[[str, str], ClientConnection]
):
    room = remote.create_room()
    assert len(room.code) >= 4 and room.key
    assert room.join_url.endswith(f"/?room={room.code}")
    ada = student(room.code, "Ada")
    lesson = {"dataset": {"name": "moons"}, "optimizer": {"name": "adam", "learning_rate": 0.01}}
    assert room.push(lesson, locks=["optimizer"]) == {"ok": True, "delivered": True}
    pushed = heard(ada, lambda m: m.get("event") == "lesson")
    assert pushed["config"]["dataset"]["name"] == "moons" and pushed["lock"] == ["optimizer"]
    configured = heard(ada, lambda m: m["type"] == "configured")
    assert configured["lanes"][0]["config"]["optimizer"]["name"] == "adam"
    ada.send(json.dumps({"type": "play"}))  # training when paused: resume plays again
    heard(ada, lambda m: m["type"] == "status" and m["state"] == "running")
    room.pause()
    heard(ada, lambda m: m.get("event") == "paused")
    ada.send(json.dumps({"type": "play"}))
    refused = heard(ada, lambda m: m["type"] == "error")
    assert refused["field"] == "type"
    room.resume()
    assert heard(ada, lambda m: m.get("event") == "resumed")["playing"] is True
    heard(ada, lambda m: m["type"] == "status" and m["state"] == "running")
    room.reset()
    heard(ada, lambda m: m.get("event") == "reset")
    view = room.view()
    assert view["lesson"]["lock"] == ["optimizer"] and view["paused"] is False
    room.close()
    heard(ada, lambda m: m.get("event") == "closed")


def test_students_lists_each_students_tile(
    remote: descent.Client, student: Callable[[str, str], ClientConnection]
):
    room = remote.create_room()
    student(room.code, "Ada")
    student(room.code, "Grace")
    deadline = time.monotonic() + 10
    while len(names := {tile["name"] for tile in room.students()}) < 2:
        assert time.monotonic() < deadline, names
        time.sleep(0.2)
    assert names == {"Ada", "Grace"}
    assert "Ada" in room.results_csv()
    room.spotlight("Ada")
    assert room.view()["spotlight"] == "Ada"
    room.close()


def test_a_lesson_is_pushed_by_name_or_as_listed(
    remote: descent.Client, student: Callable[[str, str], ClientConnection]
):
    room = remote.create_room()
    ada = student(room.code, "Ada")
    room.push("planar-flower")
    flower = next(lesson for lesson in remote.lessons() if lesson["name"] == "planar-flower")
    pushed = heard(ada, lambda m: m.get("event") == "lesson")
    assert pushed["config"] == flower["lanes"][0]["config"]
    room.push(flower)
    assert heard(ada, lambda m: m.get("event") == "lesson")["config"] == pushed["config"]
    with pytest.raises(descent.DescentError, match="no lesson named 'nope'"):
        room.push("nope")
    room.close()


def test_a_wrong_key_or_code_and_a_bad_config_are_errors_naming_the_field(
    remote: descent.Client,
):
    room = remote.create_room()
    with pytest.raises(descent.DescentError) as wrong:
        remote.room(room.code, "not-the-key").pause()
    assert wrong.value.status == 404  # a wrong key looks like no room at all (issue 21)
    with pytest.raises(descent.DescentError) as unknown:
        remote.room("ZZZZZZ", room.key).view()
    assert unknown.value.status == 404
    with pytest.raises(descent.ValidationError) as bad:
        room.push({"network": {"hidden": [100]}})
    assert bad.value.field == "config.network.hidden.0"
    room.close()


def test_creating_a_room_may_need_the_teacher_token():
    from tests.servers import served

    settings = {"DESCENT_TEACHER_TOKEN": "chalk"}
    with served(settings=settings) as (base, _), descent.Client(base) as client:
        with pytest.raises(descent.DescentError) as refused:
            client.create_room()
        assert refused.value.status == 403
        room = client.create_room(teacher_token="chalk")
        assert room.view()["students"] == []
