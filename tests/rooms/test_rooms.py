"""Classroom rooms in one process (in-process broker): REST, join, commands, teacher socket."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.settings import Settings

Predicate = Callable[[dict[str, Any]], bool]


@pytest.fixture
def client() -> Iterator[TestClient]:
    """A TestClient on an app that serves rooms in memory."""
    with TestClient(create_app(Settings(max_room_students=3))) as test_client:
        yield test_client


def create(client: TestClient) -> tuple[str, dict[str, str]]:
    """A new room's code and the teacher's headers."""
    room = client.post("/api/rooms").json()
    return room["code"], {"X-Teacher-Key": room["teacher_key"]}


def until(ws: Any, predicate: Predicate, limit: int = 200) -> dict[str, Any]:
    """The first message satisfying predicate (within `limit` messages)."""
    for _ in range(limit):
        message = ws.receive_json()
        if predicate(message):
            return message
    raise AssertionError("no such message")


def kind(name: str, event: str | None = None) -> Predicate:
    """A predicate for a message type (and room event)."""
    return lambda m: m["type"] == name and (event is None or m.get("event") == event)


def joined(ws: Any, code: str, name: str, **extra: Any) -> dict[str, Any]:
    """Configure, join, and return the first answer that is a room event or an error."""
    ws.receive_json()  # hello
    ws.send_json({"type": "configure", "config": {}})
    until(ws, kind("status"))
    ws.send_json({"type": "join", "room": code, "name": name, **extra})
    return until(ws, lambda m: m["type"] in ("room", "error"))


def test_a_new_room_has_a_short_code_and_a_teacher_link(client: TestClient) -> None:
    room = client.post("/api/rooms").json()
    assert len(room["code"]) == 5 and room["code"].isalnum() and room["code"].isupper()
    assert room["teacher_path"] == f"/teach#room={room['code']}&key={room['teacher_key']}"
    headers = {"X-Teacher-Key": room["teacher_key"]}
    answer = client.get(f"/api/rooms/{room['code']}", headers=headers)
    assert answer.json() == {"code": room["code"], "students": [], "lesson": None,
                             "paused": False, "spotlight": None}  # fmt: skip


def test_the_teacher_token_gates_room_creation() -> None:
    with TestClient(create_app(Settings(teacher_token="s3cret"))) as client:
        missing = client.post("/api/rooms")
        wrong = client.post("/api/rooms", headers={"X-Teacher-Token": "guess"})
        right = client.post("/api/rooms", headers={"X-Teacher-Token": "s3cret"})
    assert (missing.status_code, wrong.status_code, right.status_code) == (403, 403, 200)
    assert missing.json()["detail"][0]["field"] == "teacher_token"
    assert "wrong" in wrong.json()["detail"][0]["message"]


def test_an_unknown_code_and_a_wrong_key_get_one_answer_that_reveals_nothing(
    client: TestClient,
) -> None:
    code, _ = create(client)
    with client.websocket_connect("/ws") as ws:
        joined(ws, code, "ada")
        wrong = client.get(f"/api/rooms/{code}", headers={"X-Teacher-Key": "guess"})
        unknown = client.get("/api/rooms/ZZZZZ", headers={"X-Teacher-Key": "guess"})
        no_key = client.post(f"/api/rooms/{code}/pause")
    assert wrong.status_code == unknown.status_code == no_key.status_code == 404
    assert wrong.json() == unknown.json() == no_key.json()  # a live code looks like no code
    assert wrong.json()["detail"][0]["field"] == "room"
    assert "ada" not in wrong.text and "students" not in wrong.text


@pytest.mark.parametrize(
    ("name", "field", "words"),
    [("x" * 25, "name", "at most 24 characters"), ("   ", "name", "choose a nickname")],
)
def test_a_bad_nickname_is_refused(client: TestClient, name: str, field: str, words: str) -> None:
    code, _ = create(client)
    with client.websocket_connect("/ws") as ws:
        answer = joined(ws, code, name)
    assert answer["type"] == "error" and answer["field"] == field and words in answer["message"]


def test_joining_an_unknown_room_names_the_code(client: TestClient) -> None:
    with client.websocket_connect("/ws") as ws:
        answer = joined(ws, "q9q9", "ada")
    assert answer["field"] == "room" and "Q9Q9" in answer["message"]


def test_a_nickname_is_taken_until_its_student_leaves_or_comes_back(client: TestClient) -> None:
    code, _ = create(client)
    with client.websocket_connect("/ws") as first:
        me = joined(first, code, "Ada")
        with client.websocket_connect("/ws") as second:
            taken = joined(second, code, "Ada")
            assert taken["field"] == "name" and "taken" in taken["message"]
        with client.websocket_connect("/ws") as again:  # the same student, reconnected
            assert joined(again, code, "Ada", client=me["client"])["event"] == "joined"
    with client.websocket_connect("/ws") as later:
        assert joined(later, code, "Ada")["event"] == "joined"


def test_a_full_room_says_how_many_students_it_takes(client: TestClient) -> None:
    code, _ = create(client)
    sockets = [client.websocket_connect("/ws") for _ in range(4)]
    answers = [joined(ws.__enter__(), code, f"s{i}") for i, ws in enumerate(sockets)]
    for ws in sockets:
        ws.__exit__(None, None, None)
    assert [a["type"] for a in answers] == ["room", "room", "room", "error"]
    assert answers[3]["field"] == "room" and "at most 3 students" in answers[3]["message"]


def test_a_push_configures_the_student_and_names_the_locked_controls(client: TestClient) -> None:
    code, headers = create(client)
    with client.websocket_connect("/ws") as ws:
        joined(ws, code, "ada")
        lesson = {"config": {"network": {"hidden": [3, 2]}}, "lock": ["layers", "optimizer"]}
        assert client.post(f"/api/rooms/{code}/push", json=lesson, headers=headers).json()["ok"]
        event = until(ws, kind("room", "lesson"))
        configured = until(ws, kind("configured"))
    assert event["lock"] == ["layers", "optimizer"]
    assert configured["lanes"][0]["config"]["network"]["hidden"] == [3, 2]
    room = client.get(f"/api/rooms/{code}", headers=headers).json()
    assert room["lesson"]["lock"] == ["layers", "optimizer"]


def test_a_push_over_the_limits_is_refused_with_the_field(client: TestClient) -> None:
    code, headers = create(client)
    lesson = {"config": {"network": {"hidden": [4] * 20}}}
    answer = client.post(f"/api/rooms/{code}/push", json=lesson, headers=headers)
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["field"] == "config.network.hidden"


def test_a_late_student_gets_the_lesson_on_joining(client: TestClient) -> None:
    code, headers = create(client)
    lesson = {"config": {"optimizer": {"name": "adam", "learning_rate": 0.01}}, "lock": ["l2"]}
    client.post(f"/api/rooms/{code}/push", json=lesson, headers=headers)
    with client.websocket_connect("/ws") as ws:
        answer = joined(ws, code, "late")
        configured = until(ws, kind("configured"))
    assert answer["lesson"]["lock"] == ["l2"]
    assert configured["lanes"][0]["config"]["optimizer"]["name"] == "adam"


def test_pause_holds_the_class_until_resume(client: TestClient) -> None:
    code, headers = create(client)
    with client.websocket_connect("/ws") as ws:
        joined(ws, code, "ada")
        ws.send_json({"type": "play"})
        until(ws, lambda m: m["type"] == "status" and m["state"] == "running")
        client.post(f"/api/rooms/{code}/pause", headers=headers)
        until(ws, kind("room", "paused"))
        until(ws, lambda m: m["type"] == "status" and m["state"] == "paused")
        ws.send_json({"type": "play"})
        refused = until(ws, kind("error"))
        assert "paused the class" in refused["message"]
        client.post(f"/api/rooms/{code}/resume", headers=headers)
        assert until(ws, kind("room", "resumed"))["playing"] is True
        until(ws, lambda m: m["type"] == "status" and m["state"] == "running")


def test_resume_plays_only_the_students_who_were_training(client: TestClient) -> None:
    code, headers = create(client)
    with client.websocket_connect("/ws") as idle:
        joined(idle, code, "idle")
        idle.send_json({"type": "configure", "config": {}})
        until(idle, lambda m: m["type"] == "status" and m["state"] == "paused")
        client.post(f"/api/rooms/{code}/pause", headers=headers)
        until(idle, kind("room", "paused"))
        client.post(f"/api/rooms/{code}/resume", headers=headers)
        resumed = until(idle, kind("room", "resumed"))
        assert resumed["playing"] is False
        idle.send_json({"type": "step", "iterations": 5})  # answered by a frame, not a play

        def stepped_or_running(m: dict[str, Any]) -> bool:
            """The step's frame, or a status running that resume should not have caused."""
            return m.get("iteration") == 5 or m.get("state") == "running"

        assert until(idle, stepped_or_running)["type"] == "frame"


