"""The `descent` command: `descent serve [--host H] [--port P] [--workers N]`, `descent worker`."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

# One BLAS thread per process, set before NumPy loads: many small sessions share the cores,
# and multi-threaded BLAS made the boundary grid 4x slower under load (workers inherit it).
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

from app.server import processes  # noqa: E402
from app.settings import Settings, get_settings  # noqa: E402


def count(text: str) -> int:
    """A whole number >= 0 (argparse type)."""
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"expected a whole number >= 0, got {text!r}")
    return int(text)


def parser(settings: Settings) -> argparse.ArgumentParser:
    """Command-line arguments (defaults from DESCENT_HOST, DESCENT_PORT, DESCENT_WORKERS)."""
    top = argparse.ArgumentParser(prog="descent", description="Descent playground server")
    commands = top.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the web server")
    serve.add_argument("--host", default=settings.host)
    serve.add_argument("--port", type=int, default=settings.port)
    serve.add_argument(
        "--workers",
        type=count,
        default=settings.workers,
        help="worker processes (0: one per available CPU core)",
    )
    serve.add_argument("--log-level", default="info")
    serve.add_argument(
        "--sweep-workers",
        type=int,
        default=None,
        help="sweep trial processes (default DESCENT_SWEEP_WORKERS; -1: one per core, 0: none)",
    )
    worker = commands.add_parser("worker", help="run sweep trials from a shared storage")
    worker.add_argument("--storage", default=None, help="Optuna storage URL (postgresql://...)")
    worker.add_argument("--nice", type=count, default=0, help="lower this process's priority")
    return top


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments; serve app.main:app with uvicorn (app/server/processes.py for N > 1)
    beside the sweep trial workers, or be one trial worker (`descent worker`)."""
    settings = get_settings()
    args = parser(settings).parse_args(argv)
    from app.sweeps import (
        launch as sweep_launch,  # here: importing app.server.cli must not load NumPy (Optuna does)
    )

    if args.command == "worker":
        url = args.storage or sweep_launch.storage_url(settings)
        beat, grace = settings.sweep_heartbeat_seconds, settings.sweep_grace_seconds
        from app.sweeps.doorbell import doorbell_folder

        doorbells = doorbell_folder(settings)
        sweep_launch.work(url, beat, grace, None, args.nice, doorbells)
        return 0
    with sweep_launch.running(settings, args.sweep_workers):
        processes.serve(
            args.host,
            args.port,
            args.workers,
            log_level=args.log_level,
            ws_max_size=max(2 * settings.max_message_bytes, settings.max_resume_bytes + (1 << 16)),
            ws_per_message_deflate=settings.ws_compression,
            http="app.server.http_protocol:DeadlineHttpProtocol",  # slow headers are let go
            # then uvicorn cancels what is left (an open sweep event stream never ends)
            timeout_graceful_shutdown=settings.shutdown_grace_seconds,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
