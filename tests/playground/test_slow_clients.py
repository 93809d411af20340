"""A client that never reads cannot make the server's memory grow: its replies collapse,
their bytes are capped, and once it has taken nothing for a while it is let go."""

from __future__ import annotations

import base64
import json
import os
import socket
import struct
import time
from pathlib import Path

import httpx

from tests.servers import served

CONFIGURE = {"type": "configure", "config": {"network": {"hidden": [8]}}}


def rss_mb(pid: int) -> float:
    """Resident memory of a process (Linux /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def raw_websocket(port: int) -> socket.socket:
    """A WebSocket opened by hand on a plain socket whose receive buffer is tiny: the server's
    messages pile up on its side unless it lets them go."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall(
        (
            f"GET /ws HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        ).encode()
    )
    head = b""
    while b"\r\n\r\n" not in head:
        head += sock.recv(1)
    assert b" 101 " in head.split(b"\r\n")[0]
    return sock


def send_text(sock: socket.socket, text: str) -> None:
    """One masked client text frame."""
    payload, mask = text.encode(), os.urandom(4)
    header = bytes([0x81])
    if len(payload) < 126:
        header += bytes([0x80 | len(payload)])
    else:
        header += bytes([0x80 | 126]) + struct.pack("!H", len(payload))
    masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    sock.sendall(header + mask + masked)


def test_a_client_that_never_reads_is_let_go_and_memory_stays_flat():
    settings = {"DESCENT_STALL_SECONDS": "2"}
    with served(settings=settings) as (base, process):
        port = int(base.rsplit(":", 1)[1])
        before = rss_mb(process.pid)
        sock = raw_websocket(port)
        let_go = False
        started = time.monotonic()
        peak = before
        while time.monotonic() - started < 40 and not let_go:
            try:  # configure 20 times a second (under the rate limit), never reading
                send_text(sock, json.dumps(CONFIGURE))
                send_text(sock, json.dumps({"type": "play"}))
            except OSError:  # the server closed the connection
                break
            peak = max(peak, rss_mb(process.pid))
            let_go = sessions(base) == 0
            time.sleep(1 / 20)
        sock.close()
        assert let_go, "the server kept a session whose client read nothing for 40 s"
        assert peak - before < 60, f"RSS grew {peak - before:.0f} MB"


def sessions(base: str) -> int:
    """Live WebSocket sessions of the server."""
    return httpx.get(f"{base}/healthz/sessions", timeout=10).json()["sessions"]
