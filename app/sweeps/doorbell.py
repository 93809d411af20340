"""A doorbell for the trial workers on this machine, so a new sweep starts at once and a
cancelled one stops at once.

Each worker has its own Unix datagram socket in one folder (the data directory's
`doorbells/`); the server sends a byte to every socket there when it queues or cancels a
sweep. A worker waits on it between its looks for work, and a running trial glances at it
between slices. A worker the server cannot ring (on another machine, or with a path too long
for a socket) still finds the change at its next look at the storage."""

from __future__ import annotations

import contextlib
import logging
import os
import select
import socket
from pathlib import Path

from app.settings import Settings
from app.sweeps.store import data_dir

log = logging.getLogger("descent.worker")
SUFFIX = ".bell"
RING = b"\x01"  # what a ring sends: any byte


def doorbell_folder(settings: Settings) -> Path:
    """Where this machine's workers keep their doorbells: <data dir>/doorbells."""
    return data_dir(settings) / "doorbells"


class Doorbell:
    """The socket one worker waits on; it is removed when the worker stops."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / f"{os.getpid()}{SUFFIX}"
        self.path.unlink(missing_ok=True)  # a dead process with our pid left it
        self.socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        try:
            self.socket.bind(str(self.path))
        except OSError:
            self.socket.close()
            raise
        self.socket.setblocking(False)

    def wait(self, seconds: float) -> bool:
        """Sleep until rung or for `seconds`; True if rung (all rings so far are taken)."""
        select.select([self.socket], [], [], seconds)
        return self.rung()

    def rung(self) -> bool:
        """Whether it rang since the last look, without waiting (takes every ring so far)."""
        rang = False
        with contextlib.suppress(BlockingIOError):
            while self.socket.recv(16):
                rang = True
        return rang

    def wake(self) -> None:
        """Ring this doorbell (from a signal handler: the worker should stop waiting now)."""
        with contextlib.suppress(OSError):
            self.socket.sendto(RING, str(self.path))

    def close(self) -> None:
        """Stop listening and remove the socket file."""
        self.socket.close()
        self.path.unlink(missing_ok=True)


def open_doorbell(folder: Path) -> Doorbell | None:
    """A doorbell in `folder`, or None when it cannot hold one (the worker then just polls)."""
    try:
        return Doorbell(folder)
    except OSError as error:  # a read-only folder, or a path over the 107 bytes a socket takes
        log.warning("no doorbell in %s (%s): looking for sweeps by polling only", folder, error)
        return None


def ring(folder: Path) -> int:
    """Wake every worker with a doorbell in `folder` (removing those nobody listens at any
    more); the number of workers rung."""
    rung = 0
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sender:
        sender.setblocking(False)
        for path in folder.glob(f"*{SUFFIX}"):
            try:
                sender.sendto(RING, str(path))
            except BlockingIOError:  # its queue is full of rings it has not taken yet
                pass
            except (ConnectionRefusedError, FileNotFoundError):  # its worker died
                path.unlink(missing_ok=True)
                continue
            except OSError:
                continue
            rung += 1
    return rung


def alive(pid: int) -> bool:
    """Whether a process runs (not gone, not a zombie waiting to be reaped)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    with contextlib.suppress(OSError):
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rpartition(")")[2].split()[0] != "Z"
    return True


def live_workers(folder: Path) -> int:
    """Workers on this machine with a doorbell in `folder` whose process is alive (a doorbell
    is named after its worker's pid); what /healthz reports."""
    pids = [path.name.removesuffix(SUFFIX) for path in folder.glob(f"*{SUFFIX}")]
    return sum(alive(int(pid)) for pid in pids if pid.isdigit())
