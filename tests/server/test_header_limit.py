"""Request headers past DESCENT_MAX_HEADER_BYTES get a 431 on a real server (uvicorn with
app/server/http_protocol.py); headers under it, and large bodies, are served as before."""

from __future__ import annotations

import socket

import httpx
import orjson

from tests.servers import served

LIMIT = 16_384


def exchange(port: int, request: bytes) -> bytes:
    """Send raw bytes and read the answer until the server closes or 2 s of silence."""
    answer = b""
    with socket.create_connection(("127.0.0.1", port), timeout=2) as connection:
        try:
            connection.sendall(request)
            while chunk := connection.recv(65_536):
                answer += chunk
        except (TimeoutError, ConnectionResetError, BrokenPipeError):
            pass
    return answer


def get_with(header_bytes: int) -> bytes:
    """GET /healthz with one X-Pad header of that many bytes, the connection then closed."""
    pad = b"a" * header_bytes
    return (b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nX-Pad: " + pad
            + b"\r\n\r\n")  # fmt: skip


def test_headers_over_the_limit_get_a_431_and_under_it_are_served():
    with served(settings={"DESCENT_MAX_HEADER_BYTES": str(LIMIT)}) as (base, _):
        port = int(base.rsplit(":", 1)[1])
        refused = exchange(port, get_with(5 << 20))  # 5 MB, as in the issue
        assert refused.startswith(b"HTTP/1.1 431 "), refused[:200]
        detail = orjson.loads(refused.split(b"\r\n\r\n", 1)[1])["detail"][0]
        assert detail["field"] == "headers" and f"{LIMIT:,}" in detail["message"]
        assert exchange(port, get_with(LIMIT + 100)).startswith(b"HTTP/1.1 431 ")
        assert exchange(port, get_with(LIMIT - 200)).startswith(b"HTTP/1.1 200 ")
        body = {"text": "x1,x2,label\n" + "0.1,0.2,0\n" * 20_000}  # ~200 KB after small headers
        posted = httpx.post(f"{base}/api/datasets/parse", json=body, timeout=30)
        assert posted.status_code != 431
        assert httpx.get(f"{base}/healthz").status_code == 200  # and it goes on serving
