"""The `descent` command: `descent serve [--host H] [--port P] [--workers N]`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import uvicorn


def parser() -> argparse.ArgumentParser:
    """Command-line arguments."""
    top = argparse.ArgumentParser(prog="descent", description="Descent playground server")
    commands = top.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the web server")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument("--log-level", default="info")
    return top


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments and run uvicorn on app.main:app."""
    args = parser().parse_args(argv)
    uvicorn.run(
        "app.main:app",
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level=args.log_level,
        ws_max_size=1 << 20,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