def test_a_pushed_lesson_names_the_lesson_and_an_unknown_one_is_refused(client: TestClient) -> None:
    code, headers = create(client)
    bad = client.post(f"/api/rooms/{code}/push", json={"lesson": "nope"}, headers=headers)
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["field"] == "lesson"
    with client.websocket_connect("/ws") as ws:
        joined(ws, code, "ada")
        name = client.get("/api/lessons").json()["lessons"][0]["name"]
        client.post(f"/api/rooms/{code}/push", json={"lesson": name}, headers=headers)
        assert until(ws, kind("room", "lesson"))["lesson"] == name


def test_reset_sends_every_student_back_to_iteration_zero(client: TestClient) -> None:
    code, headers = create(client)
    with client.websocket_connect("/ws") as ws:
        joined(ws, code, "ada")
        ws.send_json({"type": "step", "iterations": 50})
        until(ws, lambda m: m["type"] == "frame" and m["iteration"] == 50)
        client.post(f"/api/rooms/{code}/reset", headers=headers)
        until(ws, kind("room", "reset"))
        until(ws, kind("configured"))
        assert until(ws, kind("frame"))["iteration"] == 0


def test_the_dashboard_sees_tiles_and_the_csv_has_a_row_per_student(client: TestClient) -> None:
    code, headers = create(client)
    with client.websocket_connect("/ws") as ws, client.websocket_connect(f"/ws/teach/{code}") as t:
        joined(ws, code, "ada")
        ws.send_json({"type": "step", "iterations": 30})
        t.send_json({"type": "auth", "key": headers["X-Teacher-Key"]})
        room = until(t, kind("room"))
        assert room["max_students"] == 3
        tile = until(t, lambda m: m["type"] == "tiles" and m["students"][0]["iteration"] == 30)
        table = client.get(f"/api/rooms/{code}/results.csv", headers=headers).text
        rows = list(csv.DictReader(io.StringIO(table)))
    figures = [figure["key"] for figure in room["figures"]]  # one list: dashboard, tile, CSV
    assert figures[:3] == ["iteration", "epoch", "cost_train"]
    assert table.splitlines()[0].split(",")[: 2 + len(figures)] == ["name", "state", *figures]
    assert all(key in tile["students"][0] for key in figures)
    student = tile["students"][0]
    assert student["name"] == "ada" and "client" not in student
    assert student["boundary"]["resolution"] == 16 and student["config"]["optimizer"] == "gd"
    assert len(tile["students"][0]["boundary"]["data"]) < 600
    assert rows[0]["name"] == "ada" and rows[0]["iteration"] == "30"
    assert rows[0]["optimizer"] == "gd"


