"""How many CPU cores this process may use: the one count every pool and worker set reads."""

from __future__ import annotations

import os


def available_cores() -> int:
    """CPU cores this process may run on (a container's cpuset, else every core)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
