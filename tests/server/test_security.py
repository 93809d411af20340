"""Classroom hardening: origins, the token, security headers, message rates, session cap."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from app.main import create_app
from app.playground.limits import MessageRate
from app.settings import Settings
from app.shared.security import CONTENT_SECURITY_POLICY
from tests.servers import served

ROOT = Path(__file__).resolve().parents[2]
FLOWER = {"dataset": {"name": "flower", "samples": 100}, "network": {"hidden": [3]}}


def make_client(**overrides: object) -> TestClient:
    """A TestClient on an app with these settings."""
    return TestClient(create_app(Settings(**overrides)))


@pytest.fixture
def guarded() -> Iterator[TestClient]:
    """An app that requires the token "s3cret"."""
    with make_client(token="s3cret") as client:
        yield client


# Origin ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "allowed"),
    [
        ({}, True),  # scripts send no Origin
        ({"origin": "http://testserver"}, True),
        ({"origin": "http://TestServer:80"}, True),
        ({"origin": "http://evil.example"}, False),
        ({"origin": "http://testserver:8080"}, False),
        ({"origin": "null"}, False),
    ],
)
def test_the_websocket_accepts_only_its_own_origin_by_default(client, headers, allowed):
    if allowed:
        with client.websocket_connect("/ws", headers=headers) as ws:
            assert ws.receive_json()["type"] == "hello"
    else:
        with pytest.raises(WebSocketDisconnect) as refused:
            client.websocket_connect("/ws", headers=headers).__enter__()
        assert refused.value.code == 1008


def test_allowed_origins_widen_the_check():
    with make_client(allowed_origins="http://lab.example:3000, https://school.example") as c:
        for origin in ("http://lab.example:3000", "https://school.example/", "http://testserver"):
            with c.websocket_connect("/ws", headers={"origin": origin}) as ws:
                assert ws.receive_json()["type"] == "hello"
        with pytest.raises(WebSocketDisconnect):
            c.websocket_connect("/ws", headers={"origin": "http://lab.example"}).__enter__()
    anywhere = {"origin": "http://anywhere.example"}
    with make_client(allowed_origins="*") as c, c.websocket_connect("/ws", headers=anywhere) as ws:
        assert ws.receive_json()["type"] == "hello"


def test_a_foreign_origin_gets_http_403_from_a_real_server(live_server):
    from websockets.exceptions import InvalidStatus
    from websockets.sync.client import connect

    url = live_server.replace("http", "ws") + "/ws"
    with pytest.raises(InvalidStatus) as refused:
        connect(url, origin="http://evil.example", open_timeout=10)
    assert refused.value.response.status_code == 403
    with connect(url, origin=live_server, open_timeout=10) as ws:
        assert json.loads(ws.recv(timeout=10))["type"] == "hello"


# Token -------------------------------------------------------------------------------------


def test_without_a_token_setting_everything_is_open(client):
    assert client.get("/api/options").status_code == 200


@pytest.mark.parametrize("path", ["/api/options", "/api/lessons", "/api/activations/tanh"])
def test_rest_needs_the_token_when_one_is_set(guarded, path):
    missing = guarded.get(path)
    assert missing.status_code == 401
    [detail] = missing.json()["detail"]
    assert detail["field"] == "token" and detail["message"].startswith("token required")
    assert "Authorization: Bearer" in detail["message"]
    assert missing.headers["www-authenticate"].startswith("Bearer")
    wrong = guarded.get(path, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401 and "wrong" in wrong.json()["detail"][0]["message"]
    assert guarded.get(path, headers={"Authorization": "Bearer s3cret"}).status_code == 200
    assert guarded.get(path, headers={"X-Descent-Token": "s3cret"}).status_code == 200


def test_a_post_needs_the_token_too(guarded):
    body = {"config": FLOWER, "iterations": 5}
    assert guarded.post("/api/train", json=body).status_code == 401
    ok = guarded.post("/api/train", json=body, headers={"X-Descent-Token": "s3cret"})
    assert ok.status_code == 200 and ok.json()["history"][-1]["iteration"] == 5


def test_the_page_its_files_and_healthz_stay_open(guarded):
    for path in (
        "/",
        "/static/js/playground/playground.js",
        "/static/js/shared/token.js",
        "/healthz",
    ):
        assert guarded.get(path).status_code == 200, path


@pytest.mark.parametrize(("query", "reason"), [("", "token required"), ("?token=x", "wrong")])
def test_the_websocket_needs_the_token_parameter(guarded, query, reason):
    with guarded.websocket_connect(f"/ws{query}") as ws:
        error = ws.receive_json()
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_json()
    assert error["type"] == "error" and error["field"] == "token"
    assert error["message"].startswith("token required") and reason in error["message"]
    assert closed.value.code == 1008


def test_the_websocket_with_the_token_trains(guarded):
    with guarded.websocket_connect("/ws?token=s3cret") as ws:
        assert ws.receive_json()["type"] == "hello"
        ws.send_json({"type": "configure", "config": FLOWER})
        ws.send_json({"type": "step", "iterations": 5})
        while (message := ws.receive_json())["type"] != "frame" or message["iteration"] < 5:
            assert message["type"] != "error", message
    assert message["iteration"] == 5


def test_the_websocket_token_never_reaches_the_logs(guarded, caplog):
    import logging

    caplog.set_level(logging.INFO, logger="uvicorn.error")
    line = '%s - "WebSocket %s" [accepted]'
    logging.getLogger("uvicorn.error").info(line, "127.0.0.1:5", "/ws?token=s3cret&x=1")
    assert "s3cret" not in caplog.text and "token=***" in caplog.text


# Headers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/", "/api/options", "/static/js/playground/playground.js", "/healthz"]
)
def test_every_response_carries_the_security_headers(client, path):
    headers = client.get(path).headers
    assert headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["x-frame-options"] == "DENY"
    assert "camera=()" in headers["permissions-policy"]


def test_errors_carry_the_headers_too(client, guarded):
    assert "content-security-policy" in client.post("/api/train", json={"x": 1}).headers
    assert "content-security-policy" in client.get("/nowhere").headers
    assert "content-security-policy" in guarded.get("/api/options").headers


def test_the_api_docs_page_loads_swagger_ui_from_this_server_only(client):
    response = client.get("/docs")
    policy = response.headers["content-security-policy"]
    assert "https:" not in policy and "frame-ancestors 'none'" in policy
    assert "https://" not in response.text
    assert client.get("/docs-assets/swagger-ui-bundle.js").status_code == 200
    assert client.get("/redoc").status_code == 404
    assert "cdn.jsdelivr.net" not in client.get("/").headers["content-security-policy"]


def test_the_policy_says_what_the_issue_asks():
    policy = dict(part.split(" ", 1) for part in CONTENT_SECURITY_POLICY.split("; "))
    assert policy["default-src"] == "'self'"
    assert policy["script-src"].startswith("'self'") and "unsafe-inline" not in policy["script-src"]
    assert policy["connect-src"] == "'self' ws: wss:"
    assert policy["img-src"] == "'self' data: blob:"
    assert policy["object-src"] == "'none'" and policy["frame-ancestors"] == "'none'"
    assert policy["base-uri"] == "'self'"


def test_the_page_has_no_inline_script_but_the_hashed_submit_handler():
    html = (ROOT / "templates" / "index.html").read_text()
    assert "<script>" not in html and '<script type="module">' not in html
    handlers = re.findall(r'\son[a-z]+="([^"]*)"', html)
    assert set(handlers) <= {"return false"}, "only the handler whose hash the policy names"
    assert "javascript:" not in html


def test_no_eval_and_no_user_named_files_in_the_server():
    files = [*(ROOT / "app").glob("*.py"), *(ROOT / "core").glob("*.py")]
    source = "\n".join(p.read_text() for p in files)
    for word in ("eval(", "exec(", "pickle", "FileResponse", "open("):
        assert word not in source, word


@pytest.mark.parametrize(
    "path",
    ["/static/../app/settings.py", "/static/%2e%2e/app/settings.py", "/static//etc/passwd",
     "/static/..%2f..%2fpyproject.toml", "/static/js/../../README.md"],
)  # fmt: skip
def test_static_files_never_leave_the_static_folder(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "max_sessions" not in response.text and "root:" not in response.text


# Message rate ------------------------------------------------------------------------------


def test_the_bucket_allows_the_burst_then_the_rate():
    rate = MessageRate(rate=10, burst=5, abusive=20)
    assert [rate.allow() for _ in range(7)] == [True] * 5 + [False] * 2
    assert not rate.abusive()
    rate.checked -= 0.25  # a quarter of a second later: 2.5 more tokens
    assert [rate.allow() for _ in range(3)] == [True, True, False]
    for _ in range(30):
        rate.allow()
    assert rate.abusive()


def test_messages_over_the_rate_are_dropped_with_an_error_and_the_session_lives():
    slow = make_client(max_messages_per_second=1, message_burst=3, abusive_messages=50)
    with slow as c, c.websocket_connect("/ws") as ws:
        ws.receive_json()
        for _ in range(6):
            ws.send_json({"type": "rate", "frames_per_second": 10})  # no reply when fine
        errors = [ws.receive_json() for _ in range(3)]
        assert all(e["type"] == "error" for e in errors)
        assert "too many messages" in errors[0]["message"]
        assert "at most 1 per second" in errors[0]["message"]
        assert errors[0]["limit"] == 1
        time.sleep(1.1)
        ws.send_json({"type": "play"})  # allowed again: answered normally
        reply = ws.receive_json()
    assert reply == {"type": "error", "message": "type: send configure first", "field": "type",
                     "reason": "send configure first"}  # fmt: skip


def test_a_flood_far_over_the_rate_closes_with_1008():
    strict = make_client(max_messages_per_second=1, message_burst=2, abusive_messages=20)
    with strict as c, c.websocket_connect("/ws") as ws:
        ws.receive_json()
        for _ in range(40):
            ws.send_text("{}")
        with pytest.raises(WebSocketDisconnect) as closed:
            while True:
                ws.receive_json()
    assert closed.value.code == 1008


# Session cap -------------------------------------------------------------------------------


def test_past_max_sessions_a_new_session_hears_the_server_is_full():
    with make_client(max_sessions=2) as c:
        with c.websocket_connect("/ws") as first, c.websocket_connect("/ws") as second:
            assert first.receive_json()["type"] == second.receive_json()["type"] == "hello"
            assert c.get("/healthz/sessions").json()["sessions"] == 2
            with c.websocket_connect("/ws") as third:
                error = third.receive_json()
                with pytest.raises(WebSocketDisconnect) as closed:
                    third.receive_json()
        assert error["type"] == "error" and error["message"].startswith("server is full")
        assert error["limit"] == 2 and closed.value.code == 1013
        deadline = time.monotonic() + 5
        while c.get("/healthz/sessions").json()["sessions"] and time.monotonic() < deadline:
            time.sleep(0.01)
        with c.websocket_connect("/ws") as again:
            assert again.receive_json()["type"] == "hello", "leaving frees the place"


# Processes ---------------------------------------------------------------------------------


def test_the_cli_gives_numpy_one_blas_thread_before_it_loads():
    env = {k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS")}
    code = (
        "import app.server.cli, os, sys; "
        "print(os.environ['OPENBLAS_NUM_THREADS'], 'numpy' in sys.modules)"
    )
    shown = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert shown.stdout.split() == ["1", "False"]  # forked workers inherit it


def test_zero_workers_means_one_per_available_core(monkeypatch: pytest.MonkeyPatch):
    from app.server import processes

    assert processes.available_cores() >= 1
    supervised = []
    monkeypatch.setattr(processes, "available_cores", lambda: 3)
    monkeypatch.setattr(processes, "reuse_port_socket", lambda host, port, backlog: (host, port))
    monkeypatch.setattr(processes.Supervisor, "run", lambda self: supervised.append(self.sockets))
    processes.serve("127.0.0.1", 8123, 0)
    assert supervised == [[("127.0.0.1", 8123)] * 3]


def test_serve_refuses_a_negative_worker_count(capsys: pytest.CaptureFixture[str]):
    from app.server.cli import main

    with pytest.raises(SystemExit):
        main(["serve", "--workers", "-2"])
    assert "expected a whole number >= 0, got '-2'" in capsys.readouterr().err


def test_two_workers_share_the_connections_evenly():
    from websockets.sync.client import connect

    with served("--workers", "2") as (base, process):
        children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
        assert len(children) == 2, "one process per worker"
        with contextlib.ExitStack() as sessions:
            for _ in range(40):
                url = base.replace("http", "ws") + "/ws"
                ws = sessions.enter_context(connect(url, open_timeout=30))
                assert json.loads(ws.recv(timeout=30))["type"] == "hello"
            counts: dict[int, int] = {}
            deadline = time.monotonic() + 30
            while len(counts) < 2 and time.monotonic() < deadline:
                answer = httpx.get(f"{base}/healthz/sessions", timeout=10).json()
                counts[answer["process"]] = answer["sessions"]
        assert set(counts) == {int(child) for child in children}
        # the kernel hashes connections over the workers' sockets: 40 split far from 40-0
        assert min(counts.values()) >= 8 and sum(counts.values()) == 40, counts
    assert process.returncode == 0


@pytest.mark.parametrize("compression", ["", "true"])
def test_websocket_compression_is_negotiated_only_when_configured(compression: str):
    from websockets.sync.client import connect

    with served(settings={"DESCENT_WS_COMPRESSION": compression or "false"}) as (base, _):
        url = base.replace("http", "ws") + "/ws"
        with connect(url, compression="deflate") as ws:  # as browsers do
            assert json.loads(ws.recv(timeout=30))["type"] == "hello"
            extensions = ws.response.headers.get("Sec-WebSocket-Extensions") or ""
        assert ("permessage-deflate" in extensions) == bool(compression)


def test_a_worker_that_dies_is_replaced_on_the_same_port():
    with served("--workers", "2") as (base, process):
        children_file = Path(f"/proc/{process.pid}/task/{process.pid}/children")
        first, second = children_file.read_text().split()
        os.kill(int(first), signal.SIGKILL)
        deadline = time.monotonic() + 30
        while first in (children := children_file.read_text().split()) or len(children) < 2:
            assert time.monotonic() < deadline, "no replacement worker"
            time.sleep(0.1)
        assert second in children
        for _ in range(20):  # connections hashed to the replaced worker's socket are served
            assert httpx.get(f"{base}/healthz", timeout=30).status_code == 200


def test_a_real_server_that_is_full_says_so_and_closes_with_1013():
    from websockets.exceptions import ConnectionClosed
    from websockets.sync.client import connect

    with served(settings={"DESCENT_MAX_SESSIONS": "1"}) as (base, _):
        url = base.replace("http", "ws") + "/ws"
        with connect(url, open_timeout=10) as first, connect(url, open_timeout=10) as second:
            assert json.loads(first.recv(timeout=10))["type"] == "hello"
            error = json.loads(second.recv(timeout=10))
            with pytest.raises(ConnectionClosed) as closed:
                second.recv(timeout=10)
        assert error["type"] == "error" and error["message"].startswith("server is full")
        assert closed.value.rcvd.code == 1013
