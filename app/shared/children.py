"""Stopping child processes: SIGTERM every one, wait up to a grace time, then SIGKILL."""

from __future__ import annotations

from multiprocessing.process import BaseProcess


def stop_processes(processes: list[BaseProcess], grace_seconds: float) -> None:
    """Terminate every live process, join each for up to grace_seconds, kill what is left."""
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(grace_seconds)
        if process.is_alive():
            process.kill()
            process.join()
