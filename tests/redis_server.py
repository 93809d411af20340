"""A real redis-server (Debian's) for tests: on a Unix socket in a temporary folder, no disk.

Without redis-server the tests that need it skip, except under CI=true, where they fail.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

CANDIDATES = ("/usr/bin/redis-server", "/usr/sbin/redis-server")


def redis_server_path() -> str:
    """redis-server's path; skips (or fails under CI=true) when it is not installed."""
    for path in (os.environ.get("REDIS_SERVER"), *CANDIDATES, shutil.which("redis-server")):
        if path and os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    reason = "redis-server is not installed (apt-get install redis-server)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"Redis tests cannot run in CI: {reason}")
    pytest.skip(reason)


class RedisServer:
    """redis-server on folder/redis.sock; stop() and start() again keep the same address."""

    def __init__(self, folder: Path) -> None:
        self.binary = redis_server_path()
        self.socket = folder / "redis.sock"
        self.url = f"unix://{self.socket}"
        self.folder = folder
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 10.0) -> None:
        """Start and wait until it answers PING."""
        command = [self.binary, "--port", "0", "--unixsocket", str(self.socket),
                   "--unixsocketperm", "700", "--save", "", "--appendonly", "no",
                   "--dir", str(self.folder)]  # fmt: skip
        self.process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + timeout
        while not self.answers():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.05)

    def answers(self) -> bool:
        """Whether the server answers PING on its socket."""
        import redis

        try:
            with redis.Redis(unix_socket_path=str(self.socket), socket_timeout=1) as client:
                return bool(client.ping())
        except (redis.RedisError, OSError):
            return False

    def stop(self) -> None:
        """Terminate it (its data is gone: it never writes to disk)."""
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None
        self.socket.unlink(missing_ok=True)