def test_the_teacher_socket_refuses_a_wrong_key(client: TestClient) -> None:
    code, _ = create(client)
    with client.websocket_connect(f"/ws/teach/{code}") as t:
        t.send_json({"type": "auth", "key": "guess"})
        answer = t.receive_json()
    assert answer["type"] == "error" and answer["field"] == "room"  # as for no room at all


def test_the_spotlight_shows_the_chosen_students_frames(client: TestClient) -> None:
    code, headers = create(client)
    with client.websocket_connect("/ws") as ws, client.websocket_connect(f"/ws/teach/{code}") as t:
        joined(ws, code, "ada")
        t.send_json({"type": "auth", "key": headers["X-Teacher-Key"], "view": "spotlight"})
        assert until(t, kind("spotlight"))["name"] is None
        client.post(f"/api/rooms/{code}/spotlight", json={"name": "ada"}, headers=headers)
        assert until(ws, kind("room", "spotlight"))["on"] is True
        spot = until(t, kind("spot"))
    assert spot["name"] == "ada" and spot["boundary"]["resolution"] == 60
    assert spot["network"]["hidden"] == [4] and len(spot["dataset"]["train"]["x"]) > 0


def test_closing_the_room_tells_the_students_who_keep_their_runs(client: TestClient) -> None:
    code, headers = create(client)
    with client.websocket_connect("/ws") as ws:
        joined(ws, code, "ada")
        assert client.delete(f"/api/rooms/{code}", headers=headers).json()["closed"] == code
        until(ws, kind("room", "closed"))
        ws.send_json({"type": "step", "iterations": 5})
        assert until(ws, kind("frame"))["iteration"] == 5
    assert client.get(f"/api/rooms/{code}", headers=headers).status_code == 404


