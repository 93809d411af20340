"""Issue 12's rows that are about the edge of the server: hosts, HEAD, bodies, echoes,
booleans as numbers, token spellings in logs, workers outliving their supervisor."""

from __future__ import annotations

import logging
import os
import signal
import socket
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.settings import Settings
from app.shared.log_redaction import redact
from tests.servers import served


@pytest.fixture
def client() -> TestClient:
    """A TestClient on a default app."""
    return TestClient(create_app(Settings()))


def test_head_works_wherever_get_does(client):
    for path in ("/healthz", "/", "/api/options", "/static/js/playground/playground.js"):
        got, head = client.get(path), client.head(path)
        assert head.status_code == got.status_code == 200, path
        assert head.content == b"" and head.headers["content-type"] == got.headers["content-type"]


@pytest.mark.parametrize(
    "body", [{"iterations": False}, {"iterations": True}, {"config": {"seed": True}}]
)
def test_integer_fields_refuse_booleans(client, body):
    response = client.post("/api/train", json=body)
    assert response.status_code == 422
    field = response.json()["detail"][0]["field"]
    assert field in ("iterations", "config.seed")


def test_a_body_over_the_cap_is_refused_with_413_before_it_is_read():
    with TestClient(create_app(Settings(max_body_bytes=4096))) as small:
        big = b'{"iterations": 1, "pad": "' + b"x" * 10_000 + b'"}'
        response = small.post(
            "/api/train", content=big, headers={"content-type": "application/json"}
        )
        assert response.status_code == 413
        assert "4096" in response.json()["detail"][0]["message"]

        def chunks():  # no content-length: counted as it arrives
            yield b'{"pad": "'
            for _ in range(10):
                yield b"x" * 1000
            yield b'"}'

        streamed = small.post(
            "/api/train", content=chunks(), headers={"content-type": "application/json"}
        )
        assert streamed.status_code == 413


def test_an_error_never_echoes_a_large_input(client):
    response = client.post("/api/train", json={"config": {"features": ["x" * 50_000]}})
    assert response.status_code == 422
    assert len(response.content) < 2_000


@pytest.mark.parametrize(
    "path",
    ["/ws?token=SECRET", "/ws?%74oken=SECRET", "/ws?TOKEN=SECRET&a=1", "/ws?a=1&t%6Fken=SECRET"],
)
def test_tokens_are_redacted_in_logs_however_they_are_spelled(path, caplog):
    caplog.set_level(logging.INFO, logger="uvicorn.error")
    create_app(Settings())  # installs the filter
    logging.getLogger("uvicorn.error").info('%s - "WebSocket %s" [accepted]', "127.0.0.1:5", path)
    assert "SECRET" not in caplog.text and "***" in caplog.text
    assert redact("/ws?a=1&b=2") == "/ws?a=1&b=2"


def test_a_loopback_server_answers_only_to_localhost_names():
    from websockets.exceptions import InvalidStatus
    from websockets.sync.client import connect

    with served() as (base, _):
        port = base.rsplit(":", 1)[1]
        assert httpx.get(f"{base}/healthz").status_code == 200
        assert httpx.get(f"http://localhost:{port}/healthz").status_code == 200
        rebound = httpx.get(f"{base}/healthz", headers={"host": f"evil.example:{port}"})
        assert rebound.status_code == 400 and "host" in rebound.json()["detail"][0]["field"]
        url = base.replace("http", "ws") + "/ws"
        evil = {"Host": f"evil.example:{port}", "Origin": f"http://evil.example:{port}"}
        with pytest.raises(InvalidStatus) as refused, connect(url, additional_headers=evil):
            pass
        assert refused.value.response.status_code == 403
    with served(settings={"DESCENT_ALLOWED_HOSTS": "descent.school"}) as (base, _):
        port = base.rsplit(":", 1)[1]
        ok = httpx.get(f"{base}/healthz", headers={"host": f"descent.school:{port}"})
        assert ok.status_code == 200


def children_of(pid: int) -> list[int]:
    """A process's child pids (Linux /proc)."""
    return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def alive(pid: int) -> bool:
    """Whether a process exists and is not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_workers_die_with_their_supervisor_even_after_kill_9():
    with served("--workers", "2") as (base, process):
        workers = children_of(process.pid)
        assert len(workers) == 2
        os.kill(process.pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while any(alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(alive(w) for w in workers), "a worker outlived its supervisor"
        port = int(base.rsplit(":", 1)[1])
        with socket.socket() as probe:
            assert probe.connect_ex(("127.0.0.1", port)) != 0, "nobody listens any more"


def test_a_connection_that_never_finishes_its_headers_is_closed_within_about_10_s():
    with served() as (base, _):
        port = int(base.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=1) as slow:
            slow.sendall(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n")
            started, closed_after = time.monotonic(), None
            while time.monotonic() - started < 20:
                try:
                    if slow.recv(100) == b"":
                        closed_after = time.monotonic() - started
                        break
                except TimeoutError:
                    try:  # trickle a header line now and then, as slowloris does
                        slow.sendall(b"X-Slow: 1\r\n")
                    except OSError:
                        closed_after = time.monotonic() - started
                        break
        assert closed_after is not None and closed_after < 12, closed_after
        assert httpx.get(f"{base}/healthz").status_code == 200
