"""`descent serve --workers N`: N uvicorn processes, each listening on its own socket.

With one shared listening socket (uvicorn's own --workers), whichever process wakes first
accepts, and an idle server hands a whole classroom to one process while the other idles.
Here the parent binds one socket per worker to the same port with SO_REUSEPORT and listens
on all of them before any worker starts, so the kernel spreads new connections evenly over
the workers (by a hash of each connection's addresses) from the first one on; a connection
waits in its socket's backlog until its worker is up. Each forked worker serves its own
socket; the parent supervises: it restarts a worker that dies (on the same socket, so no
connection is lost) and stops them all on SIGINT or SIGTERM. Off Linux, uvicorn's
shared-socket workers are used instead.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import multiprocessing
import os
import signal
import socket
import sys
import threading
from multiprocessing.process import BaseProcess
from typing import Any

import uvicorn

from app.settings import get_settings
from app.shared.children import stop_processes
from app.shared.cores import available_cores

log = logging.getLogger("uvicorn.error")  # configured by uvicorn.Config, like its own lines
APP = "app.main:app"
RESTART_PAUSE_SECONDS = 1.0


class DescentServer(uvicorn.Server):
    """uvicorn's server, which on SIGINT/SIGTERM first stops every REST run (their clients
    get a 503 at once), so the process never waits for a long run to finish."""

    def handle_exit(self, sig: int, frame: Any) -> None:
        from app.shared.run_pool import stop_every_run

        stop_every_run()
        super().handle_exit(sig, frame)

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        """Before uvicorn closes the sockets (code 1012), every session sends its checkpoint."""
        from app.playground.registry import checkpoint_every_session

        await checkpoint_every_session(get_settings().final_checkpoint_seconds)
        await super().shutdown(sockets)


def balanced_workers_supported() -> bool:
    """Whether the kernel balances connections over listening sockets sharing a port."""
    return sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")


def reuse_port_socket(host: str, port: int, backlog: int) -> socket.socket:
    """A TCP socket listening on host:port that other sockets may listen on too."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.listen(backlog)
    return sock


PR_SET_PDEATHSIG = 1  # prctl(2): the signal a process gets when its parent dies


def die_with_parent(parent: int) -> None:
    """Ask the kernel to SIGTERM this process when its parent dies (even by kill -9), so no
    worker outlives its supervisor; exit now if the parent is already gone."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the supervisor's shutdown still stops us
        return
    if os.getppid() != parent:
        os._exit(0)


def run_worker(
    sock: socket.socket, others: list[socket.socket], config: uvicorn.Config, parent: int
) -> None:
    """One forked worker: dies with its supervisor, closes the other workers' sockets, serves
    its own (uvicorn handles SIGTERM by closing its connections)."""
    die_with_parent(parent)
    for other in others:
        other.close()
    DescentServer(config).run(sockets=[sock])


def serve(host: str, port: int, workers: int, **options: Any) -> None:
    """Serve app.main:app on host:port with `workers` processes (0: one per available core;
    see the module docstring)."""
    workers = workers or available_cores()
    if workers <= 1:
        DescentServer(uvicorn.Config(APP, host=host, port=port, **options)).run()
        return
    if not balanced_workers_supported():
        uvicorn.run(APP, host=host, port=port, workers=workers, **options)
        return
    config = uvicorn.Config(APP, host=host, port=port, **options)
    sockets = [reuse_port_socket(host, port, config.backlog) for _ in range(workers)]
    Supervisor(sockets, config).run()


class Supervisor:
    """Keeps one worker process per socket alive until SIGINT or SIGTERM."""

    def __init__(self, sockets: list[socket.socket], config: uvicorn.Config) -> None:
        self.sockets = sockets
        self.config = config
        self.context = multiprocessing.get_context("fork")
        self.processes: list[BaseProcess] = []
        self.stopping = threading.Event()

    def start_worker(self, index: int) -> BaseProcess:
        """Fork the worker for socket `index`."""
        sock = self.sockets[index]
        others = [other for other in self.sockets if other is not sock]
        process = self.context.Process(
            target=run_worker,
            args=(sock, others, self.config, os.getpid()),
            name=f"descent-worker-{index}",
        )
        process.start()
        return process

    def stop(self, signum: int, frame: object) -> None:
        """Signal handler: leave the supervision loop."""
        self.stopping.set()

    def run(self) -> None:
        """Start the workers, restart any that die, stop them all when told to."""
        for name in ("SIGINT", "SIGTERM"):
            signal.signal(getattr(signal, name), self.stop)
        config = self.config
        log.info("Descent on http://%s:%d with %d worker processes (Ctrl+C to stop)",
                 config.host, config.port, len(self.sockets))  # fmt: skip
        self.processes = [self.start_worker(i) for i in range(len(self.sockets))]
        try:
            while not self.stopping.wait(RESTART_PAUSE_SECONDS):
                for index, process in enumerate(self.processes):
                    if not process.is_alive() and not self.stopping.is_set():
                        log.warning("worker %s exited (%s); starting another", process.pid,
                                    process.exitcode)  # fmt: skip
                        self.processes[index] = self.start_worker(index)
        finally:
            self.shutdown()

    def shutdown(self) -> None:
        """SIGTERM every worker (uvicorn closes its connections), then wait; kill stragglers."""
        stop_processes(self.processes, get_settings().worker_stop_seconds)
        for sock in self.sockets:
            sock.close()