def test_the_teacher_pages_are_served(client: TestClient) -> None:
    dashboard = client.get("/teach")
    spotlight = client.get("/teach/K7Q2/spotlight")
    assert dashboard.status_code == 200 and 'data-view="dashboard"' in dashboard.text
    assert spotlight.status_code == 200 and 'data-code="K7Q2"' in spotlight.text
    assert 'src="../../static/js/rooms/rooms.bundle.js?v=' in spotlight.text


def test_a_student_coming_back_keeps_their_run_and_the_csv_defuses_formulas(
    client: TestClient,
) -> None:
    code, headers = create(client)
    client.post(f"/api/rooms/{code}/push", json={"config": {}, "lock": ["l2"]}, headers=headers)
    with client.websocket_connect("/ws") as ws:
        first = joined(ws, code, "=1+1")
        assert first["applied"] is True
    with client.websocket_connect("/ws") as ws:
        again = joined(ws, code, "=1+1", client=first["client"])
        ws.send_json({"type": "step", "iterations": 3})
        until(ws, lambda m: m["type"] == "frame" and m["iteration"] == 3)
        table = client.get(f"/api/rooms/{code}/results.csv", headers=headers).text
    assert again["applied"] is False and again["lesson"]["lock"] == ["l2"]
    assert "\n'=1+1," in table


def test_a_name_whose_tile_went_stale_is_free_again() -> None:
    import asyncio
    import time

    from app.rooms.store import STALE_SECONDS, MemoryRoomStore

    async def run() -> tuple[str | None, str | None, list[str]]:
        store = MemoryRoomStore()
        await store.create("K7Q2", {"code": "K7Q2"})
        now = time.time()
        stale = {"name": "ada", "client": "a", "seen": now - STALE_SECONDS - 1}  # worker died
        await store.save("K7Q2", "ada", stale)
        await store.save("K7Q2", "bo", {"name": "bo", "client": "b", "seen": now})
        bo = await store.claim("K7Q2", "bo", "c", {"name": "bo", "client": "c", "seen": now}, 5)
        ada = await store.claim("K7Q2", "ada", "z", {"name": "ada", "client": "z", "seen": now}, 5)
        return bo, ada, sorted(await store.students("K7Q2"))

    bo, ada, names = asyncio.run(run())
    assert bo == "taken" and ada is None and names == ["ada", "bo"]


def test_the_teacher_socket_needs_the_class_token_when_one_is_set() -> None:
    with TestClient(create_app(Settings(token="class"))) as client:
        room = client.post("/api/rooms", headers={"X-Descent-Token": "class"}).json()
        with client.websocket_connect(f"/ws/teach/{room['code']}") as t:
            refused = t.receive_json()
        with client.websocket_connect(f"/ws/teach/{room['code']}?token=class") as t:
            t.send_json({"type": "auth", "key": room["teacher_key"]})
            welcome = t.receive_json()
    assert refused["field"] == "token" and welcome["type"] == "room"
